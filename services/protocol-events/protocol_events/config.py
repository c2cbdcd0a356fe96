"""Protocol-events' settings: the shared ones plus the reminder and booking horizons."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import EnvironmentReader, Settings, settings_from_env

SERVICE = "protocol-events"


@dataclass(frozen=True)
class ProtocolEventsSettings:
    """Everything protocol-events' processes need."""

    common: Settings
    timer_seconds: float = 60.0
    reminder_hours: int = 24
    booking_horizon_days: int = 120
    # The instance's public address for the links it hands out (feeds); unset: the
    # address the request came to, never a fixed host and port.
    public_url: str | None = None


def load_settings(env: Mapping[str, str] | None = None) -> ProtocolEventsSettings:
    """Read protocol-events' settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    read = EnvironmentReader(env)
    return ProtocolEventsSettings(
        common=settings_from_env(SERVICE, env),
        timer_seconds=read.number("PROTOCOL_EVENTS_TIMER_SECONDS", 60, positive=True),
        reminder_hours=read.integer("PROTOCOL_EVENTS_REMINDER_HOURS", 24, minimum=1),
        booking_horizon_days=read.integer("PROTOCOL_EVENTS_BOOKING_HORIZON_DAYS", 120,
                                          minimum=1, maximum=3660),
        public_url=_trimmed(read.optional_url("PROTOCOL_EVENTS_PUBLIC_URL",
                                              ("http", "https"))),
    )


def _trimmed(url: str | None) -> str | None:
    return None if url is None else url.rstrip("/")
