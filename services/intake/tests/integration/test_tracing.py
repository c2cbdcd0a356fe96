"""One trace from POST /letters through outbox and RabbitMQ to a consumer, no personal data."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from kombu import Connection
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.db import UnitOfWork
from chancery.messages.consumer import MessageHandling, ReceivedMessage, Worker
from chancery.messages.outbox import OutboxRelay
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology
from chancery.runtime import ServiceWiring, web_app
from chancery_testing import wait_for, wired_service
from intake.bootstrap import bootstrap
from intake.config import load_settings

pytestmark = pytest.mark.integration
SUBJECT = "განცხადება ქუჩის განათების შესახებ"
SENDER = "ნინო ბერიძე"
EMAIL = "nino.beridze@example.org"


@pytest.fixture
def traced_intake(
    database_url: str, broker_url: str, tmp_path, recorded_spans: InMemorySpanExporter
) -> Iterator[ServiceWiring]:
    _, wiring = wired_service(
        tmp_path, load_settings, bootstrap, {"BROKER_URL": broker_url}, database_url=database_url
    )
    yield wiring
    wiring.engine.dispose()


def test_one_trace_runs_from_the_request_to_the_consumer(traced_intake, broker_url, recorded_spans):
    wiring = traced_intake
    client = web_app(wiring).test_client()
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="tracing-clerk")
    response = client.post(
        "/letters",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "kind": "complaint",
            "channel": "email",
            "language": "ka",
            "subject": SUBJECT,
            "sender": {"type": "person", "name": SENDER, "email": EMAIL},
            "addressee": {"kind": "mayor"},
        },
    )
    assert response.status_code == 201
    access_code = response.get_json()["status_lookup_code"]
    assert (
        client.get(
            f"/status/{response.get_json()['registration_number']}?code={access_code}"
        ).status_code
        == 200
    )

    with Connection(broker_url) as connection:
        declare_topology(connection, 5)
    OutboxRelay(wiring.engine, wiring.tables.outbox, ConfirmingAmqpPublisher(broker_url)).run_once()
    handled = threading.Event()

    def on_registered(_uow: UnitOfWork, _message: ReceivedMessage) -> None:
        handled.set()

    handling = MessageHandling(
        {("letter.registered", 1): on_registered}, wiring.unit_of_work, delivery_limit=5
    )
    worker = Worker(Connection(broker_url), "routing", handling, prefetch=5, delivery_limit=5)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        assert handled.wait(20), "the consumer never got letter.registered"
    finally:
        worker.should_stop = True
        thread.join(10)
    spans = finished_spans(recorded_spans, expected_consumer_spans=1)

    server = one(spans, lambda s: s.kind is SpanKind.SERVER and "POST" in s.name)
    producer = one(spans, lambda s: s.kind is SpanKind.PRODUCER)
    consumer = one(spans, lambda s: s.kind is SpanKind.CONSUMER)
    trace_id = server.context.trace_id
    assert producer.context.trace_id == trace_id
    assert consumer.context.trace_id == trace_id
    assert producer.parent.span_id == server.context.span_id
    assert consumer.parent.span_id == producer.context.span_id
    assert producer.attributes["messaging.system"] == "rabbitmq"
    assert producer.attributes["messaging.destination.name"] == "intake.events"
    assert (
        producer.attributes["messaging.rabbitmq.destination.routing_key"] == "letter.registered.v1"
    )
    assert consumer.attributes["messaging.operation.type"] == "process"
    assert any(s.kind is SpanKind.CLIENT and s.context.trace_id == trace_id for s in spans), (
        "the request's SQL statements are traced too"
    )

    secrets = [SUBJECT, SENDER, EMAIL, access_code, "ბერიძე"]
    for span in spans:
        for key, value in (span.attributes or {}).items():
            for secret in secrets:
                assert secret not in str(value), f"{span.name}: {key} carries personal data"


def finished_spans(
    exporter: InMemorySpanExporter, expected_consumer_spans: int, timeout: float = 10
) -> list[ReadableSpan]:
    def finished() -> list[ReadableSpan] | None:
        spans = list(exporter.get_finished_spans())
        consumers = sum(s.kind is SpanKind.CONSUMER for s in spans)
        return spans if consumers >= expected_consumer_spans else None

    return wait_for(finished, timeout, "the consumer span")


def one(spans: list[ReadableSpan], match) -> ReadableSpan:
    found = [s for s in spans if match(s)]
    assert len(found) == 1, [f"{s.kind} {s.name}" for s in spans]
    return found[0]
