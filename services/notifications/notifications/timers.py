"""The worker's periodic jobs: the sender, which sends what is due within each channel's rate."""

from __future__ import annotations

from chancery.runtime import PeriodicJob
from notifications.config import NotificationSettings
from notifications.usecases.deliveries import Deliveries


def periodic_jobs(
    settings: NotificationSettings, deliveries: Deliveries
) -> tuple[PeriodicJob, ...]:
    """The worker's jobs, each one use-case call."""
    return (PeriodicJob("sender", settings.sender_interval_seconds, deliveries.send_due),)
