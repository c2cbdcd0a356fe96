"""The one place that wires routing together."""

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
from routing.api import BLUEPRINTS
from routing.calendar_days import DeclaredDays
from routing.config import RoutingSettings, load_settings
from routing.directory import Directory
from routing.handlers import message_handlers
from routing.models import PLATFORM
from routing.registry import Registry
from routing.reports import Reports
from routing.services import Workflow
from routing.tasks import Tasks

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: RoutingSettings | None = None) -> ServiceWiring:
    """Routing's wiring from its settings (default: the environment)."""
    settings = settings or load_settings()
    common = settings.common
    wiring = ServiceWiring(
        settings=common, engine=database_engine(common), tables=PLATFORM,
        migrations=MIGRATIONS, title="Chancery routing: distribution and execution control",
        description="Routes registered letters to departments by ordered rules, computes "
                    "legal deadlines in working days, tracks executors, endorsement and "
                    "answers, and reports on-time rates.",
        blueprints=BLUEPRINTS)
    profile = load_profile(common.profile)
    workflow = Workflow(wiring.unit_of_work, profile)
    registry = Registry(wiring.unit_of_work, profile)
    tasks = Tasks(wiring.unit_of_work, workflow.calendars, profile.due_soon_working_days)
    wiring.handlers = message_handlers(workflow)
    wiring.extensions = {"workflow": workflow, "registry": registry, "tasks": tasks,
                         "reports": Reports(wiring.unit_of_work, workflow.calendar),
                         "declared_days": DeclaredDays(wiring.unit_of_work, profile),
                         "directory": Directory(wiring.unit_of_work)}
    wiring.periodic = (PeriodicJob("deadline-timer", settings.timer_seconds,
                                   lambda: tasks.check_due_dates(new_id())),)
    wiring.after_migrate = registry.load_profile
    return wiring


def create_web_app() -> Flask:
    """gunicorn's app factory (``routing.bootstrap:create_web_app()``), one per worker."""
    return traced_web_app(load_settings(), bootstrap)


def _wiring_from_env(env: Mapping[str, str]) -> ServiceWiring:
    return bootstrap(load_settings(env))


DEFINITION = ServiceDefinition(name="routing", port=8002, module="routing",
                               wiring_from_env=_wiring_from_env)
