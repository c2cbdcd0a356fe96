"""Intake's message handlers: it follows the workflow that routing owns."""

from __future__ import annotations

from dataclasses import asdict

from chancery.db import UnitOfWork
from chancery.errors import InvalidInput
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.contracts.intake import LetterSubmittedV1
from chancery.messages.contracts.people import PersonalDataAnsweredV1
from chancery.messages.contracts.routing import (
    DeadlineExtendedV1,
    EndorsementApprovedV1,
    EndorsementRequestedV1,
    EndorsementReturnedV1,
    LetterAnsweredV1,
    LetterRoutedV1,
    LetterStatusChangedV1,
    LetterTriagedV1,
)
from chancery.messages.envelope import InvalidMessage
from intake.usecases.letters import Letters, RegisterLetter
from intake.usecases.rights import PeoplesRights
from intake.usecases.workflow import Workflow


def message_handlers(
    letters: Letters, workflow: Workflow, rights: PeoplesRights
) -> dict[tuple[str, int], Handler]:
    """The handlers intake registers, keyed by (type, version) as in the catalogue."""

    def routed(uow: UnitOfWork, message: ReceivedMessage[LetterRoutedV1]) -> None:
        p = message.payload
        workflow.follow_routing(
            uow.session,
            str(p.letter_id),
            p.department_code,
            p.copy_department_codes,
            p.due_date,
            p.routed_at,
        )

    def status_changed(uow: UnitOfWork, message: ReceivedMessage[LetterStatusChangedV1]) -> None:
        p = message.payload
        workflow.follow_status(uow.session, str(p.letter_id), p.status, p.changed_at)

    def answered(uow: UnitOfWork, message: ReceivedMessage[LetterAnsweredV1]) -> None:
        p = message.payload
        workflow.follow_status(
            uow.session, str(p.letter_id), "answered", p.answered_at, answered_at=p.answered_at
        )

    def triaged(uow: UnitOfWork, message: ReceivedMessage[LetterTriagedV1]) -> None:
        workflow.follow_triage(uow.session, str(message.payload.letter_id), message.payload.reason)

    def deadline_extended(uow: UnitOfWork, message: ReceivedMessage[DeadlineExtendedV1]) -> None:
        workflow.follow_deadline(
            uow.session, str(message.payload.letter_id), message.payload.due_date
        )

    def endorsement_requested(
        uow: UnitOfWork, message: ReceivedMessage[EndorsementRequestedV1]
    ) -> None:
        p = message.payload
        workflow.follow_endorsement(uow.session, str(p.letter_id), p.approver_role, p.requested_at)

    def endorsement_approved(
        uow: UnitOfWork, message: ReceivedMessage[EndorsementApprovedV1]
    ) -> None:
        p = message.payload
        workflow.follow_endorsement(uow.session, str(p.letter_id), None, p.approved_at)

    def endorsement_returned(
        uow: UnitOfWork, message: ReceivedMessage[EndorsementReturnedV1]
    ) -> None:
        p = message.payload
        workflow.follow_endorsement(uow.session, str(p.letter_id), None, p.returned_at)

    def submitted(uow: UnitOfWork, message: ReceivedMessage[LetterSubmittedV1]) -> None:
        p = message.payload
        # The command is the one the registration desk builds too: its parts are plain dicts.
        command = RegisterLetter(
            direction="incoming",
            kind=p.kind,
            language=p.language,
            subject=p.subject,
            correspondent=asdict(p.sender),
            channel=p.channel,
            summary=p.summary,
            addressee=asdict(p.addressee),
            received_at=p.received_at,
            confidentiality=p.confidentiality,
        )
        try:
            letters.register_submitted(
                uow,
                command,
                message.envelope.producer,
                p.idempotency_key,
                message.envelope.correlation_id,
            )
        except InvalidInput as exc:
            # Asking again cannot help (unknown department, a date in the future): dead-letter.
            raise InvalidMessage(f"letter.submitted cannot be registered: {exc.detail}") from exc

    def personal_data_answered(
        uow: UnitOfWork, message: ReceivedMessage[PersonalDataAnsweredV1]
    ) -> None:
        rights.record_part(uow.session, message.envelope.producer, message.payload)

    return {
        ("letter.submitted", 1): submitted,
        ("personal_data.answered", 1): personal_data_answered,
        ("letter.deadline_extended", 1): deadline_extended,
        ("letter.routed", 1): routed,
        ("letter.status_changed", 1): status_changed,
        ("letter.triaged", 1): triaged,
        ("letter.answered", 1): answered,
        ("endorsement.requested", 1): endorsement_requested,
        ("endorsement.approved", 1): endorsement_approved,
        ("endorsement.returned", 1): endorsement_returned,
    }
