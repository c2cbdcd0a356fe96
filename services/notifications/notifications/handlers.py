"""Notifications' message handlers: events become notices; the command asks for one."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.errors import InvalidInput
from chancery.messages.catalogue import consumed_by
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.envelope import InvalidMessage
from notifications.catalog import keep_staff_member
from notifications.commands import Requests
from notifications.erasure import destroy_letter_contents
from notifications.subscriptions import Subscriptions


def message_handlers(subscriptions: Subscriptions,
                     requests: Requests) -> dict[tuple[str, int], Handler]:
    """A handler for every message the catalogue sends to notifications."""

    def on_event(uow: UnitOfWork, message: ReceivedMessage) -> None:
        subscriptions.on_event(uow.session, message.envelope.type, message.message_id,
                               message.payload)

    def on_request(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        try:
            requests.queue(uow.session, f"request:{message.envelope.producer}:"
                                        f"{p['idempotency_key']}", p["recipient"],
                           p["channel"], p["template"], p["language"], p["data"])
        except InvalidInput as exc:
            # Asking again cannot help (no such template, no such address): dead-letter now.
            raise InvalidMessage(f"notification.requested cannot be done: {exc.detail}"
                                 ) from exc

    def on_destruction(uow: UnitOfWork, message: ReceivedMessage) -> None:
        destroy_letter_contents(uow.session, message.payload)

    def on_staff_change(uow: UnitOfWork, message: ReceivedMessage) -> None:
        keep_staff_member(uow.session, message.payload)

    handlers: dict[tuple[str, int], Handler] = {}
    for contract in consumed_by("notifications"):
        handlers[(contract.type, contract.version)] = on_request if contract.command \
            else on_event
    handlers[("staff.member_changed", 1)] = on_staff_change
    handlers[("destruction.executed", 1)] = on_destruction
    return handlers
