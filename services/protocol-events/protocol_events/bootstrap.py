"""The one place that wires protocol-events together."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from chancery.db import new_id
from chancery.profiles import load_profile
from chancery.runtime import (
    PeriodicJob,
    ServiceDefinition,
    ServiceWiring,
    database_engine,
    traced_web_app,
)
from protocol_events.api import BLUEPRINTS
from protocol_events.awards import Awards
from protocol_events.config import ProtocolEventsSettings, load_settings
from protocol_events.demo import load_demo_data
from protocol_events.handlers import message_handlers
from protocol_events.models import PLATFORM
from protocol_events.receptions import Receptions
from protocol_events.services import Events

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: ProtocolEventsSettings | None = None) -> ServiceWiring:
    """Protocol-events' wiring from its settings (default: the environment)."""
    settings = settings or load_settings()
    common = settings.common
    wiring = ServiceWiring(
        settings=common, engine=database_engine(common), tables=PLATFORM,
        migrations=MIGRATIONS, title="Chancery protocol events: official events and receptions",
        description="Official events under protocol with their programme, resources, "
                    "participants in order of precedence, press accreditation and "
                    "representation expenses; officials' reception hours with residents' "
                    "bookings and the visitor log; iCalendar files and feeds.",
        blueprints=BLUEPRINTS)
    profile = load_profile(common.profile)
    events = Events(wiring.unit_of_work, profile)
    receptions = Receptions(wiring.unit_of_work, profile, settings.reminder_hours,
                            settings.booking_horizon_days)
    wiring.handlers = message_handlers(events, receptions)
    wiring.extensions = {"events": events, "receptions": receptions,
                         "awards": Awards(wiring.unit_of_work, profile),
                         "public_url": settings.public_url}
    wiring.periodic = (PeriodicJob("reception-reminders", settings.timer_seconds,
                                   lambda: receptions.send_reminders(new_id())),)
    return wiring


def create_web_app() -> Flask:
    """gunicorn's app factory (``protocol_events.bootstrap:create_web_app()``), one per worker."""
    return traced_web_app(load_settings(), bootstrap)


def _wiring_from_env(env: Mapping[str, str]) -> ServiceWiring:
    return bootstrap(load_settings(env))


DEFINITION = ServiceDefinition(name="protocol-events", port=8003, module="protocol_events",
                               wiring_from_env=_wiring_from_env, load_demo_data=load_demo_data)
