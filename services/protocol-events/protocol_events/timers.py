"""The worker's periodic jobs: reception reminders, and the end of residents' unconfirmed
holds (each one use-case call)."""

from __future__ import annotations

from chancery.db import new_id
from chancery.runtime import PeriodicJob
from protocol_events.usecases.appointments import Appointments


def periodic_jobs(appointments: Appointments, seconds: float) -> tuple[PeriodicJob, ...]:
    """The jobs the worker repeats every ``seconds``."""
    return (
        PeriodicJob("reception-reminders", seconds, lambda: appointments.send_reminders(new_id())),
        PeriodicJob("reception-holds", seconds, appointments.expire_holds),
    )
