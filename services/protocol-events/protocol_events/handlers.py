"""Protocol-events' message handlers.

An approved delegation visit becomes a draft event; a letter intake
registered from a reception topic is noted on its appointment; a day routing
declared off (or working) is kept for the reception slots.
"""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from protocol_events.receptions import Receptions
from protocol_events.services import Events


def message_handlers(events: Events, receptions: Receptions) -> dict[tuple[str, int], Handler]:
    """The handlers protocol-events registers, keyed by (type, version) as in the catalogue."""

    def visit_approved(uow: UnitOfWork, message: ReceivedMessage) -> None:
        events.visit_approved(uow, message.payload)

    def letter_registered(uow: UnitOfWork, message: ReceivedMessage) -> None:
        p = message.payload
        if p["source_reference"]:
            receptions.letter_registered(uow, p["source_reference"], str(p["letter_id"]),
                                         p["registration_number"])

    def day_declared(uow: UnitOfWork, message: ReceivedMessage) -> None:
        receptions.day_declared(uow, message.payload)

    return {("delegation.visit_approved", 1): visit_approved,
            ("letter.registered", 1): letter_registered,
            ("calendar.day_declared", 1): day_declared}
