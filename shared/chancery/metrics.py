"""Prometheus metrics shared by every service.

Labels hold service names, message types, outcomes and HTTP route templates
only: never ids or personal data. Under gunicorn, set
``PROMETHEUS_MULTIPROC_DIR`` so every worker's samples are collected.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "chancery_http_requests_total",
    "HTTP requests answered",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "chancery_http_request_seconds", "HTTP request duration", ["service", "method", "route"]
)
MESSAGES_PUBLISHED = Counter(
    "chancery_messages_published_total",
    "Messages the outbox relay published and the broker confirmed",
    ["service"],
)
MESSAGES_CONSUMED = Counter(
    "chancery_messages_consumed_total", "Deliveries handled, by outcome", ["service", "outcome"]
)
REDELIVERIES = Counter(
    "chancery_message_redeliveries_total", "Deliveries that had been delivered before", ["service"]
)
OUTBOX_LAG = Gauge(
    "chancery_outbox_lag_seconds",
    "Age of the oldest unsent outbox row",
    ["service"],
    multiprocess_mode="mostrecent",
)
PURGED_ROWS = Counter(
    "chancery_purged_rows_total",
    "Rows removed or emptied after their retention period, by what",
    ["service", "what"],
)
BUILD_INFO = Gauge(
    "chancery_build_info",
    "Always 1; the labels name the running version (chancery.version)",
    ["service", "version"],
    multiprocess_mode="max",
)
DEAD_LETTERS = Gauge(
    "chancery_dead_letters",
    "Messages waiting in the service's dead-letter queue",
    ["service"],
    multiprocess_mode="mostrecent",
)


def render(multiprocess_mode: bool) -> tuple[bytes, str]:
    """The exposition text and its content type, merged across gunicorn workers when asked."""
    if multiprocess_mode:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def expose_metrics(app: Flask, service: str, multiprocess_mode: bool) -> None:
    """Serve ``/metrics`` on ``app`` and count and time its every request as ``service``.

    Requests are labelled by method, route template (``unmatched`` when no
    route matched) and the status finally answered. Call it before the app's
    own ``after_request`` hooks, so that it runs after them and counts the
    answer they made (a ``304`` rather than the ``200`` it replaced).
    """

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = render(multiprocess_mode)
        return Response(body, content_type=content_type)

    @app.before_request
    def start_timing() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def measure(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        HTTP_REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
        if "request_started" in g:
            HTTP_LATENCY.labels(service, request.method, route).observe(
                time.perf_counter() - g.request_started
            )
        return response


def serve(
    port: int, multiprocess_mode: bool, alive: Callable[[], bool] = lambda: True
) -> ThreadingHTTPServer:
    """Serve ``/metrics`` and ``/healthz`` on ``port`` in a thread, for a worker or relay.

    ``/healthz`` answers 503 while ``alive()`` is false (the process's loop stopped
    turning: see :mod:`chancery.liveness`).
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = 200
            if self.path == "/healthz":
                healthy = alive()
                status = 200 if healthy else 503
                body, content_type = (b"ok" if healthy else b"stalled"), "text/plain"
            else:
                body, content_type = render(multiprocess_mode)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
