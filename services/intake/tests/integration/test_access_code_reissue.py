"""A new access code on PostgreSQL and RabbitMQ: it reaches notifications' queue, then the
outbox forgets it."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator

import pytest
from kombu import Connection
from sqlalchemy import select

from chancery.db import UnitOfWork
from chancery.errors import NotFound
from chancery.idempotency import StoredResponse
from chancery.messages.consumer import MessageHandling, ReceivedMessage, Worker
from chancery.messages.outbox import OutboxRelay
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from chancery_testing import wired_service
from intake.bootstrap import bootstrap
from intake.config import load_settings

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-7", roles=frozenset({"registrar"}))


@pytest.fixture
def wiring(database_url: str, broker_url: str, tmp_path) -> Iterator[ServiceWiring]:
    _, wired = wired_service(
        tmp_path, load_settings, bootstrap, {"BROKER_URL": broker_url}, database_url=database_url
    )
    yield wired
    wired.engine.dispose()


def _answer(body: dict) -> StoredResponse:
    return StoredResponse(201, body)


def test_a_new_code_travels_to_notifications_and_leaves_no_trace_in_the_outbox(
    wiring, broker_url, register_letter
):
    registered = register_letter(
        wiring,
        kind="application",
        channel="post",
        language="sq",
        subject="Kërkesë për ujësjellësin",
        correspondent={"type": "person", "name": "Arbër Hoxha"},
    )
    issued = (
        wiring.extensions["status"]
        .reissue_access_code(
            registered["id"],
            CLERK,
            str(uuid.uuid4()),
            None,
            lambda i: _answer({"code": i.access_code}),
        )
        .body["code"]
    )
    status = wiring.extensions["status"]
    with pytest.raises(NotFound):
        status.citizen_status(registered["number"], registered["code"], "198.51.100.7")
    assert (
        status.citizen_status(registered["number"], issued, "198.51.100.7").status == "registered"
    )

    with Connection(broker_url) as connection:
        declare_topology(connection, 5)
    received: list[dict] = []
    arrived = threading.Event()

    def on_issued(_uow: UnitOfWork, message: ReceivedMessage) -> None:
        received.append(message.envelope.payload)
        arrived.set()

    handling = MessageHandling(
        {
            ("letter.access_code_issued", 1): on_issued,
            ("letter.registered", 1): lambda _uow, _message: None,
        },
        wiring.unit_of_work,
        delivery_limit=5,
    )
    worker = Worker(Connection(broker_url), "notifications", handling, prefetch=5, delivery_limit=5)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert (
            OutboxRelay(
                wiring.engine, wiring.tables.outbox, ConfirmingAmqpPublisher(broker_url)
            ).run_once()
            == 2
        )
        assert arrived.wait(20), "notifications' queue never got letter.access_code_issued"
    finally:
        worker.should_stop = True
        thread.join(10)
    assert received[0]["status_lookup_code"] == issued
    assert received[0]["language"] == "sq"

    outbox = wiring.tables.outbox
    with wiring.engine.connect() as conn:
        bodies = list(conn.scalars(select(outbox.c.body)))
    assert len(bodies) == 2
    for body in bodies:
        assert issued not in body
        assert registered["code"] not in body
        assert json.loads(body)["payload"]["status_lookup_code"] == "[redacted]"
