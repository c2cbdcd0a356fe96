"""Helpers the benchmarks share: wrk, percentiles, a listener on the bus."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kombu import Connection, Consumer, Exchange, Queue, binding


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""


def run_wrk(url: str, body: str, token: str, seconds: int, connections: int) -> dict[str, float]:
    """POST ``body`` to ``url`` with wrk; requests/s, p50 and p99 in ms, errors."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(body=body, token=token))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
        check=True, capture_output=True, text=True).stdout
    Path(script.name).unlink()
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _milliseconds(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": _milliseconds(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),
        "errors": float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)",
                                                       output)) else 0.0,
    }


def _milliseconds(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


@contextmanager
def listening(broker: str, keys: Sequence[tuple[str, str]],
              on_envelope: Callable[[dict, float], None]) -> Iterator[None]:
    """A throwaway queue of the benchmark's own bound to (exchange, routing key) pairs.

    ``on_envelope(envelope, monotonic_arrival)`` is called for every message
    until the block ends; the block starts only once the queue consumes.
    """
    stop, ready = threading.Event(), threading.Event()
    queue = Queue(f"bench-{uuid.uuid4().hex[:8]}", bindings=[
        binding(Exchange(exchange, type="topic", durable=True), routing_key=key)
        for exchange, key in keys], durable=False, auto_delete=True)

    def on_message(message: Any) -> None:
        on_envelope(json.loads(message.body), time.monotonic())
        message.ack()

    def consume() -> None:
        with Connection(broker) as connection, Consumer(
                connection, queues=[queue], on_message=on_message, prefetch_count=500):
            ready.set()
            while not stop.is_set():
                try:
                    connection.drain_events(timeout=0.2)
                except TimeoutError:
                    continue

    thread = threading.Thread(target=consume, name="bench-listener", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise TimeoutError("the benchmark's queue is not consuming")
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
