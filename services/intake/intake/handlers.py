"""Intake's message handlers: it follows the workflow that routing owns."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.errors import InvalidInput
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.envelope import InvalidMessage
from intake.services import Intake, RegisterLetter


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

    def triaged(uow: UnitOfWork, message: ReceivedMessage) -> None:
        intake.follow_triage(uow.session, str(message.payload["letter_id"]),
                             message.payload["reason"])

    def deadline_extended(uow: UnitOfWork, message: ReceivedMessage) -> None:
        intake.follow_deadline(uow.session, str(message.payload["letter_id"]),
                               message.payload["due_date"])

    def endorsement_requested(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        intake.follow_endorsement(uow.session, str(p["letter_id"]), p["approver_role"],
                                  p["requested_at"])

    def endorsement_decided(moment: str) -> Handler:
        def decided(uow: UnitOfWork, message: ReceivedMessage) -> None:
            p = message.payload
            intake.follow_endorsement(uow.session, str(p["letter_id"]), None, p[moment])
        return decided

    def submitted(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        command = RegisterLetter(
            direction="incoming", kind=p["kind"], language=p["language"], subject=p["subject"],
            correspondent=p["sender"], channel=p["channel"], summary=p["summary"],
            addressee=p["addressee"], received_at=p["received_at"],
            confidentiality=p["confidentiality"])
        try:
            intake.register_submitted(uow, command, message.envelope.producer,
                                      p["idempotency_key"], message.envelope.correlation_id)
        except InvalidInput as exc:
            # Asking again cannot help (unknown department, a date in the future): dead-letter.
            raise InvalidMessage(f"letter.submitted cannot be registered: {exc.detail}"
                                 ) from exc

    return {
        ("letter.submitted", 1): submitted,
        ("letter.deadline_extended", 1): deadline_extended,
        ("letter.routed", 1): routed,
        ("letter.status_changed", 1): status_changed,
        ("letter.triaged", 1): triaged,
        ("letter.answered", 1): answered,
        ("endorsement.requested", 1): endorsement_requested,
        ("endorsement.approved", 1): endorsement_decided("approved_at"),
        ("endorsement.returned", 1): endorsement_decided("returned_at"),
    }
