"""The scrubbing span processor: no raw request, no error text, server spans by route."""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

from chancery.telemetry import ScrubbingSpanProcessor

ADDRESS = "ona.zemaityte@example.org"


def traced() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(ScrubbingSpanProcessor(SimpleSpanProcessor(exporter)))
    return provider, exporter


def test_a_failed_statement_keeps_its_error_type_but_not_its_text():
    provider, exporter = traced()
    with provider.get_tracer("test").start_as_current_span(
        "INSERT", kind=SpanKind.CLIENT, record_exception=False, set_status_on_exception=False
    ) as span:
        span.set_attribute("db.statement", "INSERT INTO staff (email) VALUES (%(email)s)")
        span.record_exception(ValueError(f"Key (email)=({ADDRESS}) already exists"))
        span.set_status(Status(StatusCode.ERROR, f"duplicate key: {ADDRESS}"))
    [finished] = exporter.get_finished_spans()
    assert finished.status.status_code is StatusCode.ERROR
    assert finished.status.description is None
    [event] = finished.events
    assert dict(event.attributes) == {"exception.type": "ValueError", "exception.escaped": "False"}
    assert finished.attributes["db.statement"].endswith("VALUES (%(email)s)")


def test_a_server_span_loses_its_target_and_is_named_by_its_route():
    provider, exporter = traced()
    with provider.get_tracer("test").start_as_current_span(
        f"GET /preferences/{ADDRESS}",
        kind=SpanKind.SERVER,
        attributes={
            "http.method": "GET",
            "http.target": f"/preferences/{ADDRESS}?x=1",
            "http.route": "/preferences/<string:recipient>",
            "net.peer.ip": "10.1.2.3",
            "http.request.header.cookie": "session=1",
            "http.status_code": 404,
        },
    ):
        pass
    [finished] = exporter.get_finished_spans()
    assert finished.name == "GET /preferences/<string:recipient>"
    assert dict(finished.attributes) == {
        "http.method": "GET",
        "http.status_code": 404,
        "http.route": "/preferences/<string:recipient>",
    }
