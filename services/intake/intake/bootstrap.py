"""The one place that wires intake together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from chancery.clock import utcnow
from chancery.runtime import ServiceApi, ServiceDefinition, ServiceWiring, service_wiring
from intake.adapters.extraction import Ocr
from intake.adapters.lookups import LookupLimits, ended_counters
from intake.adapters.models import PLATFORM
from intake.adapters.search import text_search_for
from intake.adapters.storage import (
    AttachmentStore,
    FileAttachmentStore,
    S3AttachmentStore,
    s3_client,
)
from intake.adapters.tally import follow_letter_writes
from intake.config import IntakeSettings, load_settings
from intake.demo import load_demo_data
from intake.handlers import message_handlers
from intake.http import BLUEPRINTS
from intake.timers import periodic_jobs
from intake.usecases.attachments import Attachments
from intake.usecases.destruction import Destruction
from intake.usecases.exports import Exports
from intake.usecases.letters import Letters
from intake.usecases.records import FilePlans
from intake.usecases.rights import PeoplesRights
from intake.usecases.searches import Searches
from intake.usecases.statistics import Statistics
from intake.usecases.status import StatusLookups
from intake.usecases.workflow import Workflow

API = ServiceApi(
    "Chancery intake: the protocol book",
    "Registers incoming and outgoing correspondence, gives registration "
    "numbers, keeps scans, and lets citizens look up their letter's status.",
    BLUEPRINTS,
)


def bootstrap(
    settings: IntakeSettings, *, clock: Callable[[], datetime] | None = None
) -> ServiceWiring:
    """Intake's wiring from its settings.

    ``clock`` replaces every use case's "now" (a test's hand-moved clock);
    without it the records rules follow ``Settings.clock`` and people's
    rights the real time.
    """
    wiring = service_wiring(settings.common, PLATFORM, __file__, API)
    wiring.purge_rules = (ended_counters(),)
    profile = wiring.profile
    store = attachment_store(settings)
    records_clock = clock or settings.common.clock
    text_search = text_search_for(wiring.engine)
    follow_letter_writes(wiring.sessions, profile.time_zone)
    letters = Letters(
        wiring.unit_of_work,
        profile,
        clock=records_clock,
        earliest_received=settings.earliest_received_at,
    )
    attachments = Attachments(
        wiring.unit_of_work,
        profile,
        store,
        clock=records_clock,
        ocr=Ocr(settings.ocr_command, settings.ocr_languages),
    )
    rights = PeoplesRights(wiring.unit_of_work, clock=clock or utcnow)
    workflow = Workflow()
    wiring.handlers = message_handlers(letters, workflow, rights)
    wiring.periodic = periodic_jobs(attachments, settings.extraction_seconds)
    wiring.extensions = {
        "letters": letters,
        "attachments": attachments,
        "workflow": workflow,
        "searches": Searches(
            wiring.unit_of_work, profile, text_search=text_search, clock=records_clock
        ),
        "exports": Exports(
            wiring.unit_of_work, profile, text_search=text_search, clock=records_clock
        ),
        "statistics": Statistics(wiring.unit_of_work, profile, records_clock),
        "status": StatusLookups(
            wiring.unit_of_work,
            profile,
            clock=records_clock,
            lookup_limits=LookupLimits(
                per_number_and_client=settings.lookup_attempts,
                per_client=settings.lookup_client_attempts,
                window=timedelta(minutes=settings.lookup_window_minutes),
            ),
        ),
        "file_plans": FilePlans(wiring.unit_of_work, profile, records_clock),
        "destruction": Destruction(wiring.unit_of_work, store, records_clock),
        "rights": rights,
    }
    return wiring


def attachment_store(settings: IntakeSettings) -> AttachmentStore:
    """The store of scans the settings choose: a folder, or an S3-compatible bucket."""
    limit = settings.common.max_attachment_bytes
    if settings.s3 is None:
        return FileAttachmentStore(settings.attachments_dir, limit)
    s3 = settings.s3
    client = s3_client(s3.endpoint_url, s3.region, s3.access_key_id, s3.secret_access_key)
    return S3AttachmentStore(client, s3.bucket, limit, prefix=s3.prefix)


DEFINITION = ServiceDefinition.of(
    "intake", 8001, "intake", load_settings, bootstrap, load_demo_data
)
# gunicorn's app factory (``intake.bootstrap:create_web_app()``), one app per worker.
create_web_app = DEFINITION.create_web_app
