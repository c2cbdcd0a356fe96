"""Routing's periodic jobs, run by the worker: each one use-case call."""

from __future__ import annotations

from chancery.db import new_id
from chancery.runtime import PeriodicJob
from routing.usecases.assignments import Assignments


def periodic_jobs(assignments: Assignments, seconds: float) -> tuple[PeriodicJob, ...]:
    """The deadline timer: ``assignment.due_soon`` and ``assignment.overdue``, once each
    (every ``seconds``)."""
    return (PeriodicJob("deadline-timer", seconds, lambda: assignments.check_due_dates(new_id())),)
