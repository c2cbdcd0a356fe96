"""The one place that wires protocol-events together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from chancery.clock import utcnow
from chancery.runtime import ServiceApi, ServiceDefinition, ServiceWiring, service_wiring
from protocol_events.adapters.models import PLATFORM
from protocol_events.config import ProtocolEventsSettings, load_settings
from protocol_events.demo import load_demo_data
from protocol_events.handlers import message_handlers
from protocol_events.http import BLUEPRINTS
from protocol_events.timers import periodic_jobs
from protocol_events.usecases.accreditations import Accreditations
from protocol_events.usecases.appointments import Appointments
from protocol_events.usecases.awards import Awards
from protocol_events.usecases.calendars import Calendars
from protocol_events.usecases.costs import Costs
from protocol_events.usecases.events import Events
from protocol_events.usecases.officials import Officials
from protocol_events.usecases.participants import Participants
from protocol_events.usecases.personal_data import pseudonymised_visitors
from protocol_events.usecases.programme import Programme
from protocol_events.usecases.public_bookings import BookingLimits, PublicBookings, ended_counters
from protocol_events.usecases.resources import Resources

# The use cases of an event and its parts, by the name the views find them under.
EVENT_USE_CASES: dict[
    str, type[Events | Participants | Programme | Resources | Accreditations | Costs | Calendars]
] = {
    "events": Events,
    "participants": Participants,
    "programme": Programme,
    "resources": Resources,
    "accreditations": Accreditations,
    "costs": Costs,
    "calendars": Calendars,
}

API = ServiceApi(
    "Chancery protocol events: official events and receptions",
    "Official events under protocol with their programme, resources, "
    "participants in order of precedence, press accreditation and "
    "representation expenses; officials' reception hours with residents' "
    "bookings and the visitor log; iCalendar files and feeds.",
    BLUEPRINTS,
)


def bootstrap(
    settings: ProtocolEventsSettings, *, clock: Callable[[], datetime] = utcnow
) -> ServiceWiring:
    """Protocol-events' wiring from its settings.

    ``clock`` is the use cases' "now" (a test's hand-moved clock).
    """
    wiring = service_wiring(settings.common, PLATFORM, __file__, API)
    event_parts = {
        name: kind(wiring.unit_of_work, wiring.profile, clock, answer_url=settings.invitation_url)
        for name, kind in EVENT_USE_CASES.items()
    }
    events = event_parts["events"]
    officials, appointments = (
        kind(
            wiring.unit_of_work,
            wiring.profile,
            settings.reminder_hours,
            settings.booking_horizon_days,
            clock,
        )
        for kind in (Officials, Appointments)
    )
    wiring.handlers = message_handlers(events, officials, appointments)
    wiring.extensions = {
        **event_parts,
        "officials": officials,
        "appointments": appointments,
        "public_bookings": public_bookings(officials, appointments, settings),
        "awards": Awards(wiring.unit_of_work, wiring.profile),
        "public_url": settings.public_url,
    }
    wiring.purge_rules = (
        ended_counters(),
        pseudonymised_visitors(timedelta(days=settings.pseudonymise_visitors_days)),
    )
    wiring.periodic = periodic_jobs(appointments, settings.timer_seconds)
    return wiring


def public_bookings(
    officials: Officials, appointments: Appointments, settings: ProtocolEventsSettings
) -> PublicBookings:
    """Residents' own bookings of ``officials``' slots with the configured hold and limits."""
    return PublicBookings(
        officials,
        appointments,
        settings.booking_url,
        timedelta(minutes=settings.hold_minutes),
        BookingLimits(
            per_client=settings.bookings_per_client, per_contact=settings.bookings_per_contact
        ),
    )


DEFINITION = ServiceDefinition.of(
    "protocol-events", 8003, "protocol_events", load_settings, bootstrap, load_demo_data
)
# gunicorn's app factory (``protocol_events.bootstrap:create_web_app()``), one app per worker.
create_web_app = DEFINITION.create_web_app
