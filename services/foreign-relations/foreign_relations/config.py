"""Foreign relations' settings: the shared ones plus the timers' lead times and travel rules."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import Settings, settings_from_env

SERVICE = "foreign-relations"
_PREFIX = "FOREIGN_RELATIONS_"


@dataclass(frozen=True)
class ForeignRelationsSettings:
    """Everything foreign relations' processes need.

    ``agreement_lead_days``: how many days before an agreement's end
    ``agreement.expiring`` is published; ``project_lead_days`` the same for a
    project's deadlines; ``passport_margin_months``: how long after the return
    a passport must stay valid for a trip outside the Schengen area;
    ``translation_working_days``: the default term of a translation task.
    """

    common: Settings
    timer_seconds: float = 3600.0
    agreement_lead_days: int = 90
    project_lead_days: int = 14
    passport_margin_months: int = 3
    translation_working_days: int = 5


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(_PREFIX + name)
    return float(value) if value else default


def load_settings(env: Mapping[str, str] | None = None) -> ForeignRelationsSettings:
    """Read foreign relations' settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    return ForeignRelationsSettings(
        common=settings_from_env(SERVICE, env),
        timer_seconds=_number(env, "TIMER_SECONDS", 3600),
        agreement_lead_days=int(_number(env, "AGREEMENT_LEAD_DAYS", 90)),
        project_lead_days=int(_number(env, "PROJECT_LEAD_DAYS", 14)),
        passport_margin_months=int(_number(env, "PASSPORT_MARGIN_MONTHS", 3)),
        translation_working_days=int(_number(env, "TRANSLATION_WORKING_DAYS", 5)))
