"""OpenTelemetry setup and the messaging span attributes.

Traces go to OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, to the
console with ``OTEL_TRACES_EXPORTER=console``, and nowhere otherwise (an
exporter without a collector retries and slows shutdown). Spans carry ids
and routing facts only, never personal data: no names, e-mails, subjects.
Every exporter sits behind :class:`ScrubbingSpanProcessor`, which drops the
raw request (paths hold feed tokens and e-mail addresses, query strings
search text) and names server spans by their route template.
"""

from __future__ import annotations

from typing import Any, cast

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace import Status

from chancery.shapes import same_named

_configured: dict[str, Any] = {}


def configure_tracing(
    service: str, exporter: str, endpoint: str | None = None, processor: SpanProcessor | None = None
) -> TracerProvider | None:
    """Install the global tracer provider once per process.

    ``processor`` overrides the exporter choice (tests pass an in-memory one);
    either way spans reach it scrubbed. Returns the provider, or None when
    tracing is off.
    """
    if "provider" in _configured:
        return cast(TracerProvider, _configured["provider"])
    if processor is None:
        processor = _processor_for(exporter, endpoint)
    if processor is None:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": f"chancery-{service}"}))
    provider.add_span_processor(ScrubbingSpanProcessor(processor))
    _configured["exporting"] = processor
    trace.set_tracer_provider(provider)
    _configured["provider"] = provider
    return provider


def exporting_processor() -> SpanProcessor | None:
    """The processor configured spans are exported through (behind the scrubber), if any."""
    return _configured.get("exporting")


# Attributes holding the raw request: the path (feed tokens, e-mail addresses
# of recipients), the query string (search text), the caller's address and
# browser. The route template (``http.route``) says what was called instead.
RAW_REQUEST_ATTRIBUTES = frozenset(
    {
        "http.target",
        "http.url",
        "url.full",
        "url.path",
        "url.query",
        "http.client_ip",
        "client.address",
        "client.port",
        "net.peer.ip",
        "net.peer.port",
        "net.sock.peer.addr",
        "net.sock.peer.port",
        "network.peer.address",
        "network.peer.port",
        "http.user_agent",
        "user_agent.original",
    }
)
RAW_REQUEST_PREFIXES = ("http.request.header.", "http.response.header.")
# An error's text can quote what failed: a database error its parameters
# ("Key (email)=(...) already exists"), a handler's error the message. Spans
# keep the exception's type; the text stays in the (scrubbed) logs.
ERROR_TEXT_ATTRIBUTES = frozenset({"exception.message", "exception.stacktrace"})
# What a scrubbed copy of a span takes over unchanged.
_KEPT_AS_RECORDED = (
    "context",
    "parent",
    "resource",
    "links",
    "kind",
    "start_time",
    "end_time",
    "instrumentation_scope",
)


class ScrubbingSpanProcessor(SpanProcessor):
    """Hands ``inner`` each finished span without the raw request, named by route template.

    Instrumentations record what they see (the WSGI one the whole target);
    scrubbing once here, in front of every exporter, covers them all. A
    server span without a route (a 404) is named by its method alone.
    """

    def __init__(self, inner: SpanProcessor) -> None:
        self.inner = inner

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        self.inner.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self.inner.on_end(scrubbed(span))

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def scrubbed(span: ReadableSpan) -> ReadableSpan:
    """A copy of ``span`` without raw-request attributes or error texts, named by its route."""
    attributes = {
        key: value
        for key, value in (span.attributes or {}).items()
        if key not in RAW_REQUEST_ATTRIBUTES and not key.startswith(RAW_REQUEST_PREFIXES)
    }
    name = span.name
    if span.kind is trace.SpanKind.SERVER:
        method = str(
            attributes.get("http.request.method")
            or attributes.get("http.method")
            or name.split(" ", 1)[0]
        )
        route = attributes.get("http.route")
        name = f"{method} {route}" if route else method
    events = [
        Event(
            event.name,
            {
                key: value
                for key, value in (event.attributes or {}).items()
                if key not in ERROR_TEXT_ATTRIBUTES
            },
            event.timestamp,
        )
        for event in span.events
    ]
    return ReadableSpan(
        name=name,
        attributes=attributes,
        events=events,
        status=Status(span.status.status_code),
        **same_named(span, _KEPT_AS_RECORDED),
    )


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
    from opentelemetry import metrics
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    # One EngineTracer per engine: the instrumentor's instrument() is once per
    # process, so in the embedded mode (five engines in one process) only the
    # first service's SQL would be traced. 0.66b1 declares SQLAlchemy < 2.1
    # although the engine events it hooks are unchanged in 2.1; the tracing
    # tests check SQL spans still appear.
    scope = "opentelemetry.instrumentation.sqlalchemy"
    usage = metrics.get_meter(scope).create_up_down_counter(
        "db.client.connections.usage",
        unit="connections",
        description="Connections in the state the state attribute names.",
    )
    EngineTracer(trace.get_tracer(scope), engine, usage, enable_commenter=False)


def messaging_attributes(
    exchange: str, routing_key: str, message_id: str, operation: str
) -> dict[str, str]:
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
