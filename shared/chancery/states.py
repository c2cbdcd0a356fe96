"""State machines: which status may follow which, and the 409 that says what is possible.

Plain Python (nothing but :mod:`chancery.errors`), so every service's pure
``domain`` can declare its machines here: a letter's workflow, an event's
life, an invitation, a trip. A refused move names the current status and
every status it could become instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chancery.errors import Conflict


class ImpossibleTransition(Conflict):
    """A status change the machine does not allow (409), naming the state and allowed moves.

    ``thing`` is how the sentence names what changes, with its article
    ("a letter", "an event").
    """

    def __init__(self, thing: str, current: str, target: str, allowed: Iterable[str]) -> None:
        self.current = current
        self.target = target
        self.allowed = list(allowed)
        possible = ", ".join(self.allowed) or "nothing (it is final)"
        super().__init__(
            f"{thing[:1].upper()}{thing[1:]} that is {current} cannot become "
            f"{target}; it can become: {possible}.",
            field="status",
            reason=f"{current} → {target} is not allowed",
        )


def _ordered(targets: Iterable[str]) -> tuple[str, ...]:
    # A tuple or list keeps the order it was written in; a set is listed alphabetically.
    return tuple(targets) if isinstance(targets, tuple | list) else tuple(sorted(targets))


@dataclass(frozen=True)
class StateMachine:
    """A transition table: for every status, the statuses it may become.

    The targets of a status keep their written order when given as a tuple
    or list, and are sorted when given as a set; an unknown status can
    become nothing.
    """

    thing: str
    transitions: Mapping[str, Iterable[str]]
    _moves: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_moves",
            {status: _ordered(targets) for status, targets in self.transitions.items()},
        )

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status the table names, in its order."""
        return tuple(self._moves)

    def allowed(self, current: str) -> tuple[str, ...]:
        """The statuses ``current`` may become (none for a final or unknown status)."""
        return self._moves.get(current, ())

    def refusal(self, current: str, target: str) -> ImpossibleTransition:
        """The error refusing ``current`` → ``target`` (``target`` may be an action's name)."""
        return ImpossibleTransition(self.thing, current, target, self.allowed(current))

    def check(self, current: str, target: str) -> None:
        """Raise :class:`ImpossibleTransition` unless ``current`` may become ``target``."""
        if target not in self.allowed(current):
            raise self.refusal(current, target)
