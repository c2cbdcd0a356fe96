"""The workflow routing owns, as intake mirrors it: which announced status is kept."""

from __future__ import annotations

from datetime import datetime


def takes_status(current_status: str, current_at: datetime, new_at: datetime) -> bool:
    """Whether a status event from the workflow should replace the mirrored status.

    Events can arrive out of order after redeliveries: an older change never
    overwrites a newer one, and intake's own final decisions (voided, not
    ours, archived) are not undone by the workflow.
    """
    if current_status in ("voided", "not_ours", "archived"):
        return False
    return new_at >= current_at
