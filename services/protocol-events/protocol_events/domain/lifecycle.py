"""An official event's life: which status can follow which.

draft → planned → confirmed → held → reported, and cancelled from any
status before the event is held. Anything else is refused with a 409 that
names the current status and the moves that are possible from it.
"""

from __future__ import annotations

from chancery.errors import Conflict
from chancery.states import ImpossibleTransition as ImpossibleTransition  # the error checks raise
from chancery.states import StateMachine

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
EVENT = StateMachine("an event", TRANSITIONS)
# Invitations exist from confirmation on: changes are announced, the calendar entry replaced.
INVITED = frozenset({"confirmed"})
# Statuses whose cancellation someone must hear about (event.cancelled).
ANNOUNCED_ON_CANCEL = frozenset({"planned", "confirmed"})
# Statuses in which the programme, participants and resources may still change.
EDITABLE = frozenset({"draft", "planned", "confirmed"})


def allowed_moves(current: str) -> tuple[str, ...]:
    """The statuses an event in ``current`` may move to."""
    return EVENT.allowed(current)


def check_editable(current: str, what: str) -> None:
    """Refuse changes to ``what`` once the event is held, reported or cancelled."""
    if current not in EDITABLE:
        raise Conflict(
            f"The event is {current}; its {what} can no longer change.",
            field="status",
            reason=f"{current} is not editable",
        )
