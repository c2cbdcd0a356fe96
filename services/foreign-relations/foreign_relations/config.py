"""Foreign relations' settings: the shared ones plus the timers' lead times and travel rules."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import EnvironmentReader, Settings, settings_from_env

SERVICE = "foreign-relations"
_PREFIX = "FOREIGN_RELATIONS_"


@dataclass(frozen=True)
class ForeignRelationsSettings:
    """Everything foreign relations' processes need.

    ``agreement_lead_days``: how many days before an agreement's end
    ``agreement.expiring`` is published; ``project_lead_days`` the same for a
    project's deadlines; ``passport_margin_months``: how long after the return
    a passport must stay valid for a trip outside the Schengen area;
    ``translation_working_days``: the default term of a translation task;
    ``translation_reminder_working_days``: how many working days before a
    translation's due date ``translation.due_soon`` is published.
    """

    common: Settings
    timer_seconds: float = 3600.0
    agreement_lead_days: int = 90
    project_lead_days: int = 14
    passport_margin_months: int = 3
    translation_working_days: int = 5
    translation_reminder_working_days: int = 1
    # After how long a trip's travellers are pseudonymised: the accounting documents'
    # retention (ten years) is over by then (people's rights).
    pseudonymise_travellers_days: int = 3653


def load_settings(env: Mapping[str, str] | None = None) -> ForeignRelationsSettings:
    """Read foreign relations' settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    read = EnvironmentReader(env)
    return ForeignRelationsSettings(
        common=settings_from_env(SERVICE, env),
        timer_seconds=read.number(_PREFIX + "TIMER_SECONDS", 3600, positive=True),
        agreement_lead_days=read.integer(_PREFIX + "AGREEMENT_LEAD_DAYS", 90, minimum=1),
        project_lead_days=read.integer(_PREFIX + "PROJECT_LEAD_DAYS", 14, minimum=1),
        passport_margin_months=read.integer(
            _PREFIX + "PASSPORT_MARGIN_MONTHS", 3, minimum=0, maximum=120
        ),
        translation_working_days=read.integer(_PREFIX + "TRANSLATION_WORKING_DAYS", 5, minimum=1),
        translation_reminder_working_days=read.integer(
            _PREFIX + "TRANSLATION_REMINDER_WORKING_DAYS", 1, minimum=0, maximum=60
        ),
        pseudonymise_travellers_days=read.integer(
            _PREFIX + "PSEUDONYMISE_TRAVELLERS_DAYS", 3653, minimum=1, maximum=36600
        ),
    )
