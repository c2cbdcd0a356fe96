"""Intake's periodic jobs, run by the worker: each one use-case call."""

from __future__ import annotations

from chancery.runtime import PeriodicJob
from intake.usecases.attachments import Attachments


def periodic_jobs(attachments: Attachments, extraction_seconds: float) -> tuple[PeriodicJob, ...]:
    """The scans' text extraction, every ``extraction_seconds``."""
    return (PeriodicJob("scan-text", extraction_seconds, attachments.extract_pending_scans),)
