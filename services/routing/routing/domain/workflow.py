"""The letter's workflow: which status can follow which.

registered → routed → in progress → awaiting endorsement → answered → closed,
plus not ours and archived (and voided, when intake voids the registration).
A re-route keeps a routed or in-progress letter routed. Anything else is
refused with the list of what is possible.
"""

from __future__ import annotations

from chancery.states import ImpossibleTransition as ImpossibleTransition  # the error checks raise
from chancery.states import StateMachine

TRANSITIONS: dict[str, frozenset[str]] = {
    "registered": frozenset({"routed", "not_ours", "archived", "voided"}),
    "routed": frozenset({"routed", "in_progress", "answered", "not_ours", "voided"}),
    "in_progress": frozenset({"routed", "awaiting_endorsement", "answered", "not_ours", "voided"}),
    "awaiting_endorsement": frozenset({"in_progress", "answered", "voided"}),
    "answered": frozenset({"closed", "archived", "voided"}),
    "closed": frozenset({"archived"}),
    "not_ours": frozenset({"archived"}),
    "archived": frozenset(),
    "voided": frozenset(),
}
LETTER = StateMachine("a letter", TRANSITIONS)
OPEN_STATUSES = frozenset({"registered", "routed", "in_progress", "awaiting_endorsement"})


def is_open(status: str) -> bool:
    """Whether the letter still waits for an answer."""
    return status in OPEN_STATUSES
