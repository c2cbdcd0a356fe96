"""What notifications destroys when intake executes a destruction act.

The sender's contact is deleted; the notices about the letters (found by
their registration number in the text) keep their status and dates but lose
their recipient, subject and text; staff feed items about them lose their text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from notifications.models import Delivery, FeedItem, LetterContact

DESTROYED_TEXT = "—"


def destroy_letter_contents(session: Session, payload: dict[str, Any]) -> int:
    """Forget the act's letters' senders and notice texts; return the notices emptied."""
    ids = [str(letter_id) for letter_id in payload["letter_ids"]]
    numbers = list(payload["registration_numbers"])
    if ids:
        session.execute(delete(LetterContact).where(LetterContact.letter_id.in_(ids)))
    if not numbers:
        return 0
    deliveries = list(session.scalars(select(Delivery).where(or_(
        *[Delivery.text.contains(number, autoescape=True) for number in numbers],
        *[Delivery.subject.contains(number, autoescape=True) for number in numbers]))))
    for delivery in deliveries:
        # The recipient is part of the unique key (cause, recipient, channel), so each emptied
        # delivery gets a placeholder of its own rather than one shared blank.
        delivery.recipient = f"destroyed:{delivery.id}"
        delivery.subject = delivery.text = delivery.html = DESTROYED_TEXT
        delivery.attachments = []
        delivery.secrets = None
        delivery.last_error = None
    for item in session.scalars(select(FeedItem).where(FeedItem.delivery_id.in_(
            [delivery.id for delivery in deliveries]))) if deliveries else ():
        item.title = item.body = DESTROYED_TEXT
    return len(deliveries)
