"""The record of processing activities (GDPR Art. 30), one declarative module per service.

Each service describes the personal data it keeps in its own module here
(``chancery.processing.intake`` and so on) as :class:`ProcessingActivity`
entries; :func:`record_of_processing` joins them with the municipality's
profile (the controller). The modules sit in the shared layer because the
owner of people's requests (intake, decision 60) serves the whole record;
each service's tests check its module names the tables it really gathers.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any

from chancery.vocabulary import SERVICES


@dataclass(frozen=True)
class ProcessingActivity:
    """One processing activity: why a service keeps whose data, which, how long, for whom."""

    name: str
    purpose: str
    legal_basis: str
    data_subjects: tuple[str, ...]
    categories: tuple[str, ...]
    tables: tuple[str, ...]
    retention: str
    recipients: tuple[str, ...] = ()


def activities(service: str) -> tuple[ProcessingActivity, ...]:
    """The processing activities ``service`` declares."""
    module = importlib.import_module(f"chancery.processing.{service.replace('-', '_')}")
    declared: tuple[ProcessingActivity, ...] = module.ACTIVITIES
    return declared


def record_of_processing(controller: str, country: str) -> dict[str, Any]:
    """The record of processing activities: the controller and every service's activities."""
    return {
        "controller": controller,
        "country": country,
        "activities": [
            {"service": service, **asdict(activity)}
            for service in SERVICES
            for activity in activities(service)
        ],
    }
