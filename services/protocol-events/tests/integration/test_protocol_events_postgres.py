"""Protocol-events on the real PostgreSQL and RabbitMQ: booking races, consuming."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from kombu import Connection, Exchange, Producer
from sqlalchemy import func, select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.envelope import Envelope
from chancery.runtime import (
    ServiceWiring,
    declare,
    migrate,
    run_worker_until,
    web_app,
)
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings
from protocol_events.models import Appointment, Event, Participant, ResourceBooking
from protocol_events.receptions import Receptions

pytestmark = pytest.mark.integration
CLERKS = 8
# Tuesday 10 March 2026 in Vilnius; Friday 13 March has reception hours from 14:00.
NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
SLOT = "2026-03-13T14:20:00+02:00"


def headers(*roles: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, list(roles), subject=f"{roles[0]}-{uuid.uuid4().hex[:8]}")
    return {"Authorization": f"Bearer {token}"}


def make_wiring(database_url: str, broker_url: str, tmp_path) -> ServiceWiring:
    wiring = bootstrap(load_settings({"DATABASE_URL": database_url, "BROKER_URL": broker_url,
                                      "CHANCERY_DATA_DIR": str(tmp_path),
                                      "CHANCERY_PROFILE": "alytus"}))
    migrate(wiring)
    return wiring


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    wired = make_wiring(database_url, "memory://", tmp_path)
    receptions = wired.extensions["receptions"]
    wired.extensions = {**wired.extensions, "receptions": Receptions(
        wired.unit_of_work, receptions.profile, clock=lambda: NOW)}
    yield wired
    wired.engine.dispose()


def test_concurrent_clerks_booking_one_slot_exactly_one_wins(wiring):
    client = web_app(wiring).test_client()
    official = client.post("/officials", headers=headers("protocol_officer"), json={
        "name": "Rimantas Vaitkūnas", "position": {"lt": "Meras"}}).get_json()["id"]
    client.put(f"/officials/{official}/hours", headers=headers("protocol_officer"), json={
        "hours": [{"weekday": 4, "start": "14:00", "end": "16:00", "slot_minutes": 20}]})
    start = threading.Barrier(CLERKS)

    def attempt(i: int) -> int:
        own = web_app(wiring).test_client()
        start.wait()
        return own.post("/appointments", headers=headers("registrar"), json={
            "official_id": official, "starts_at": SLOT, "topic": f"Klausimas nr. {i}",
            "visitor": {"name": f"Gyventoja Nr. {i}", "email": f"r{i}@example.org"}}).status_code

    with ThreadPoolExecutor(CLERKS) as pool:
        codes = Counter(pool.map(attempt, range(CLERKS)))
    assert codes == {201: 1, 409: CLERKS - 1}
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Appointment)) == 1
        outbox = wiring.tables.outbox
        assert uow.session.scalar(select(func.count()).select_from(outbox).where(
            outbox.c.message_type == "appointment.booked")) == 1


def test_concurrent_overlapping_resource_bookings_exactly_one_wins(wiring):
    client = web_app(wiring).test_client()
    officer = headers("protocol_officer")
    hall = client.post("/resources", headers=officer,
                       json={"kind": "room", "name": "Didžioji salė"}).get_json()["id"]
    events = [client.post("/events", headers=officer, json={
        "kind": "meeting", "protocol_level": "municipal", "title": {"lt": f"Posėdis {i}"},
        "starts_at": "2026-05-04T10:00:00+03:00", "ends_at": "2026-05-04T12:00:00+03:00"}
    ).get_json()["id"] for i in range(CLERKS)]
    start = threading.Barrier(CLERKS)

    def attempt(i: int) -> int:
        own = web_app(wiring).test_client()
        start.wait()
        # Different but overlapping spans, so no unique index could catch them: only the lock.
        return own.post(f"/events/{events[i]}/bookings", headers=officer, json={
            "resource_id": hall, "starts_at": f"2026-05-04T10:{i:02d}:00+03:00",
            "ends_at": f"2026-05-04T11:{i:02d}:00+03:00"}).status_code

    with ThreadPoolExecutor(CLERKS) as pool:
        codes = Counter(pool.map(attempt, range(CLERKS)))
    assert codes == {201: 1, 409: CLERKS - 1}
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ResourceBooking)) == 1


def test_a_visit_approved_over_rabbitmq_becomes_a_draft_event(database_url, broker_url, tmp_path):
    wiring = make_wiring(database_url, broker_url, tmp_path)
    declare(wiring.settings)
    visit_id = str(uuid.uuid4())
    envelope = Envelope(type="delegation.visit_approved", version=1, producer="foreign-relations",
                        correlation_id="c-visit", payload={
        "visit_id": visit_id, "title": "Vlorës delegacioni në Alytų", "city": "Vlorë",
        "country": "AL", "arrives_at": "2026-06-02T18:00:00+03:00",
        "departs_at": "2026-06-05T10:00:00+03:00", "host_department_code": "COMM",
        "language": "sq", "members": [{"name": "Arbër Hoxha", "role": "mayor", "head": True},
                                      {"name": "Dritë Çela", "rank": "delegation_member"}],
        "approved_by": "mayor-1", "approved_at": "2026-05-20T09:00:00+03:00"})
    with Connection(broker_url) as connection:
        Producer(connection).publish(
            envelope.to_json().encode(), exchange=Exchange("foreign-relations.events",
                                                           type="topic", durable=True),
            routing_key=envelope.routing_key, content_type="application/json",
            content_encoding="utf-8")
    stop = threading.Event()
    run_worker_until(wiring, stop)
    try:
        deadline = time.monotonic() + 20
        event = None
        while event is None and time.monotonic() < deadline:
            with wiring.unit_of_work() as uow:
                event = uow.session.scalar(select(Event).where(Event.visit_id == visit_id))
                names = sorted(uow.session.scalars(select(Participant.name)))
            if event is None:
                time.sleep(0.05)
        assert event is not None, "the visit never became an event"
        assert (event.status, event.kind) == ("draft", "delegation_visit")
        assert event.title == {"sq": "Vlorës delegacioni në Alytų"}
        assert names == ["Arbër Hoxha", "Dritë Çela"]
    finally:
        stop.set()
        wiring.engine.dispose()
