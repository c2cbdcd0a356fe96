"""Notifications' message handlers: events become notices; the command asks for one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from chancery.db import UnitOfWork
from chancery.errors import InvalidInput
from chancery.messages.catalogue import consumed_by
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.contracts.intake import DestructionExecutedV1
from chancery.messages.contracts.notifications import NotificationRequestedV1
from chancery.messages.contracts.routing import StaffMemberChangedV1
from chancery.messages.envelope import InvalidMessage
from chancery.messages.rights import personal_data_handler
from notifications.usecases import personal_data
from notifications.usecases.audiences import Audiences
from notifications.usecases.personal_data import destroy_letter_contents
from notifications.usecases.requests import Requests
from notifications.usecases.staff import keep_staff_member


def message_handlers(audiences: Audiences, requests: Requests) -> dict[tuple[str, int], Handler]:
    """A handler for every message the catalogue sends to notifications."""

    def on_event(uow: UnitOfWork, message: ReceivedMessage[Any]) -> None:
        # Any event in the catalogue for notifications: its payload's fields feed the notices.
        audiences.on_event(uow.session, message.envelope.type, message.message_id, message.payload)

    def on_request(uow: UnitOfWork, message: ReceivedMessage[NotificationRequestedV1]) -> None:
        p = message.payload
        try:
            # The request is the one the HTTP edge takes too: its recipient is a plain dict.
            requests.queue(
                uow.session,
                f"request:{message.envelope.producer}:{p.idempotency_key}",
                asdict(p.recipient),
                p.channel,
                p.template,
                p.language,
                p.data,
            )
        except InvalidInput as exc:
            # Asking again cannot help (no such template, no such address): dead-letter now.
            raise InvalidMessage(f"notification.requested cannot be done: {exc.detail}") from exc

    def on_destruction(uow: UnitOfWork, message: ReceivedMessage[DestructionExecutedV1]) -> None:
        destroy_letter_contents(uow.session, message.payload)

    def on_staff_change(uow: UnitOfWork, message: ReceivedMessage[StaffMemberChangedV1]) -> None:
        keep_staff_member(uow.session, message.payload)

    handlers: dict[tuple[str, int], Handler] = {}
    for contract in consumed_by("notifications"):
        handlers[(contract.type, contract.version)] = on_request if contract.command else on_event
    handlers[("staff.member_changed", 1)] = on_staff_change
    handlers[("destruction.executed", 1)] = on_destruction
    handlers[("personal_data.requested", 1)] = personal_data_handler(
        personal_data.gather, personal_data.erase, personal_data.restrict
    )
    return handlers
