"""Protocol-events' settings: the shared ones plus the reminder and booking horizons."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import Settings, settings_from_env

SERVICE = "protocol-events"


@dataclass(frozen=True)
class ProtocolEventsSettings:
    """Everything protocol-events' processes need."""

    common: Settings
    timer_seconds: float = 60.0
    reminder_hours: int = 24
    booking_horizon_days: int = 120
    public_url: str = "http://127.0.0.1:8003"


def load_settings(env: Mapping[str, str] | None = None) -> ProtocolEventsSettings:
    """Read protocol-events' settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    return ProtocolEventsSettings(
        common=settings_from_env(SERVICE, env),
        timer_seconds=float(env.get("PROTOCOL_EVENTS_TIMER_SECONDS") or 60),
        reminder_hours=int(env.get("PROTOCOL_EVENTS_REMINDER_HOURS") or 24),
        booking_horizon_days=int(env.get("PROTOCOL_EVENTS_BOOKING_HORIZON_DAYS") or 120),
        public_url=(env.get("PROTOCOL_EVENTS_PUBLIC_URL") or "http://127.0.0.1:8003").rstrip("/"),
    )
