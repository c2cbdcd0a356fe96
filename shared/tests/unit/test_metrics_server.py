"""A worker's or relay's own metrics endpoint."""

import requests

from chancery.metrics import MESSAGES_CONSUMED, serve
from chancery.realmode import free_port


def test_a_worker_serves_its_metrics_and_health() -> None:
    MESSAGES_CONSUMED.labels("routing", "handled").inc()
    port = free_port()
    server = serve(port, multiprocess_mode=False)
    try:
        metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert metrics.status_code == 200
    assert 'chancery_messages_consumed_total{outcome="handled",service="routing"}' in metrics.text
    assert (health.status_code, health.text) == (200, "ok")
