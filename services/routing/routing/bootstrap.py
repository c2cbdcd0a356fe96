"""The one place that wires routing together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chancery.clock import utcnow
from chancery.declared_days import CalendarSource
from chancery.runtime import ServiceApi, ServiceDefinition, ServiceWiring, service_wiring
from routing.adapters.models import CALENDAR_DAYS, PLATFORM
from routing.config import RoutingSettings, load_settings
from routing.handlers import message_handlers
from routing.http import BLUEPRINTS
from routing.timers import periodic_jobs
from routing.usecases.assignments import Assignments
from routing.usecases.calendar import DeclaredDays
from routing.usecases.departments import Departments
from routing.usecases.endorsements import Endorsements
from routing.usecases.letters import Letters
from routing.usecases.reports import Reports
from routing.usecases.rules import Rules
from routing.usecases.staff import Directory
from routing.usecases.triage import Triage

API = ServiceApi(
    "Chancery routing: distribution and execution control",
    "Routes registered letters to departments by ordered rules, computes "
    "legal deadlines in working days, tracks executors, endorsement and "
    "answers, and reports on-time rates.",
    BLUEPRINTS,
)


def bootstrap(
    settings: RoutingSettings, *, clock: Callable[[], datetime] | None = None
) -> ServiceWiring:
    """Routing's wiring from its settings.

    ``clock`` replaces every use case's "now" (a test's hand-moved clock);
    without it the workflow's deadlines follow ``Settings.clock`` and the
    rest the real time.
    """
    wiring = service_wiring(settings.common, PLATFORM, __file__, API)
    profile = wiring.profile
    now = clock or utcnow
    workflow_clock = clock or settings.common.clock
    # One calendar of the moment (profile + declared days) for every use case on a letter.
    calendars = CalendarSource(profile, CALENDAR_DAYS)
    letters = Letters(wiring.unit_of_work, profile, workflow_clock, calendars)
    triage = Triage(wiring.unit_of_work, profile, workflow_clock, calendars)
    departments = Departments(wiring.unit_of_work, profile)
    assignments = Assignments(
        wiring.unit_of_work, calendars, profile.due_soon_working_days, clock=now
    )
    wiring.handlers = message_handlers(letters, triage)
    wiring.extensions = {
        "letters": letters,
        "triage": triage,
        "endorsements": Endorsements(wiring.unit_of_work, profile, workflow_clock, calendars),
        "assignments": assignments,
        "departments": departments,
        "rules": Rules(wiring.unit_of_work),
        "reports": Reports(wiring.unit_of_work, calendars.base, clock=now),
        "calendar": DeclaredDays(wiring.unit_of_work, profile, clock=now),
        "staff": Directory(wiring.unit_of_work, clock=now),
    }
    wiring.periodic = periodic_jobs(assignments, settings.timer_seconds)
    wiring.after_migrate = departments.load_profile
    return wiring


DEFINITION = ServiceDefinition.of("routing", 8002, "routing", load_settings, bootstrap)
# gunicorn's app factory (``routing.bootstrap:create_web_app()``), one app per worker.
create_web_app = DEFINITION.create_web_app
