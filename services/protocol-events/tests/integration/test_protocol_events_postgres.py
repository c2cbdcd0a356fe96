"""Protocol-events on the real PostgreSQL and RabbitMQ: booking races, consuming."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
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
    run_worker_until,
    web_app,
)
from chancery_testing import run_together, wait_for, wired_service
from protocol_events.adapters.models import (
    Appointment,
    Event,
    Official,
    Participant,
    ResourceBooking,
)
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings

pytestmark = pytest.mark.integration
CLERKS = 8
# Tuesday 10 March 2026 in Vilnius; Friday 13 March has reception hours from 14:00.
NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
SLOT = "2026-03-13T14:20:00+02:00"


def headers(*roles: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, list(roles), subject=f"{roles[0]}-{uuid.uuid4().hex[:8]}")
    return {"Authorization": f"Bearer {token}"}


def publish(broker_url: str, envelope: Envelope) -> None:
    """Publish ``envelope`` on its producer's events exchange, as that service would."""
    with Connection(broker_url) as connection:
        Producer(connection).publish(
            envelope.to_json().encode(),
            exchange=Exchange(f"{envelope.producer}.events", type="topic", durable=True),
            routing_key=envelope.routing_key,
            content_type="application/json",
            content_encoding="utf-8",
        )


def make_wiring(database_url: str, broker_url: str, tmp_path, **overrides) -> ServiceWiring:
    """Protocol-events' production wiring on ``database_url`` and ``broker_url``."""
    _, wiring = wired_service(
        tmp_path,
        load_settings,
        bootstrap,
        {"BROKER_URL": broker_url},
        database_url=database_url,
        **overrides,
    )
    return wiring


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    wired = make_wiring(database_url, "memory://", tmp_path, clock=lambda: NOW)
    yield wired
    wired.engine.dispose()


def test_concurrent_clerks_booking_one_slot_exactly_one_wins(wiring):
    client = web_app(wiring).test_client()
    official = client.post(
        "/officials",
        headers=headers("protocol_officer"),
        json={"name": "Rimantas Vaitkūnas", "position": {"lt": "Meras"}},
    ).get_json()["id"]
    client.put(
        f"/officials/{official}/hours",
        headers=headers("protocol_officer"),
        json={"hours": [{"weekday": 4, "start": "14:00", "end": "16:00", "slot_minutes": 20}]},
    )
    # Each clerk's app is built before the race, and the barrier gives up after a minute:
    # a clerk whose app failed to build in its thread left the others waiting for ever.
    clients = [web_app(wiring).test_client() for _ in range(CLERKS)]

    def attempt(i: int) -> int:
        return (
            clients[i]
            .post(
                "/appointments",
                headers=headers("registrar"),
                json={
                    "official_id": official,
                    "starts_at": SLOT,
                    "topic": f"Klausimas nr. {i}",
                    "visitor": {"name": f"Gyventoja Nr. {i}", "email": f"r{i}@example.org"},
                },
            )
            .status_code
        )

    codes = Counter(run_together(CLERKS, attempt))
    assert codes == {201: 1, 409: CLERKS - 1}
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Appointment)) == 1
        outbox = wiring.tables.outbox
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.message_type == "appointment.booked")
            )
            == 1
        )


def test_concurrent_overlapping_resource_bookings_exactly_one_wins(wiring):
    client = web_app(wiring).test_client()
    officer = headers("protocol_officer")
    hall = client.post(
        "/resources", headers=officer, json={"kind": "room", "name": "Didžioji salė"}
    ).get_json()["id"]
    events = [
        client.post(
            "/events",
            headers=officer,
            json={
                "kind": "meeting",
                "protocol_level": "municipal",
                "title": {"lt": f"Posėdis {i}"},
                "starts_at": "2026-05-04T10:00:00+03:00",
                "ends_at": "2026-05-04T12:00:00+03:00",
            },
        ).get_json()["id"]
        for i in range(CLERKS)
    ]
    # Each clerk's app is built before the race, and the barrier gives up after a minute:
    # a clerk whose app failed to build in its thread left the others waiting for ever.
    clients = [web_app(wiring).test_client() for _ in range(CLERKS)]

    def attempt(i: int) -> int:
        # Different but overlapping spans, so no unique index could catch them: only the lock.
        return (
            clients[i]
            .post(
                f"/events/{events[i]}/bookings",
                headers=officer,
                json={
                    "resource_id": hall,
                    "starts_at": f"2026-05-04T10:{i:02d}:00+03:00",
                    "ends_at": f"2026-05-04T11:{i:02d}:00+03:00",
                },
            )
            .status_code
        )

    codes = Counter(run_together(CLERKS, attempt))
    assert codes == {201: 1, 409: CLERKS - 1}
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ResourceBooking)) == 1


def test_a_visit_approved_over_rabbitmq_becomes_a_draft_event(database_url, broker_url, tmp_path):
    wiring = make_wiring(database_url, broker_url, tmp_path)
    declare(wiring.settings)
    visit_id = str(uuid.uuid4())
    envelope = Envelope(
        type="delegation.visit_approved",
        version=1,
        producer="foreign-relations",
        correlation_id="c-visit",
        payload={
            "visit_id": visit_id,
            "title": "Vlorës delegacioni në Alytų",
            "city": "Vlorë",
            "country": "AL",
            "arrives_at": "2026-06-02T18:00:00+03:00",
            "departs_at": "2026-06-05T10:00:00+03:00",
            "host_department_code": "COMM",
            "language": "sq",
            "members": [
                {"name": "Arbër Hoxha", "role": "mayor", "head": True},
                {"name": "Dritë Çela", "rank": "delegation_member"},
            ],
            "approved_by": "mayor-1",
            "approved_at": "2026-05-20T09:00:00+03:00",
        },
    )
    publish(broker_url, envelope)
    stop = threading.Event()
    run_worker_until(wiring, stop)
    try:

        def made() -> tuple[Event, list[str]] | None:
            with wiring.unit_of_work() as uow:
                found = uow.session.scalar(select(Event).where(Event.visit_id == visit_id))
                if found is None:
                    return None
                return found, sorted(uow.session.scalars(select(Participant.name)))

        event, names = wait_for(made, 20, "the visit's event")
        assert (event.status, event.kind) == ("draft", "delegation_visit")
        assert event.title == {"sq": "Vlorës delegacioni në Alytų"}
        assert names == ["Arbër Hoxha", "Dritë Çela"]
    finally:
        stop.set()
        wiring.engine.dispose()


def test_a_directory_change_over_rabbitmq_renames_the_official(database_url, broker_url, tmp_path):
    wiring = make_wiring(database_url, broker_url, tmp_path)
    declare(wiring.settings)
    subject = f"deputy-{uuid.uuid4().hex[:8]}"
    official = wiring.extensions["officials"].create_official(
        {
            "name": "Ilze Ozoliņa",
            "staff_subject": subject,
            "addressee_kind": "deputy_mayor",
            "position": {"lv": "Mēra vietniece"},
            "place": "Rātslaukums 1",
            "email": None,
        }
    )
    envelope = Envelope(
        type="staff.member_changed",
        version=1,
        producer="routing",
        correlation_id="c-staff",
        payload={
            "subject": subject,
            "name": "Ilze Ozoliņa-Bērziņa",
            "department_code": "MAYOR",
            "roles": ["deputy_mayor"],
            "positions": {"lv": "Mēra pirmā vietniece"},
            "email": "ilze.ozolina@example.org",
            "phone": None,
            "language": "lv",
            "active": True,
            "changed_at": "2026-03-10T09:00:00+02:00",
        },
    )
    publish(broker_url, envelope)
    stop = threading.Event()
    run_worker_until(wiring, stop)
    try:

        def renamed() -> Official | None:
            with wiring.unit_of_work() as uow:
                found = uow.session.get(Official, official.id)
                return found if found.name == "Ilze Ozoliņa-Bērziņa" else None

        kept = wait_for(renamed, 20, "the official renamed from the directory")
        assert kept.position == {"lv": "Mēra pirmā vietniece"}
        assert (kept.email, kept.place) == ("ilze.ozolina@example.org", "Rātslaukums 1")
    finally:
        stop.set()
        wiring.engine.dispose()
