"""Intake's settings: the shared ones plus where attachments are kept."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chancery.config import Settings, settings_from_env

SERVICE = "intake"


@dataclass(frozen=True)
class IntakeSettings:
    """Everything intake's processes need."""

    common: Settings
    attachments_dir: Path
    lookup_attempts: int = 5
    lookup_lock_minutes: int = 15
    earliest_received_at: date = date(2000, 1, 1)


def load_settings(env: Mapping[str, str] | None = None) -> IntakeSettings:
    """Read intake's settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    common = settings_from_env(SERVICE, env)
    attachments = env.get("INTAKE_ATTACHMENTS_DIR") or str(common.data_dir / "attachments")
    earliest = env.get("INTAKE_EARLIEST_RECEIVED_AT") or "2000-01-01"
    return IntakeSettings(common=common, attachments_dir=Path(attachments),
                          earliest_received_at=_day("INTAKE_EARLIEST_RECEIVED_AT", earliest))


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a day as YYYY-MM-DD, not {value!r}") from None
