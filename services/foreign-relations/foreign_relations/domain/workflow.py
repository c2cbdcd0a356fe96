"""The state machines of foreign relations: invitations, trips, visits, translations, proposals."""

from __future__ import annotations

from collections.abc import Mapping

from chancery.states import ImpossibleTransition as ImpossibleTransition  # the error checks raise
from chancery.states import StateMachine

INVITATION = {
    "proposed": frozenset({"approved", "declined", "withdrawn"}),
    # The inviter can still cancel after a yes.
    "approved": frozenset({"withdrawn"}),
    "declined": frozenset(),
    "withdrawn": frozenset(),
}
INVITER_KINDS = ("municipality", "international_organisation", "other")
TRIP = {
    "planned": frozenset({"approved", "cancelled"}),
    "approved": frozenset({"under_way", "cancelled"}),
    "under_way": frozenset({"returned"}),
    "returned": frozenset({"reported"}),
    "reported": frozenset(),
    "cancelled": frozenset(),
}
VISIT = {
    "requested": frozenset({"approved", "declined"}),
    "approved": frozenset(),
    "declined": frozenset(),
}
TRANSLATION = {
    "queued": frozenset({"in_progress", "cancelled"}),
    "in_progress": frozenset({"done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
# The translation states the due-soon reminder concerns: work not finished or given up.
OPEN_TRANSLATION = frozenset({"queued", "in_progress"})
PROPOSAL = {
    "received": frozenset({"referred"}),
    # A proposal may be referred on to another body before the answer comes.
    "referred": frozenset({"referred", "answered"}),
    "answered": frozenset(),
}
MACHINES: Mapping[str, StateMachine] = {
    what: StateMachine(f"an {what}" if what[0] in "aeiou" else f"a {what}", table)
    for what, table in (
        ("invitation", INVITATION),
        ("trip", TRIP),
        ("visit", VISIT),
        ("translation", TRANSLATION),
        ("proposal", PROPOSAL),
    )
}


def check_transition(what: str, current: str, target: str) -> None:
    """Raise :class:`ImpossibleTransition` unless a ``what`` may go ``current`` → ``target``."""
    MACHINES[what].check(current, target)
