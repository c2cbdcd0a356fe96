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
    # After how long a past appointment's visitor is pseudonymised (people's rights).
    pseudonymise_visitors_days: int = 730
    # The instance's public address for the links it hands out (feeds); unset: the
    # address the request came to, never a fixed host and port.
    public_url: str | None = None
    # Where a resident's link goes: the public pages' booking address (the token appended);
    # by default under the instance's public address (CHANCERY_PUBLIC_URL).
    booking_url: str = "http://127.0.0.1:8000/public/receptions/booking"
    # Where a guest answers an event's invitation: the public pages' address (token appended).
    invitation_url: str = "http://127.0.0.1:8000/public/invitations"
    hold_minutes: int = 30
    bookings_per_client: int = 10
    bookings_per_contact: int = 3


def load_settings(env: Mapping[str, str] | None = None) -> ProtocolEventsSettings:
    """Read protocol-events' settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    read = EnvironmentReader(env)
    common = settings_from_env(SERVICE, env)
    return ProtocolEventsSettings(
        common=common,
        timer_seconds=read.number("PROTOCOL_EVENTS_TIMER_SECONDS", 60, positive=True),
        reminder_hours=read.integer("PROTOCOL_EVENTS_REMINDER_HOURS", 24, minimum=1),
        booking_horizon_days=read.integer(
            "PROTOCOL_EVENTS_BOOKING_HORIZON_DAYS", 120, minimum=1, maximum=3660
        ),
        pseudonymise_visitors_days=read.integer(
            "PROTOCOL_EVENTS_PSEUDONYMISE_VISITORS_DAYS", 730, minimum=1, maximum=36600
        ),
        public_url=_trimmed(read.optional_url("PROTOCOL_EVENTS_PUBLIC_URL", ("http", "https"))),
        booking_url=read.url(
            "PROTOCOL_EVENTS_BOOKING_URL",
            common.public_page("/public/receptions/booking"),
            ("http", "https"),
        ).rstrip("/"),
        invitation_url=read.url(
            "PROTOCOL_EVENTS_INVITATION_URL",
            common.public_page("/public/invitations"),
            ("http", "https"),
        ).rstrip("/"),
        hold_minutes=read.integer("PROTOCOL_EVENTS_HOLD_MINUTES", 30, minimum=5, maximum=1440),
        bookings_per_client=read.integer(
            "PROTOCOL_EVENTS_BOOKINGS_PER_CLIENT", 10, minimum=1, maximum=10_000
        ),
        bookings_per_contact=read.integer(
            "PROTOCOL_EVENTS_BOOKINGS_PER_CONTACT", 3, minimum=1, maximum=1000
        ),
    )


def _trimmed(url: str | None) -> str | None:
    return None if url is None else url.rstrip("/")
