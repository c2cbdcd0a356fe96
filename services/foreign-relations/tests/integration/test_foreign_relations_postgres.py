"""Foreign relations on the real PostgreSQL and RabbitMQ: letters over the broker,
the agreement timer racing itself."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from kombu import Connection
from sqlalchemy import select

from chancery.idempotency import StoredResponse
from chancery.messages.catalogue import contract
from chancery.messages.outbox import OutgoingMessage, prepare_message
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology
from chancery.runtime import ServiceWiring, migrate, worker
from chancery_testing import wait_for
from foreign_relations.bootstrap import bootstrap
from foreign_relations.config import load_settings
from foreign_relations.models import Invitation
from foreign_relations.partners import Partners
from foreign_relations.timers import Timers

pytestmark = pytest.mark.integration


def wire(database_url: str, broker_url: str, directory: Any) -> ServiceWiring:
    wiring = bootstrap(load_settings({"DATABASE_URL": database_url, "BROKER_URL": broker_url,
                                      "CHANCERY_DATA_DIR": str(directory),
                                      "CHANCERY_PROFILE": "alytus"}))
    migrate(wiring)
    return wiring


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    wired = wire(database_url, "memory://", tmp_path)
    yield wired
    wired.engine.dispose()


def outbox_messages(wiring: ServiceWiring, message_type: str) -> list[dict[str, Any]]:
    outbox = wiring.tables.outbox
    with wiring.engine.connect() as conn:
        return [json.loads(body) for body in conn.execute(
            select(outbox.c.body).where(outbox.c.message_type == message_type)
            .order_by(outbox.c.created_at)).scalars()]



def _outgoing(producer: str, message_type: str, payload: dict[str, Any]) -> OutgoingMessage:
    envelope = prepare_message(producer, message_type, 1, payload, str(uuid.uuid4()))
    return OutgoingMessage(id=envelope.message_id, exchange=contract(message_type, 1).exchange,
                           routing_key=envelope.routing_key, message_type=message_type,
                           body=envelope.to_json().encode(), headers={})


def test_invitation_letters_over_rabbitmq_await_a_decision(database_url, broker_url, tmp_path):
    wiring = wire(database_url, broker_url, tmp_path)
    letter_id = str(uuid.uuid4())
    number = f"G-2026-{uuid.uuid4().int % 10**5:05d}"
    now = datetime.now(UTC)
    registered = {
        "letter_id": letter_id, "registration_number": number, "register": "incoming",
        "kind": "invitation", "channel": "email", "language": "ka",
        "subject": "მოწვევა დაძმობილებული ქალაქების ფორუმზე",
        "addressee": {"kind": "mayor"},
        "sender": {"type": "organisation", "name": "ნინო ბერიძე",
                   "organisation": "თელავის მუნიციპალიტეტი", "preferred_language": "ka"},
        "confidentiality": "normal", "received_at": now, "registered_at": now,
        "status_lookup_code": "K7Q2M4XPAB", "municipality": "alytus"}
    routed = {"letter_id": letter_id, "registration_number": number, "department_code": "COMM",
              "due_date": date.today() + timedelta(days=20), "routed_at": now,
              "kind": "invitation", "subject": registered["subject"], "language": "ka"}
    with Connection(broker_url) as connection:
        declare_topology(connection, 5)
    publisher = ConfirmingAmqpPublisher(broker_url)
    try:
        # Routing's message first: either order must work.
        assert publisher.publish([_outgoing("routing", "letter.routed", routed),
                                  _outgoing("intake", "letter.registered", registered)]) == {}
    finally:
        publisher.close()

    consumer = worker(wiring)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        def invitation() -> Invitation | None:
            with wiring.unit_of_work() as uow:
                return uow.session.scalar(select(Invitation).where(
                    Invitation.letter_id == letter_id))

        found = wait_for(invitation)
        [message] = wait_for(lambda: outbox_messages(wiring, "invitation.awaiting_decision"))
    finally:
        consumer.should_stop = True
        thread.join(10)
        wiring.engine.dispose()
    assert found.status == "proposed"
    assert found.inviter == "თელავის მუნიციპალიტეტი"
    assert found.title == "მოწვევა დაძმობილებული ქალაქების ფორუმზე"
    assert message["payload"]["registration_number"] == number
    assert message["payload"]["letter_id"] == letter_id


def test_the_agreement_timer_run_twice_and_racing_publishes_once(wiring):
    partners: Partners = wiring.extensions["partners"]
    created = partners.create_partner(
        {"city": "Daugavpils", "country": "LV", "relationship": "twin", "languages": ["lv"],
         "areas": ["kultūra"]}, None, lambda row: StoredResponse(201, {"id": row.id}))
    today = partners.today()
    for days in (30, 60, 89):
        partners.create_agreement(
            {"partner_id": created.body["id"], "title": f"Sutartis {days}",
             "starts_on": date(2021, 5, 1), "ends_on": today + timedelta(days=days),
             "renewal": "manual"}, None, lambda row: StoredResponse(201, {"id": row.id}))
    timers: Timers = wiring.extensions["timers"]
    barrier = threading.Barrier(4)

    def run(_: int) -> int:
        barrier.wait()
        return timers.check_agreements(str(uuid.uuid4()))

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(run, range(4)))
    assert sum(counts) == 3
    assert timers.check_agreements(str(uuid.uuid4())) == 0
    messages = outbox_messages(wiring, "agreement.expiring")
    assert sorted(m["payload"]["days_left"] for m in messages) == [30, 60, 89]
