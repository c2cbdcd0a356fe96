"""What routing destroys when intake executes a destruction act (``destruction.executed``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from routing.models import WorkflowLetter

DESTROYED_TEXT = "—"


def destroy_letter_contents(session: Session, payload: dict[str, Any]) -> int:
    """Empty the subject and sender's organisation of the act's letters; keep the rest.

    The number, dates, status, department and deadline stay: the workflow's
    record that the letter was handled. Returns how many letters were changed.
    """
    ids = [str(letter_id) for letter_id in payload["letter_ids"]]
    if not ids:
        return 0
    return session.execute(update(WorkflowLetter).where(WorkflowLetter.id.in_(ids)).values(
        subject=DESTROYED_TEXT, sender_organisation=None,
        version=WorkflowLetter.version + 1)).rowcount
