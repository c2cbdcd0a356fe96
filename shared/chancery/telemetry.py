"""OpenTelemetry setup and the messaging span attributes.

Traces go to OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, to the
console with ``OTEL_TRACES_EXPORTER=console``, and nowhere otherwise (an
exporter without a collector retries and slows shutdown). Spans carry ids
and routing facts only, never personal data: no names, e-mails, subjects.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

_configured: dict[str, TracerProvider] = {}


def configure_tracing(service: str, exporter: str, endpoint: str | None = None,
                      processor: SpanProcessor | None = None) -> TracerProvider | None:
    """Install the global tracer provider once per process.

    ``processor`` overrides the exporter choice (tests pass an in-memory one).
    Returns the provider, or None when tracing is off.
    """
    if "provider" in _configured:
        return _configured["provider"]
    if processor is None:
        processor = _processor_for(exporter, endpoint)
    if processor is None:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": f"chancery-{service}"}))
    provider.add_span_processor(processor)
    trace.set_tracer_provider(provider)
    _configured["provider"] = provider
    return provider


def _processor_for(exporter: str, endpoint: str | None) -> SpanProcessor | None:
    if exporter == "otlp" and endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces"))
    if exporter == "console":
        return BatchSpanProcessor(ConsoleSpanExporter())
    return None


def instrument_flask(app: Any) -> None:
    """Trace every request of ``app`` (no-op without a configured provider)."""
    if "provider" not in _configured:
        return
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    # The citizen's status lookup carries its access code in the query
    # string, which request spans would record: it is not traced at all.
    FlaskInstrumentor().instrument_app(app, excluded_urls="healthz,readyz,metrics,status/")


def instrument_engine(engine: Any) -> None:
    """Trace SQL statements of ``engine`` (statements have bound parameters, not values)."""
    if "provider" not in _configured:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # 0.66b1 declares SQLAlchemy < 2.1 although the engine events it hooks
    # are unchanged in 2.1; the tracing test checks SQL spans still appear.
    SQLAlchemyInstrumentor().instrument(engine=engine, enable_commenter=False,
                                        skip_dep_check=True)


def messaging_attributes(exchange: str, routing_key: str, message_id: str,
                         operation: str) -> dict[str, str]:
    """OpenTelemetry messaging semantic-convention attributes for RabbitMQ."""
    return {
        "messaging.system": "rabbitmq",
        "messaging.destination.name": exchange,
        "messaging.rabbitmq.destination.routing_key": routing_key,
        "messaging.message.id": message_id,
        "messaging.operation.type": operation,
    }


def current_trace_id() -> str | None:
    """The current trace id as 32 hex digits, or None outside a sampled span."""
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None
