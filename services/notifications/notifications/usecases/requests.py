"""Notifications asked for directly: over the API or by the ``notification.requested`` command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.errors import Forbidden, InvalidInput
from chancery.principal import Principal
from chancery.profiles import Profile
from chancery.usecase import UseCase
from notifications.adapters.models import Delivery, Preference, StaffMember, Template
from notifications.permissions import OFFICE_SENDERS
from notifications.usecases.deliveries import Deliveries, Recipient


def colleagues_only(principal: Principal) -> bool:
    """Whether ``principal`` may only tell staff members (its one sending role is staff)."""
    return not principal.has_any(*OFFICE_SENDERS)


@dataclass(eq=False)
class Requests(UseCase):
    """Turn a request (recipient, channel, template, language, data, key) into deliveries."""

    deliveries: Deliveries
    profile: Profile

    def request(
        self,
        idempotency_key: str,
        requester: str,
        recipient: dict[str, Any],
        channel: str | None,
        template: str,
        language: str | None,
        data: dict[str, Any],
        colleagues: bool = False,
    ) -> list[Delivery]:
        """Queue the request in its own transaction; a repeated key returns the first deliveries.

        With ``colleagues`` (department staff asking) the recipient must be a
        staff member named by subject and the kind one meant for staff: a
        clerk cannot write to citizens or outsiders in the municipality's name.
        """
        with self.transaction() as uow:
            if colleagues:
                _check_colleague_request(uow.session, recipient, template)
            return self.queue(
                uow.session,
                f"request:{requester}:{idempotency_key}",
                recipient,
                channel,
                template,
                language,
                data,
            )

    def queue(
        self,
        session: Session,
        cause: str,
        recipient: dict[str, Any],
        channel: str | None,
        template: str,
        language: str | None,
        data: dict[str, Any],
    ) -> list[Delivery]:
        """Queue in the caller's transaction (the command handler's)."""
        target = self._recipient(session, recipient, channel, language)
        earlier = self._deliveries_of(session, cause)
        if earlier and not any(
            d.recipient == target.address and d.channel == target.channel for d in earlier
        ):
            raise InvalidInput(
                "This idempotency key was used for another recipient.",
                field="Idempotency-Key",
                reason="reused for another recipient",
            )
        data = {"municipality_name": self.profile.name(target.language or "en"), **data}
        self.deliveries.enqueue(session, cause, target, template, data, refuse_unrenderable=True)
        return self._deliveries_of(session, cause)

    @staticmethod
    def _deliveries_of(session: Session, cause: str) -> list[Delivery]:
        return list(session.scalars(select(Delivery).where(Delivery.cause == cause)))

    def _recipient(
        self, session: Session, recipient: dict[str, Any], channel: str | None, language: str | None
    ) -> Recipient:
        if recipient.get("subject"):
            member = session.get(StaffMember, recipient["subject"])
            if member is None or not member.active:
                raise InvalidInput(
                    f"No active staff member {recipient['subject']}.",
                    field="recipient.subject",
                    reason="unknown staff member",
                )
            if channel in (None, "in_app"):
                return Recipient(
                    "in_app", member.subject, language or member.language, member.subject
                )
            address = member.email if channel == "email" else member.phone
            if not address:
                raise InvalidInput(
                    f"{member.subject} has no {channel} address.",
                    field="channel",
                    reason=f"no {channel} address",
                )
            return Recipient(channel, address, language or member.language)
        address, default = (
            (recipient["email"].lower(), "email")
            if recipient.get("email")
            else (recipient.get("phone"), "sms")
        )
        if not address:
            raise InvalidInput(
                "Name the recipient: subject, email or phone.",
                field="recipient",
                reason="no address",
            )
        preference = session.get(Preference, address)
        chosen = channel or (preference.channel if preference else None) or default
        if chosen not in ("email", "sms") or (chosen == "email") != (default == "email"):
            raise InvalidInput(
                f"A {default} address cannot take the {chosen} channel.",
                field="channel",
                reason=f"not a {chosen} address",
            )
        return Recipient(chosen, address, language)


def _check_colleague_request(session: Session, recipient: dict[str, Any], kind: str) -> None:
    if not recipient.get("subject") or recipient.get("email") or recipient.get("phone"):
        raise Forbidden(
            "Department staff may only notify colleagues, named by their subject.",
            field="recipient",
            reason="only a staff member's subject",
        )
    audience = session.scalars(
        select(Template.audience).where(Template.kind == kind).limit(1)
    ).first()
    if audience == "citizen":
        raise Forbidden(
            f"{kind} is a notice to citizens; department staff may not send it.",
            field="template",
            reason="a notice to citizens",
        )
