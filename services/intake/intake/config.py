"""Intake's settings: the shared ones plus where attachments are kept and the lookup limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chancery.config import ConfigurationError, EnvironmentReader, Settings, settings_from_env

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
    # Receipt dates before this are refused (a typo, or a date no deadline rule covers).
    earliest_received_at: date = date(2000, 1, 1)
    # Tesseract's command and the languages scans are read in (its "+"-joined codes).
    ocr_command: str = "tesseract"
    ocr_languages: str = "lit+lav+kat+sqi+eng"
    # How often the worker looks for scans whose text is still to be extracted.
    extraction_seconds: float = 10.0


def load_settings(env: Mapping[str, str] | None = None) -> IntakeSettings:
    """Read intake's settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    common = settings_from_env(SERVICE, env)
    read = EnvironmentReader(env)
    attachments = read.text("INTAKE_ATTACHMENTS_DIR", str(common.data_dir / "attachments"))
    earliest = read.text("INTAKE_EARLIEST_RECEIVED_AT", "2000-01-01")
    return IntakeSettings(common=common, attachments_dir=Path(attachments),
                          earliest_received_at=_day("INTAKE_EARLIEST_RECEIVED_AT", earliest),
                          ocr_command=read.text("INTAKE_OCR_COMMAND", "tesseract"),
                          ocr_languages=read.text("INTAKE_OCR_LANGUAGES",
                                                  "lit+lav+kat+sqi+eng"))


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(name, "a day as YYYY-MM-DD", value) from None
