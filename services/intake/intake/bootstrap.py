"""The one place that wires intake together."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask

from chancery.profiles import load_profile
from chancery.runtime import (
    PeriodicJob,
    ServiceDefinition,
    ServiceWiring,
    database_engine,
    traced_web_app,
)
from intake.api import BLUEPRINTS
from intake.attachments import AttachmentStore
from intake.config import IntakeSettings, load_settings
from intake.demo import load_demo_data
from intake.destruction import Destruction
from intake.extraction import Ocr
from intake.handlers import message_handlers
from intake.lookups import LookupLimits, ended_counters
from intake.models import PLATFORM
from intake.records import FilePlans
from intake.search import text_search_for
from intake.services import Intake

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: IntakeSettings | None = None) -> ServiceWiring:
    """Intake's wiring from its settings (default: the environment)."""
    settings = settings or load_settings()
    common = settings.common
    engine = database_engine(common)
    wiring = ServiceWiring(
        settings=common, engine=engine, tables=PLATFORM, migrations=MIGRATIONS,
        title="Chancery intake: the protocol book",
        description="Registers incoming and outgoing correspondence, gives registration "
                    "numbers, keeps scans, and lets citizens look up their letter's status.",
        blueprints=BLUEPRINTS, purge_rules=(ended_counters(),))
    profile = load_profile(common.profile)
    store = AttachmentStore(settings.attachments_dir, common.max_attachment_bytes)
    intake = Intake(
        wiring.unit_of_work, profile, store,
        lookup_limits=LookupLimits(
            per_number_and_client=settings.lookup_attempts,
            per_client=settings.lookup_client_attempts,
            window=timedelta(minutes=settings.lookup_window_minutes)),
        earliest_received=settings.earliest_received_at,
        text_search=text_search_for(engine),
        ocr=Ocr(settings.ocr_command, settings.ocr_languages))
    wiring.handlers = message_handlers(intake)
    wiring.periodic = (PeriodicJob("scan-text", settings.extraction_seconds,
                                   intake.extract_pending_scans),)
    wiring.extensions = {"intake": intake,
                         "file_plans": FilePlans(wiring.unit_of_work, profile),
                         "destruction": Destruction(wiring.unit_of_work, store)}
    return wiring


def create_web_app() -> Flask:
    """gunicorn's app factory (``intake.bootstrap:create_web_app()``), one per worker."""
    return traced_web_app(load_settings(), bootstrap)


def _wiring_from_env(env: Mapping[str, str]) -> ServiceWiring:
    return bootstrap(load_settings(env))


DEFINITION = ServiceDefinition(name="intake", port=8001, module="intake",
                               wiring_from_env=_wiring_from_env, load_demo_data=load_demo_data)
