"""Intake's message handlers: it follows the workflow that routing owns."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from intake.services import Intake


def message_handlers(intake: Intake) -> dict[tuple[str, int], Handler]:
    """The handlers intake registers, keyed by (type, version) as in the catalogue."""

    def routed(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        intake.follow_routing(uow.session, str(p["letter_id"]), p["department_code"],
                              p["copy_department_codes"], p["due_date"], p["routed_at"])

    def status_changed(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        intake.follow_status(uow.session, str(p["letter_id"]), p["status"], p["changed_at"])

    def answered(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        intake.follow_status(uow.session, str(p["letter_id"]), "answered", p["answered_at"],
                             answered_at=p["answered_at"])

    def deadline_extended(uow: UnitOfWork, message: ReceivedMessage) -> None:
        intake.follow_deadline(uow.session, str(message.payload["letter_id"]),
                               message.payload["due_date"])

    return {
        ("letter.deadline_extended", 1): deadline_extended,
        ("letter.routed", 1): routed,
        ("letter.status_changed", 1): status_changed,
        ("letter.answered", 1): answered,
    }
