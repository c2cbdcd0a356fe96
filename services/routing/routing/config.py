"""Routing's settings: the shared ones plus how often the deadline timer looks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import EnvironmentReader, Settings, settings_from_env

SERVICE = "routing"


@dataclass(frozen=True)
class RoutingSettings:
    """Everything routing's processes need."""

    common: Settings
    timer_seconds: float = 60.0


def load_settings(env: Mapping[str, str] | None = None) -> RoutingSettings:
    """Read routing's settings from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    return RoutingSettings(
        common=settings_from_env(SERVICE, env),
        timer_seconds=EnvironmentReader(env).number("ROUTING_TIMER_SECONDS", 60, positive=True),
    )
