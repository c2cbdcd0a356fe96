"""Routing's message handlers: intake's events start and end the workflow (and an
invitation's decision ends its letter's)."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage, handed_on
from chancery.messages.contracts.intake import (
    DestructionExecutedV1,
    LetterArchivedV1,
    LetterVoidedV1,
    LetterWeededOutV1,
)
from chancery.messages.rights import personal_data_handler
from routing.usecases import personal_data
from routing.usecases.letters import Letters
from routing.usecases.personal_data import destroy_letter_contents
from routing.usecases.triage import Triage


def message_handlers(letters: Letters, triage: Triage) -> dict[tuple[str, int], Handler]:
    """The handlers routing registers, keyed by (type, version) as in the catalogue."""

    def closed_by_intake(status: str) -> Handler:
        def handle(
            uow: UnitOfWork,
            message: ReceivedMessage[LetterWeededOutV1 | LetterArchivedV1 | LetterVoidedV1],
        ) -> None:
            payload = message.payload
            reason = None if isinstance(payload, LetterArchivedV1) else payload.reason
            letters.letter_closed_by_intake(
                uow,
                str(payload.letter_id),
                status,
                reason,
                message.envelope.correlation_id,
                message.message_id,
            )

        return handle

    def destruction_executed(
        uow: UnitOfWork, message: ReceivedMessage[DestructionExecutedV1]
    ) -> None:
        destroy_letter_contents(uow.session, message.payload)

    return {
        ("letter.registered", 1): handed_on(triage.letter_registered),
        ("letter.reply_registered", 1): handed_on(letters.reply_registered),
        ("letter.not_ours", 1): closed_by_intake("not_ours"),
        ("letter.archived", 1): closed_by_intake("archived"),
        ("letter.voided", 1): closed_by_intake("voided"),
        ("destruction.executed", 1): destruction_executed,
        ("invitation.decided", 1): handed_on(letters.invitation_decided),
        ("personal_data.requested", 1): personal_data_handler(
            personal_data.gather, personal_data.erase
        ),
    }
