"""The one place that wires foreign relations together."""

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
from foreign_relations.api import BLUEPRINTS
from foreign_relations.config import ForeignRelationsSettings, load_settings
from foreign_relations.demo import load_demo_data
from foreign_relations.handlers import message_handlers
from foreign_relations.invitations import Invitations
from foreign_relations.models import PLATFORM
from foreign_relations.partners import Partners
from foreign_relations.projects import Projects
from foreign_relations.timers import Timers
from foreign_relations.translations import Translations
from foreign_relations.travel import Travel

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: ForeignRelationsSettings | None = None) -> ServiceWiring:
    """Foreign relations' wiring from its settings (default: the environment)."""
    settings = settings or load_settings()
    common = settings.common
    wiring = ServiceWiring(
        settings=common, engine=database_engine(common), tables=PLATFORM,
        migrations=MIGRATIONS, title="Chancery foreign relations: partner cities and delegations",
        description="Partner cities and their open data, cooperation agreements and plans, "
                    "invitations from abroad and their decision, outgoing trips and incoming "
                    "visits, translations of correspondence, international projects.",
        blueprints=BLUEPRINTS)
    profile = load_profile(common.profile)
    uow = wiring.unit_of_work
    invitations = Invitations(uow, profile)
    timers = Timers(uow, profile, settings.agreement_lead_days, settings.project_lead_days)
    translations = Translations(uow, profile, settings.translation_working_days)
    wiring.handlers = message_handlers(invitations, translations)
    wiring.extensions = {
        "partners": Partners(uow, profile), "invitations": invitations,
        "travel": Travel(uow, profile, settings.passport_margin_months),
        "translations": translations,
        "projects": Projects(uow, profile), "timers": timers}
    wiring.periodic = (PeriodicJob("term-timer", settings.timer_seconds,
                                   lambda: timers.run(new_id())),)
    return wiring


def create_web_app() -> Flask:
    """gunicorn's app factory (``foreign_relations.bootstrap:create_web_app()``), one per worker."""
    return traced_web_app(load_settings(), bootstrap)


def _wiring_from_env(env: Mapping[str, str]) -> ServiceWiring:
    return bootstrap(load_settings(env))


DEFINITION = ServiceDefinition(name="foreign-relations", port=8004, module="foreign_relations",
                               wiring_from_env=_wiring_from_env, load_demo_data=load_demo_data)
