"""One trace an operator can follow, from ``POST /letters`` to the acknowledgement's SMTP send.

intake, routing and notifications run in real mode (tests/e2e/conftest.py)
and export their spans over OTLP/HTTP (protobuf) to a receiver in this test.
The trace must run: intake's request span → intake relay's producer span →
routing's consumer span → routing relay's producer span → notifications'
consumer span, each consumer span a child of the producer span that published
its message. The acknowledgement is queued while notifications handles
intake's ``letter.registered`` and sent later by its sender loop; the delivery
row keeps the trace context, so the ``smtp send`` span is a child of that
consumer span, in the same trace. No attribute of any span (or resource) may
carry the sender's name, e-mail, the subject or the access code.
"""

from __future__ import annotations

import gzip
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as SpanProto
from prometheus_client.parser import text_string_to_metric_families

from chancery_testing import LocalHandler, serving_http, wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, organisation, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "notifications")
# Its processes send spans to this module's own collector (below).
OWN_SYSTEM = True
# Filled by the receiver fixture before the system starts; spans leave each process
# within a tenth of a second instead of the default five.
EXTRA_ENV: dict[str, str] = {}

SENDER = "Ona Žemaitytė-Trasuotoja"
SUBJECT = "Dėl gatvės apšvietimo Vilties gatvėje"

SERVER, CLIENT, PRODUCER, CONSUMER = (
    SpanProto.SPAN_KIND_SERVER,
    SpanProto.SPAN_KIND_CLIENT,
    SpanProto.SPAN_KIND_PRODUCER,
    SpanProto.SPAN_KIND_CONSUMER,
)


@dataclass(frozen=True)
class ReceivedSpan:
    """A span as the collector got it, with its service's name."""

    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, Any]
    resource: dict[str, Any]


class OtlpReceiver:
    """Keeps every span POSTed to ``/v1/traces`` as an ``ExportTraceServiceRequest``."""

    def __init__(self) -> None:
        self.spans: list[ReceivedSpan] = []
        self._lock = threading.Lock()

    def add(self, body: bytes) -> None:
        """Decode one export request and keep its spans."""
        request = ExportTraceServiceRequest.FromString(body)
        found = []
        for resource_spans in request.resource_spans:
            resource = _attributes(resource_spans.resource.attributes)
            for scope_spans in resource_spans.scope_spans:
                found += [
                    ReceivedSpan(
                        service=str(resource.get("service.name")),
                        name=span.name,
                        kind=span.kind,
                        trace_id=span.trace_id.hex(),
                        span_id=span.span_id.hex(),
                        parent_id=span.parent_span_id.hex(),
                        attributes=_attributes(span.attributes),
                        resource=resource,
                    )
                    for span in scope_spans.spans
                ]
        with self._lock:
            self.spans += found

    def snapshot(self) -> list[ReceivedSpan]:
        """The spans received so far."""
        with self._lock:
            return list(self.spans)


def _attributes(key_values: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in key_values}


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, kind) if kind else None


@pytest.fixture(scope="module", autouse=True)
def otlp_receiver() -> Iterator[OtlpReceiver]:
    """The collector, started before the system (autouse fixtures of a scope come first)."""
    receiver = OtlpReceiver()

    class Handler(LocalHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path != "/v1/traces":
                self.reply(404)
                return
            receiver.add(body)
            answer = ExportTraceServiceResponse().SerializeToString()
            self.reply(200, answer, {"Content-Type": "application/x-protobuf"})

    with serving_http(Handler) as url:
        EXTRA_ENV.update({"OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "100"})
        yield receiver


def test_one_trace_runs_from_the_request_to_the_smtp_send(
    system: WholeSystem, otlp_receiver: OtlpReceiver
) -> None:
    email = f"ona.{uuid.uuid4().hex[:8]}@example.org"
    registrar = system.headers("registrar", subject="trace-clerk")
    letter = system.register(
        registrar, incoming_letter("complaint", "lt", SUBJECT, person(SENDER, email))
    )
    mail = wait_for(lambda: system.mails_to(email), timeout=30, what="the acknowledgement")[0]
    delivery_id = str(mail["Message-ID"]).strip("<>").split("@")[0]

    def chain() -> tuple[list[ReceivedSpan], ...] | None:
        spans = otlp_receiver.snapshot()
        found = _chain(spans)
        smtp = [
            s
            for s in spans
            if s.name == "smtp send" and s.attributes.get("chancery.delivery_id") == delivery_id
        ]
        return (found, smtp) if found and smtp else None

    (request, published, routed, republished, notified), [smtp] = wait_for(
        chain, timeout=20, what="the whole trace at the receiver"
    )

    assert request.service == "chancery-intake"
    for producer, consumer, exchange, routing_key, queue in (
        (published, routed, "intake.events", "letter.registered.v1", "routing.messages"),
        (republished, notified, "routing.events", None, "notifications.messages"),
    ):
        assert consumer.parent_id == producer.span_id
        assert consumer.name == f"{queue} process"
        assert (
            producer.attributes["messaging.message.id"]
            == consumer.attributes["messaging.message.id"]
        )
        for span, operation in ((producer, "publish"), (consumer, "process")):
            assert span.attributes["messaging.system"] == "rabbitmq"
            assert span.attributes["messaging.destination.name"] == exchange
            assert span.attributes["messaging.operation.type"] == operation
            if routing_key:
                assert span.attributes["messaging.rabbitmq.destination.routing_key"] == routing_key
    assert notified.attributes["chancery.outcome"] == "handled"

    # The mail: queued by the consumer of the delivery's cause, sent in that trace.
    assert smtp.service == "chancery-notifications"
    assert smtp.kind == CLIENT
    assert smtp.attributes["server.address"] == "127.0.0.1"
    assert smtp.attributes["chancery.outcome"] == "delivered"
    operator = system.headers("operator", subject="trace-operator")
    delivery = system.call(
        "GET", "notifications", f"/notifications/{delivery_id}", 200, operator
    ).json()
    acknowledged = _one(
        otlp_receiver.snapshot(),
        lambda s: (
            s.kind == CONSUMER
            and s.service == "chancery-notifications"
            and s.trace_id == request.trace_id
            and s.attributes.get("messaging.message.id") == delivery["cause"]
        ),
    )
    [cause] = [s for s in otlp_receiver.snapshot() if s.span_id == acknowledged.parent_id]
    assert cause.kind == PRODUCER
    assert cause.attributes["messaging.message.id"] == delivery["cause"]
    assert smtp.trace_id == request.trace_id
    assert smtp.parent_id == acknowledged.span_id

    secrets = [SENDER, "Žemaitytė", email, SUBJECT, "apšvietimo", letter["status_lookup_code"]]
    for span in otlp_receiver.snapshot():
        for key, value in {**span.attributes, **span.resource}.items():
            for secret in secrets:
                assert secret not in str(value), f"{span.service} {span.name}: {key}"
    traced = [s for s in otlp_receiver.snapshot() if s.trace_id == request.trace_id]
    print(
        f"[trace] spans={len(traced)} services={sorted({s.service for s in traced})} "
        f"consumers={sum(s.kind == CONSUMER for s in traced)} "
        f"producers={sum(s.kind == PRODUCER for s in traced)}"
    )


def test_metrics_show_requests_messages_the_outbox_lag_and_dead_letters(
    system: WholeSystem,
) -> None:
    """Each web's /metrics carries its worker's and relay's samples too (one metrics dir)."""
    registrar = system.headers("registrar", subject="metrics-clerk")
    system.register(
        registrar,
        incoming_letter(
            "proposal", "lt", "Dėl suoliukų", organisation("Bendruomenė"), channel="post"
        ),
    )
    wanted = {
        "intake": {
            ("chancery_http_requests_total", "POST", "201"),
            ("chancery_messages_published_total", None, None),
            ("chancery_messages_consumed_total", "handled", None),
            ("chancery_outbox_lag_seconds", None, None),
            ("chancery_dead_letters", None, None),
        },
        "routing": {
            ("chancery_messages_consumed_total", "handled", None),
            ("chancery_messages_published_total", None, None),
            ("chancery_outbox_lag_seconds", None, None),
            ("chancery_dead_letters", None, None),
        },
        "notifications": {
            ("chancery_messages_consumed_total", "handled", None),
            ("chancery_dead_letters", None, None),
        },
    }

    def missing() -> dict[str, set] | None:
        left = {service: names - _samples(system, service) for service, names in wanted.items()}
        return None if any(left.values()) else left

    # The dead-letter depth is measured by the worker every 15 s.
    wait_for(missing, timeout=25, what="every metric on every service's /metrics")


def _samples(system: WholeSystem, service: str) -> set[tuple[str, str | None, str | None]]:
    """(name, method or outcome, status) of the service's samples with its own label."""
    text = requests.get(system.url(service, "/metrics"), timeout=10).text
    found = set()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.labels.get("service") != service:
                continue
            found.add((sample.name, None, None))
            found.add((sample.name, sample.labels.get("outcome"), None))
            found.add((sample.name, sample.labels.get("method"), sample.labels.get("status")))
    return found


def _chain(spans: list[ReceivedSpan]) -> list[ReceivedSpan] | None:
    """request → intake publish → routing process → routing publish → notifications process."""
    by_id = {s.span_id: s for s in spans}
    for notified in spans:
        if notified.kind != CONSUMER or notified.service != "chancery-notifications":
            continue
        path = [notified]
        while path[-1].parent_id in by_id:
            path.append(by_id[path[-1].parent_id])
        services_and_kinds = [(s.service.removeprefix("chancery-"), s.kind) for s in reversed(path)]
        if services_and_kinds == [
            ("intake", SERVER),
            ("intake", PRODUCER),
            ("routing", CONSUMER),
            ("routing", PRODUCER),
            ("notifications", CONSUMER),
        ]:
            request = path[-1]
            if request.name.startswith("POST") and not request.parent_id:
                return list(reversed(path))
    return None


def _one(spans: list[ReceivedSpan], match: Callable[[ReceivedSpan], bool]) -> ReceivedSpan:
    found = [s for s in spans if match(s)]
    assert len(found) == 1, [(s.service, s.name) for s in found]
    return found[0]
