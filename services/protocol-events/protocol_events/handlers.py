"""Protocol-events' message handlers: an approved delegation visit becomes a draft event."""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from protocol_events.services import Events


def message_handlers(events: Events) -> dict[tuple[str, int], Handler]:
    """The handlers protocol-events registers, keyed by (type, version) as in the catalogue."""

    def visit_approved(uow: UnitOfWork, message: ReceivedMessage) -> None:
        events.visit_approved(uow, message.payload)

    return {("delegation.visit_approved", 1): visit_approved}
