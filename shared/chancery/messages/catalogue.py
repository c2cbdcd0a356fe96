"""The catalogue: every message type, its producer, consumers and payload schema.

It is the single source for the broker topology (which queue binds to which
routing key), for consumers' validation and for the AsyncAPI document. A
test fails when a service's handlers and this catalogue disagree.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema

from chancery.messages.contracts import (
    foreign_relations,
    intake,
    notifications,
    people,
    protocol_events,
    routing,
)
from chancery.messages.envelope import routing_key
from chancery.messages.payloads import schema_of
from chancery.vocabulary import SERVICES

ANY_SENDER = "any"
# What stands in a stored text or body where a secret value was.
REDACTED = "[redacted]"


@dataclass(frozen=True)
class MessageContract:
    """One message type at one version.

    An event is published by its producer to ``<producer>.events``; a command
    (``command=True``) may be sent by any service or department system
    (``producer`` is ``"any"``) to its one consumer's ``<consumer>.commands``.
    ``payload_type`` is the contract's :func:`~chancery.messages.payloads.payload`
    dataclass: the payload a consumer's handler receives.
    """

    type: str
    version: int
    producer: str
    consumers: tuple[str, ...]
    payload_type: builtins.type[Any]
    command: bool = False

    @property
    def schema(self) -> builtins.type[Schema]:
        """The wire schema derived from :attr:`payload_type`."""
        return schema_of(self.payload_type)

    @property
    def exchange(self) -> str:
        """The exchange this message is published to."""
        if self.command:
            return f"{self.consumers[0]}.commands"
        return f"{self.producer}.events"

    def may_be_sent_by(self, sender: str) -> bool:
        """Whether ``sender`` may publish this message."""
        return self.producer in (sender, ANY_SENDER)

    @property
    def routing_key(self) -> str:
        """``<type>.v<version>``."""
        return routing_key(self.type, self.version)

    @property
    def payload_schema(self) -> Schema:
        """A shared instance of the payload schema (building one per message is costly)."""
        return _instance(self.schema)

    @property
    def secret_fields(self) -> tuple[str, ...]:
        """Payload fields marked ``metadata={"secret": True}``: handed over, then kept nowhere."""
        return tuple(
            name
            for name, field in self.payload_schema.fields.items()
            if field.metadata.get("secret")
        )

    @property
    def summary(self) -> str:
        """The first line of the schema's docstring."""
        return (self.schema.__doc__ or "").strip().splitlines()[0]


@functools.cache
def _instance(schema_class: type[Schema]) -> Schema:
    return schema_class()


CATALOGUE: tuple[MessageContract, ...] = (
    MessageContract(
        "letter.registered",
        1,
        "intake",
        ("routing", "notifications", "foreign-relations", "protocol-events"),
        intake.LetterRegisteredV1,
    ),
    MessageContract(
        "letter.reply_registered",
        1,
        "intake",
        ("routing", "notifications"),
        intake.ReplyRegisteredV1,
    ),
    MessageContract(
        "letter.not_ours", 1, "intake", ("routing", "notifications"), intake.LetterWeededOutV1
    ),
    MessageContract("letter.archived", 1, "intake", ("routing",), intake.LetterArchivedV1),
    MessageContract("letter.voided", 1, "intake", ("routing",), intake.LetterVoidedV1),
    MessageContract(
        "destruction.executed",
        1,
        "intake",
        ("routing", "notifications", "foreign-relations"),
        intake.DestructionExecutedV1,
    ),
    MessageContract(
        "personal_data.requested",
        1,
        "intake",
        ("routing", "notifications", "protocol-events", "foreign-relations"),
        people.PersonalDataRequestedV1,
    ),
    MessageContract(
        "letter.access_code_issued", 1, "intake", ("notifications",), intake.AccessCodeIssuedV1
    ),
    MessageContract(
        "letter.routed",
        1,
        "routing",
        ("intake", "notifications", "foreign-relations"),
        routing.LetterRoutedV1,
    ),
    MessageContract(
        "letter.status_changed",
        1,
        "routing",
        ("intake", "notifications"),
        routing.LetterStatusChangedV1,
    ),
    MessageContract("letter.triaged", 1, "routing", ("intake",), routing.LetterTriagedV1),
    MessageContract(
        "letter.answered", 1, "routing", ("intake", "notifications"), routing.LetterAnsweredV1
    ),
    MessageContract(
        "letter.deadline_extended",
        1,
        "routing",
        ("intake", "notifications"),
        routing.DeadlineExtendedV1,
    ),
    MessageContract(
        "assignment.created", 1, "routing", ("notifications",), routing.AssignmentCreatedV1
    ),
    MessageContract(
        "assignment.due_soon", 1, "routing", ("notifications",), routing.AssignmentDueSoonV1
    ),
    MessageContract(
        "assignment.overdue", 1, "routing", ("notifications",), routing.AssignmentOverdueV1
    ),
    MessageContract(
        "assignment.reminded", 1, "routing", ("notifications",), routing.AssignmentRemindedV1
    ),
    MessageContract(
        "endorsement.requested",
        1,
        "routing",
        ("intake", "notifications"),
        routing.EndorsementRequestedV1,
    ),
    MessageContract(
        "endorsement.approved",
        1,
        "routing",
        ("intake", "notifications"),
        routing.EndorsementApprovedV1,
    ),
    MessageContract(
        "endorsement.returned",
        1,
        "routing",
        ("intake", "notifications"),
        routing.EndorsementReturnedV1,
    ),
    MessageContract(
        "staff.member_changed",
        1,
        "routing",
        ("notifications", "protocol-events"),
        routing.StaffMemberChangedV1,
    ),
    MessageContract(
        "calendar.day_declared",
        1,
        "routing",
        ("protocol-events", "foreign-relations"),
        routing.CalendarDayDeclaredV1,
    ),
    MessageContract(
        "event.scheduled",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.EventScheduledV1,
    ),
    MessageContract(
        "event.updated", 1, "protocol-events", ("notifications",), protocol_events.EventUpdatedV1
    ),
    MessageContract(
        "event.cancelled",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.EventCancelledV1,
    ),
    MessageContract(
        "appointment.booked",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.AppointmentBookedV1,
    ),
    MessageContract(
        "appointment.confirmation_requested",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.AppointmentConfirmationRequestedV1,
    ),
    MessageContract(
        "appointment.cancelled",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.AppointmentCancelledV1,
    ),
    MessageContract(
        "appointment.reminder_due",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.AppointmentReminderDueV1,
    ),
    MessageContract(
        "accreditation.decided",
        1,
        "protocol-events",
        ("notifications",),
        protocol_events.AccreditationDecidedV1,
    ),
    MessageContract(
        "award.granted", 1, "protocol-events", ("notifications",), protocol_events.AwardGrantedV1
    ),
    MessageContract(
        "invitation.awaiting_decision",
        1,
        "foreign-relations",
        ("notifications",),
        foreign_relations.InvitationAwaitingDecisionV1,
    ),
    MessageContract(
        "invitation.decided",
        1,
        "foreign-relations",
        ("routing", "notifications"),
        foreign_relations.InvitationDecidedV1,
    ),
    MessageContract(
        "proposal.referred",
        1,
        "foreign-relations",
        ("notifications",),
        foreign_relations.ProposalReferredV1,
    ),
    MessageContract(
        "delegation.visit_approved",
        1,
        "foreign-relations",
        ("protocol-events", "notifications"),
        foreign_relations.DelegationVisitApprovedV1,
    ),
    MessageContract(
        "agreement.expiring",
        1,
        "foreign-relations",
        ("notifications",),
        foreign_relations.AgreementExpiringV1,
    ),
    MessageContract(
        "project.deadline_approaching",
        1,
        "foreign-relations",
        ("notifications",),
        foreign_relations.ProjectDeadlineApproachingV1,
    ),
    MessageContract(
        "translation.due_soon",
        1,
        "foreign-relations",
        ("notifications",),
        foreign_relations.TranslationDueSoonV1,
    ),
    MessageContract(
        "letter.submitted", 1, ANY_SENDER, ("intake",), intake.LetterSubmittedV1, command=True
    ),
    MessageContract(
        "notification.requested",
        1,
        ANY_SENDER,
        ("notifications",),
        notifications.NotificationRequestedV1,
        command=True,
    ),
    MessageContract(
        "personal_data.answered",
        1,
        ANY_SENDER,
        ("intake",),
        people.PersonalDataAnsweredV1,
        command=True,
    ),
)


def contract(message_type: str, version: int) -> MessageContract:
    """The contract of ``message_type`` at ``version``; KeyError when there is none."""
    for entry in CATALOGUE:
        if entry.type == message_type and entry.version == version:
            return entry
    raise KeyError(f"{message_type} v{version} is not in the message catalogue")


def secret_values(message_type: str, payload: Mapping[str, Any] | object) -> list[str]:
    """The values of ``payload`` that its contract marks secret (any version of the type).

    ``payload`` is the wire form (a mapping) or a loaded payload dataclass.
    What a consumer must not keep once it has handed them over, e.g. the
    citizen's access code in the acknowledgement it sent.
    """
    names = {
        name for entry in CATALOGUE if entry.type == message_type for name in entry.secret_fields
    }
    found: list[str] = []
    for name in sorted(names):
        value = payload.get(name) if isinstance(payload, Mapping) else getattr(payload, name, None)
        # A secret field may map keys to secrets (each participant's own link).
        found += (
            [str(v) for v in value.values() if v]
            if isinstance(value, Mapping)
            else [str(value)]
            if value
            else []
        )
    return found


@functools.cache
def has_secrets(message_type: str) -> bool:
    """Whether any version of ``message_type`` carries a secret field."""
    return any(entry.secret_fields for entry in CATALOGUE if entry.type == message_type)


def produced_by(service: str) -> tuple[MessageContract, ...]:
    """The events ``service`` publishes (commands anyone may send are not listed)."""
    return tuple(c for c in CATALOGUE if c.producer == service)


def consumed_by(service: str) -> tuple[MessageContract, ...]:
    """The contracts ``service`` consumes."""
    return tuple(c for c in CATALOGUE if service in c.consumers)


def _check() -> None:
    for entry in CATALOGUE:
        senders = {entry.producer} - {ANY_SENDER} if entry.command else {entry.producer}
        unknown = {*senders, *entry.consumers} - set(SERVICES)
        if unknown:
            raise ValueError(f"{entry.type}: unknown services {sorted(unknown)}")
        if entry.command and len(entry.consumers) != 1:
            raise ValueError(f"{entry.type}: a command has exactly one consumer")


_check()
