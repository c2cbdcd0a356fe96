"""The worker's periodic jobs: agreements ending soon, project and translation deadlines
coming near.

Each is one use case's announcement; each announcement is claimed with a
conditional UPDATE before it is written to the outbox, in one transaction, so two
timers running at once (two worker processes) publish it exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from chancery.db import new_id
from chancery.runtime import PeriodicJob
from foreign_relations.usecases.agreements import Agreements
from foreign_relations.usecases.projects import Projects
from foreign_relations.usecases.translations import Translations


@dataclass(frozen=True)
class Timers:
    """The term timer: announces agreements ending, project deadlines and translations due."""

    agreements: Agreements
    projects: Projects
    translations: Translations

    def run(self, correlation_id: str) -> int:
        """All three announcements; how many messages were published."""
        return (
            self.agreements.announce_expiring(correlation_id)
            + self.projects.announce_deadlines(correlation_id)
            + self.translations.remind_due_soon(correlation_id)
        )


def periodic_jobs(timers: Timers, seconds: float) -> tuple[PeriodicJob, ...]:
    """The term timer, every ``seconds``."""
    return (PeriodicJob("term-timer", seconds, lambda: timers.run(new_id())),)
