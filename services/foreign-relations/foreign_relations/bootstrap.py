"""The one place that wires foreign relations together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from chancery.clock import utcnow
from chancery.runtime import ServiceApi, ServiceDefinition, ServiceWiring, service_wiring
from foreign_relations.adapters.models import PLATFORM
from foreign_relations.config import ForeignRelationsSettings, load_settings
from foreign_relations.demo import load_demo_data
from foreign_relations.handlers import message_handlers
from foreign_relations.http import BLUEPRINTS
from foreign_relations.timers import Timers, periodic_jobs
from foreign_relations.usecases.agreements import Agreements
from foreign_relations.usecases.invitations import Invitations
from foreign_relations.usecases.partners import Partners
from foreign_relations.usecases.personal_data import pseudonymised_travellers
from foreign_relations.usecases.plans import Plans
from foreign_relations.usecases.projects import Projects
from foreign_relations.usecases.proposals import Proposals
from foreign_relations.usecases.translations import Translations
from foreign_relations.usecases.trips import Trips
from foreign_relations.usecases.visits import Visits

API = ServiceApi(
    "Chancery foreign relations: partner cities and delegations",
    "Partner cities and their open data, cooperation agreements and plans, "
    "invitations from abroad and their decision, outgoing trips and incoming "
    "visits, translations of correspondence, international projects.",
    BLUEPRINTS,
)


def bootstrap(
    settings: ForeignRelationsSettings, *, clock: Callable[[], datetime] = utcnow
) -> ServiceWiring:
    """Foreign relations' wiring from its settings.

    ``clock`` is the use cases' "now" (a test's hand-moved clock).
    """
    wiring = service_wiring(settings.common, PLATFORM, __file__, API)
    profile = wiring.profile
    uow = wiring.unit_of_work
    invitations = Invitations(uow, profile, clock)
    agreements = Agreements(uow, profile, settings.agreement_lead_days, clock)
    projects = Projects(uow, profile, settings.project_lead_days, clock)
    translations = Translations(
        uow,
        profile,
        settings.translation_working_days,
        settings.translation_reminder_working_days,
        clock,
    )
    timers = Timers(agreements, projects, translations)
    wiring.handlers = message_handlers(invitations, translations)
    wiring.extensions = {
        "partners": Partners(uow, profile, clock),
        "agreements": agreements,
        "plans": Plans(uow, profile, clock),
        "invitations": invitations,
        "trips": Trips(uow, profile, settings.passport_margin_months, clock),
        "visits": Visits(uow, profile, clock),
        "translations": translations,
        "projects": projects,
        "proposals": Proposals(uow, profile, clock),
        "timers": timers,
    }
    wiring.purge_rules = (
        pseudonymised_travellers(timedelta(days=settings.pseudonymise_travellers_days)),
    )
    wiring.periodic = periodic_jobs(timers, settings.timer_seconds)
    return wiring


DEFINITION = ServiceDefinition.of(
    "foreign-relations", 8004, "foreign_relations", load_settings, bootstrap, load_demo_data
)
# gunicorn's app factory (``foreign_relations.bootstrap:create_web_app()``), one app per worker.
create_web_app = DEFINITION.create_web_app
