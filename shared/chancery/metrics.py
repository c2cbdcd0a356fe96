"""Prometheus metrics shared by every service.

Labels hold service names, message types, outcomes and HTTP route templates
only: never ids or personal data. Under gunicorn, set
``PROMETHEUS_MULTIPROC_DIR`` so every worker's samples are collected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter("chancery_http_requests_total", "HTTP requests answered",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("chancery_http_request_seconds", "HTTP request duration",
                         ["service", "method", "route"])
MESSAGES_PUBLISHED = Counter("chancery_messages_published_total",
                             "Messages the outbox relay published and the broker confirmed",
                             ["service"])
MESSAGES_CONSUMED = Counter("chancery_messages_consumed_total",
                            "Deliveries handled, by outcome", ["service", "outcome"])
REDELIVERIES = Counter("chancery_message_redeliveries_total",
                       "Deliveries that had been delivered before", ["service"])
OUTBOX_LAG = Gauge("chancery_outbox_lag_seconds", "Age of the oldest unsent outbox row",
                   ["service"], multiprocess_mode="mostrecent")
PURGED_ROWS = Counter("chancery_purged_rows_total",
                      "Rows removed or emptied after their retention period, by what",
                      ["service", "what"])
BUILD_INFO = Gauge("chancery_build_info", "Always 1; the labels name the running version "
                   "(chancery.version)", ["service", "version"], multiprocess_mode="max")
DEAD_LETTERS = Gauge("chancery_dead_letters", "Messages waiting in the service's dead-letter "
                     "queue", ["service"], multiprocess_mode="mostrecent")


def render(multiprocess_mode: bool) -> tuple[bytes, str]:
    """The exposition text and its content type, merged across gunicorn workers when asked."""
    if multiprocess_mode:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve(port: int, multiprocess_mode: bool,
          alive: Callable[[], bool] = lambda: True) -> ThreadingHTTPServer:
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
