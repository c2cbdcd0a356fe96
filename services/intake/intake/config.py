"""Intake's settings: the shared ones plus where attachments are kept and the lookup limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chancery.config import EnvironmentReader, Settings, settings_from_env

SERVICE = "intake"


@dataclass(frozen=True)
class IntakeSettings:
    """Everything intake's processes need."""

    common: Settings
    attachments_dir: Path
    # Wrong status-lookup codes tolerated per window: for one number from one
    # client, and from one client across numbers.
    lookup_attempts: int = 5
    lookup_client_attempts: int = 20
    lookup_window_minutes: int = 15


def load_settings(env: Mapping[str, str] | None = None) -> IntakeSettings:
    """Read intake's settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    common = settings_from_env(SERVICE, env)
    attachments = EnvironmentReader(env).text("INTAKE_ATTACHMENTS_DIR",
                                              str(common.data_dir / "attachments"))
    return IntakeSettings(common=common, attachments_dir=Path(attachments))
