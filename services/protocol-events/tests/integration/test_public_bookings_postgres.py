"""Residents' own bookings on the real PostgreSQL: racing requests of one contact, racing
counters of one client, and an expired hold giving its slot to the next resident."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import ServiceWiring, web_app
from chancery_testing import Clock, run_together, wired_service
from protocol_events.adapters.models import Appointment
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings
from protocol_events.usecases.public_bookings import BookingLimits

pytestmark = pytest.mark.integration
RESIDENTS = 7
# Tuesday 10 March 2026 in Vilnius; on Friday 13 March the working day ends at 15:45, so
# the reception hours 14:00–16:00 give seven slots of 15 minutes.
NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
SLOTS = [f"2026-03-13T{14 + m // 60}:{m % 60:02d}:00+02:00" for m in range(0, 105, 15)]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def wire(database_url: str, tmp_path, clock: Clock, limits: BookingLimits) -> ServiceWiring:
    """Protocol-events' production wiring on the test's clock, with these booking limits."""
    _, wiring = wired_service(
        tmp_path,
        load_settings,
        bootstrap,
        {
            "PROTOCOL_EVENTS_BOOKING_URL": "https://chancery.example.org/public/receptions/booking",
            "PROTOCOL_EVENTS_HOLD_MINUTES": "30",
            "PROTOCOL_EVENTS_BOOKINGS_PER_CLIENT": str(limits.per_client),
            "PROTOCOL_EVENTS_BOOKINGS_PER_CONTACT": str(limits.per_contact),
        },
        database_url=database_url,
        clock=clock,
    )
    return wiring


@pytest.fixture
def wiring(database_url: str, tmp_path, clock: Clock) -> Iterator[ServiceWiring]:
    wired = wire(database_url, tmp_path, clock, BookingLimits(per_client=1000, per_contact=1000))
    yield wired
    wired.engine.dispose()


def an_official(wiring: ServiceWiring) -> str:
    client = web_app(wiring).test_client()
    token = issue_token(DEV_JWT_SECRET, ["protocol_officer"], subject="officer-1")
    officer = {"Authorization": f"Bearer {token}"}
    official = client.post(
        "/officials",
        headers=officer,
        json={"name": "Rimantas Vaitkūnas", "position": {"sq": "Kryetari"}},
    ).get_json()["id"]
    client.put(
        f"/officials/{official}/hours",
        headers=officer,
        json={"hours": [{"weekday": 4, "start": "14:00", "end": "16:00", "slot_minutes": 15}]},
    )
    return official


def race(wiring: ServiceWiring, request_of) -> Counter:
    # Built before the race: an app built in a thread that failed would leave the others
    # waiting at the barrier for ever (the barrier's timeout turns that into an error).
    clients = [web_app(wiring).test_client() for _ in range(RESIDENTS)]
    return Counter(run_together(RESIDENTS, lambda i: request_of(clients[i], i).status_code))


def booking(client, official: str, starts_at: str, email: str, client_address: str):
    return client.post(
        "/public/bookings",
        environ_base={"REMOTE_ADDR": client_address},
        json={
            "official_id": official,
            "starts_at": starts_at,
            "topic": "Ndriçimi i rrugës",
            "visitor": {"name": "Arbër Hoxha", "email": email, "language": "sq"},
        },
    )


def test_one_contact_racing_for_several_slots_holds_one(wiring):
    official = an_official(wiring)
    codes = race(
        wiring, lambda own, i: booking(own, official, SLOTS[i], "arber@example.org", f"192.0.2.{i}")
    )
    assert codes == {202: 1, 409: RESIDENTS - 1}
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Appointment)) == 1


def test_racing_requests_of_one_client_are_all_counted(database_url, tmp_path, clock):
    wiring = wire(database_url, tmp_path, clock, BookingLimits(per_client=3, per_contact=1000))
    try:
        official = an_official(wiring)
        codes = race(
            wiring,
            lambda own, i: booking(
                own, official, SLOTS[i], f"r{i}-{uuid.uuid4().hex[:6]}@example.org", "198.51.100.7"
            ),
        )
        assert codes == {202: 3, 429: RESIDENTS - 3}
    finally:
        wiring.engine.dispose()


def test_an_expired_hold_gives_its_slot_to_the_next_resident(wiring, clock):
    official = an_official(wiring)
    client = web_app(wiring).test_client()
    assert booking(client, official, SLOTS[0], "first@example.org", "192.0.2.1").status_code == 202
    assert booking(client, official, SLOTS[0], "second@example.org", "192.0.2.2").status_code == 409
    clock.now += timedelta(minutes=31)
    assert booking(client, official, SLOTS[0], "second@example.org", "192.0.2.2").status_code == 202
    with wiring.unit_of_work() as uow:
        states = Counter(uow.session.scalars(select(Appointment.status)))
    assert states == {"expired": 1, "pending": 1}
