"""Intake's settings: the shared ones plus where attachments are kept and the lookup limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chancery.config import ConfigurationError, EnvironmentReader, Settings, settings_from_env

SERVICE = "intake"
ATTACHMENT_STORES = ("files", "s3")


@dataclass(frozen=True)
class S3Settings:
    """The bucket scans are kept in when ``INTAKE_ATTACHMENTS_STORE=s3``.

    Without an access key, boto3's own chain (an instance role, a web identity token)
    supplies the credentials; without an endpoint, the bucket is on AWS itself.
    """

    bucket: str
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    prefix: str = ""


@dataclass(frozen=True)
class IntakeSettings:
    """Everything intake's processes need."""

    common: Settings
    attachments_dir: Path
    # Where scans are kept: "files" under attachments_dir, or "s3" in the bucket of s3.
    attachments_store: str = "files"
    s3: S3Settings | None = None
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
    store = read.choice("INTAKE_ATTACHMENTS_STORE", "files", ATTACHMENT_STORES)
    return IntakeSettings(
        common=common,
        attachments_dir=Path(attachments),
        attachments_store=store,
        s3=_s3_settings(read) if store == "s3" else None,
        earliest_received_at=_day("INTAKE_EARLIEST_RECEIVED_AT", earliest),
        ocr_command=read.text("INTAKE_OCR_COMMAND", "tesseract"),
        ocr_languages=read.text("INTAKE_OCR_LANGUAGES", "lit+lav+kat+sqi+eng"),
    )


def _s3_settings(read: EnvironmentReader) -> S3Settings:
    bucket = read.raw("INTAKE_S3_BUCKET")
    if bucket is None:
        raise ConfigurationError(
            "INTAKE_S3_BUCKET", "the bucket's name when INTAKE_ATTACHMENTS_STORE=s3"
        )
    access_key, secret_key = (
        read.raw("INTAKE_S3_ACCESS_KEY_ID"),
        read.raw("INTAKE_S3_SECRET_ACCESS_KEY"),
    )
    if (access_key is None) != (secret_key is None):
        raise ConfigurationError(
            "INTAKE_S3_SECRET_ACCESS_KEY",
            "both INTAKE_S3_ACCESS_KEY_ID and INTAKE_S3_SECRET_ACCESS_KEY, or neither",
        )
    return S3Settings(
        bucket=bucket,
        endpoint_url=read.raw("INTAKE_S3_ENDPOINT_URL"),
        region=read.text("INTAKE_S3_REGION", "us-east-1"),
        access_key_id=access_key,
        secret_access_key=secret_key,
        prefix=read.text("INTAKE_S3_PREFIX", ""),
    )


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(name, "a day as YYYY-MM-DD", value) from None
