"""Foreign relations' message handlers: invitation letters from intake and routing, their
destruction, and routing's declared days off (translations' due dates count them)."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage, handed_on
from chancery.messages.contracts.intake import DestructionExecutedV1
from chancery.messages.contracts.routing import CalendarDayDeclaredV1
from chancery.messages.rights import personal_data_handler
from foreign_relations.usecases import personal_data
from foreign_relations.usecases.invitations import Invitations
from foreign_relations.usecases.translations import Translations


def message_handlers(
    invitations: Invitations, translations: Translations
) -> dict[tuple[str, int], Handler]:
    """The handlers foreign relations registers, keyed by (type, version) as in the catalogue."""

    def day_declared(uow: UnitOfWork, message: ReceivedMessage[CalendarDayDeclaredV1]) -> None:
        translations.day_declared(uow, message.payload)

    def destruction_executed(
        uow: UnitOfWork, message: ReceivedMessage[DestructionExecutedV1]
    ) -> None:
        personal_data.destroy_letter_contents(uow.session, message.payload)

    return {
        ("letter.registered", 1): handed_on(invitations.letter_registered),
        ("letter.routed", 1): handed_on(invitations.letter_routed),
        ("calendar.day_declared", 1): day_declared,
        ("destruction.executed", 1): destruction_executed,
        ("personal_data.requested", 1): personal_data_handler(
            personal_data.gather, personal_data.erase, personal_data.restrict
        ),
    }
