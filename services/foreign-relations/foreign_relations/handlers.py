"""Foreign relations' message handlers: invitation letters from intake and routing, and
routing's declared days off (translations' due dates count them)."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from foreign_relations.invitations import Invitations
from foreign_relations.translations import Translations


def message_handlers(invitations: Invitations,
                     translations: Translations) -> dict[tuple[str, int], Handler]:
    """The handlers foreign relations registers, keyed by (type, version) as in the catalogue."""

    def registered(uow: UnitOfWork, message: ReceivedMessage) -> None:
        invitations.letter_registered(uow, message.payload, message.envelope.correlation_id,
                                      message.message_id)

    def routed(uow: UnitOfWork, message: ReceivedMessage) -> None:
        invitations.letter_routed(uow, message.payload, message.envelope.correlation_id,
                                  message.message_id)

    def day_declared(uow: UnitOfWork, message: ReceivedMessage) -> None:
        translations.day_declared(uow, message.payload)

    return {("letter.registered", 1): registered, ("letter.routed", 1): routed,
            ("calendar.day_declared", 1): day_declared}
