"""An invitation's answer: what a guest may answer, and when, and how its link is kept."""

from __future__ import annotations

import hashlib

from chancery.errors import Conflict
from protocol_events.domain import lifecycle

# An invitation's answers (iTIP's PARTSTAT ACCEPTED, DECLINED, TENTATIVE).
ANSWERS = ("accepted", "declined", "tentative")


def token_hash(token: str) -> str:
    """The stored form of a link or feed token (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_answerable(status: str) -> None:
    """Refuse an answer unless the event's invitations stand (confirmed, not yet held)."""
    if status not in lifecycle.INVITED:
        raise Conflict(
            f"The event is {status}; invitations are answered while it is confirmed.",
            field="status",
            reason=f"{status}, not confirmed",
        )
