"""The base of a use case that works for one municipality: its profile and its clock.

Most use cases of a service take the same three things: the service's unit-of-work
factory, the municipality's profile and the clock they read the time from (the wall
clock, or a test's hand-moved one). :class:`MunicipalUseCase` takes them once, so a
use case declares only what it adds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from chancery.clock import utcnow
from chancery.db import Transactions, UnitOfWork

if TYPE_CHECKING:
    from chancery.calendar import WorkingCalendar
    from chancery.profiles import Profile


class MunicipalUseCase(Transactions):
    """A use case in the municipality of ``profile``, reading the time from ``clock``."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(unit_of_work)
        self.profile = profile
        self._clock = clock

    def now(self) -> datetime:
        """The current instant by this use case's clock."""
        return self._clock()

    @cached_property
    def _calendar(self) -> WorkingCalendar:
        """The profile's working calendar, built when a use case first counts days."""
        return self.profile.calendar()


@dataclass(eq=False)
class UseCase(Transactions):
    """A use case whose collaborators are its dataclass fields, the unit-of-work factory first.

    A subclass decorated ``@dataclass(eq=False)`` lists what it takes after
    ``unit_of_work``, those with a default (a ``clock``, usually
    :func:`chancery.clock.utcnow`) last; the generated constructor takes them in that
    order. ``eq=False`` keeps a use case compared (and hashed) by identity, as a
    hand-written class is.
    """

    unit_of_work: Callable[[], UnitOfWork]

    def __post_init__(self) -> None:
        super().__init__(self.unit_of_work)
