"""An official event's life: which status can follow which.

draft → planned → confirmed → held → reported, and cancelled from any
status before the event is held. Anything else is refused with a 409 that
names the current status and the moves that are possible from it.
"""

from __future__ import annotations

from chancery.errors import Conflict

STATUSES = ("draft", "planned", "confirmed", "held", "reported", "cancelled")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("planned", "cancelled"),
    # A planned event may go back to draft while nobody has been invited yet.
    "planned": ("confirmed", "draft", "cancelled"),
    "confirmed": ("held", "cancelled"),
    "held": ("reported",),
    "reported": (),
    "cancelled": (),
}
# Invitations exist from confirmation on: changes are announced, the calendar entry replaced.
INVITED = frozenset({"confirmed"})
# Statuses whose cancellation someone must hear about (event.cancelled).
ANNOUNCED_ON_CANCEL = frozenset({"planned", "confirmed"})
# Statuses in which the programme, participants and resources may still change.
EDITABLE = frozenset({"draft", "planned", "confirmed"})


class ImpossibleTransition(Conflict):
    """A status change the event's life does not allow (409)."""


def allowed_moves(current: str) -> tuple[str, ...]:
    """The statuses an event in ``current`` may move to."""
    return TRANSITIONS.get(current, ())


def check_transition(current: str, target: str) -> None:
    """Raise :class:`ImpossibleTransition` unless an event in ``current`` may become ``target``."""
    allowed = allowed_moves(current)
    if target in allowed:
        return
    possible = ", ".join(allowed) or "nothing (it is final)"
    raise ImpossibleTransition(
        f"The event is {current}; it cannot become {target}. From {current} it can become: "
        f"{possible}.", field="status", reason=f"{current} → {target} is not allowed")


def check_editable(current: str, what: str) -> None:
    """Refuse changes to ``what`` once the event is held, reported or cancelled."""
    if current not in EDITABLE:
        raise Conflict(f"The event is {current}; its {what} can no longer change.",
                       field="status", reason=f"{current} is not editable")
