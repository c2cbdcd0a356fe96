"""A worker's or relay's own metrics endpoint."""

import requests

from chancery.liveness import Heartbeat
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


def test_health_says_stalled_while_the_loop_does_not_turn() -> None:
    now = [100.0]
    heartbeat = Heartbeat(max_silence_seconds=30, clock=lambda: now[0])
    port = free_port()
    server = serve(port, multiprocess_mode=False, alive=heartbeat.alive)

    def health() -> tuple[int, str]:
        answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        return answer.status_code, answer.text

    try:
        assert health() == (503, "stalled"), "not healthy before the loop's first turn"
        heartbeat.beat()
        assert health() == (200, "ok")
        now[0] += 30
        assert health() == (200, "ok")
        now[0] += 0.5
        assert health() == (503, "stalled")
    finally:
        server.shutdown()
        server.server_close()
