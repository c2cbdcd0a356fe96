"""Routing's message handlers: intake's events start and end the workflow (and an
invitation's decision ends its letter's)."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from routing.erasure import destroy_letter_contents
from routing.services import Workflow


def message_handlers(workflow: Workflow) -> dict[tuple[str, int], Handler]:
    """The handlers routing registers, keyed by (type, version) as in the catalogue."""

    def registered(uow: UnitOfWork, message: ReceivedMessage) -> None:
        workflow.letter_registered(uow, message.payload, message.envelope.correlation_id,
                                   message.message_id)

    def reply_registered(uow: UnitOfWork, message: ReceivedMessage) -> None:
        workflow.reply_registered(uow, message.payload, message.envelope.correlation_id,
                                  message.message_id)

    def invitation_decided(uow: UnitOfWork, message: ReceivedMessage) -> None:
        workflow.invitation_decided(uow, message.payload, message.envelope.correlation_id,
                                    message.message_id)

    def closed_by_intake(status: str, reason_field: str | None) -> Handler:
        def handle(uow: UnitOfWork, message: ReceivedMessage) -> None:
            payload = message.payload
            workflow.letter_closed_by_intake(
                uow, str(payload["letter_id"]), status,
                payload.get(reason_field) if reason_field else None,
                message.envelope.correlation_id, message.message_id)

        return handle

    def destruction_executed(uow: UnitOfWork, message: ReceivedMessage) -> None:
        destroy_letter_contents(uow.session, message.payload)

    return {
        ("letter.registered", 1): registered,
        ("letter.reply_registered", 1): reply_registered,
        ("letter.not_ours", 1): closed_by_intake("not_ours", "reason"),
        ("letter.archived", 1): closed_by_intake("archived", None),
        ("letter.voided", 1): closed_by_intake("voided", "reason"),
        ("destruction.executed", 1): destruction_executed,
        ("invitation.decided", 1): invitation_decided,
    }
