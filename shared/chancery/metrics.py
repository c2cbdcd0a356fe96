"""Prometheus metrics shared by every service.

Labels hold service names, message types, outcomes and HTTP route templates
only: never ids or personal data. Under gunicorn, set
``PROMETHEUS_MULTIPROC_DIR`` so every worker's samples are collected.
"""

from __future__ import annotations

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
