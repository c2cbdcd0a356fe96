"""JSON log lines carry the trace id and the extras given, one object per line."""

from __future__ import annotations

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from chancery.logs import JsonFormatter


def record(message: str, **extra: object) -> logging.LogRecord:
    entry = logging.makeLogRecord(
        {
            "name": "chancery.test",
            "levelname": "WARNING",
            "msg": message,
            "levelno": logging.WARNING,
        }
    )
    entry.__dict__.update(extra)
    return entry


def test_a_line_is_one_json_object_with_the_extras() -> None:
    line = JsonFormatter("intake").format(
        record("message dead-lettered", message_id="m-1", reason="Skundas ą")
    )
    entry = json.loads(line)
    assert entry["service"] == "intake"
    assert entry["level"] == "WARNING"
    assert entry["message"] == "message dead-lettered"
    assert entry["message_id"] == "m-1"
    assert entry["reason"] == "Skundas ą"
    assert "\n" not in line
    assert "trace_id" not in entry


def test_a_line_written_inside_a_span_names_its_trace() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        entry = json.loads(JsonFormatter("routing").format(record("routed")))
    assert entry["trace_id"] == format(span.get_span_context().trace_id, "032x")
