"""Helpers the benchmarks share: wrk, percentiles, timings, paced load, the environment of
real-mode processes, a listener on the bus."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import requests
from kombu import Connection, Consumer, Exchange, Queue, binding

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery_testing import throwaway_database, throwaway_vhost


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def timed(call: Callable[[], object], count: int, warm_up: int) -> list[float]:
    """Milliseconds of ``count`` calls after ``warm_up`` calls that are not counted."""
    for _ in range(warm_up):
        call()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def paced(
    total: int, rate: float, clients: int, send: Callable[[requests.Session, int, float], None]
) -> None:
    """Call ``send(session, i, sent_at)`` at start + i / rate from ``clients`` threads (late
    ones go at once), each thread with its own HTTP session; ``sent_at`` is the monotonic
    moment it went. Returns when all ``total`` went."""
    indices = iter(range(total))
    lock = threading.Lock()
    start_at = time.monotonic() + 0.2

    def client() -> None:
        session = requests.Session()
        while True:
            with lock:
                index = next(indices, None)
            if index is None:
                return
            delay = start_at + index / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            send(session, index, time.monotonic())

    threads = [threading.Thread(target=client, name=f"client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def post_letters(
    base: str,
    bodies: Sequence[bytes],
    rate: float,
    clients: int,
    answered: Callable[[float, requests.Response | None], None],
) -> None:
    """POST each of ``bodies`` to intake's ``/letters`` as a registrar, paced as :func:`paced`.

    ``answered(sent_at, response)`` sees each answer, ``None`` when there was none.
    """
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="bench-registrar")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def send(session: requests.Session, index: int, sent_at: float) -> None:
        try:
            response = session.post(
                f"{base}/letters", data=bodies[index], headers=headers, timeout=30
            )
        except requests.RequestException:
            response = None
        answered(sent_at, response)

    paced(len(bodies), rate, clients, send)


# The default (Alytus) profile's zone, in which the services the benchmarks start count days.
TIME_ZONE = "Europe/Vilnius"


def fill_book(connection: Any, rows: Iterable[dict[str, Any]], batch: int) -> int:
    """Insert intake's letter ``rows`` ``batch`` at a time, count the statistics' tally of
    them by the local days of :data:`TIME_ZONE`, and set the incoming register's 2026 counter to
    their number, which is returned."""
    from sqlalchemy import insert

    from intake.adapters.models import Letter, RegisterCounter
    from intake.adapters.tally import rebuild

    pending: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        pending.append(row)
        count += 1
        if len(pending) == batch:
            connection.execute(insert(Letter), pending)
            pending.clear()
    if pending:
        connection.execute(insert(Letter), pending)
    rebuild(connection, TIME_ZONE)  # the rows went in around the ORM, so around its tally
    connection.execute(
        insert(RegisterCounter),
        [{"register_code": "incoming", "year": 2026, "last_sequence": count}],
    )
    return count


def process_env(broker: str, data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of the services a benchmark starts as real processes: development
    mode, the broker, quiet logs, this checkout importable (``bench``), and ``settings``.

    A ``PYTHONPATH`` already set is kept after the checkout, so that another version of
    the code put first on it (a "before" run) is the one the services run."""
    checkout = str(Path(__file__).resolve().parent.parent)
    return {
        **os.environ,
        "CHANCERY_ENV": "development",
        "BROKER_URL": broker,
        "CHANCERY_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")])),
        **settings,
    }


@contextmanager
def throwaway_stack(*services: str) -> Iterator[tuple[Path, dict[str, str], str]]:
    """What a benchmark of real processes runs on, dropped afterwards: a fresh folder, a
    throwaway database for each of ``services`` and a throwaway virtual host; the folder,
    each service's database URL and the broker's URL."""
    workdir = Path(tempfile.mkdtemp(prefix="chancery-bench-"))
    with ExitStack() as stack:
        databases = {
            name: stack.enter_context(
                throwaway_database(prefix=f"chancery_bench_{name.replace('-', '_')}_")
            )
            for name in services
        }
        broker = stack.enter_context(throwaway_vhost(prefix="chancery-bench-"))
        yield workdir, databases, broker


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
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    Path(script.name).unlink()
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _milliseconds(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),
        "p99_ms": _milliseconds(re.search(r"99%\s+([\d.]+\w+)", output).group(1)),
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),
        "errors": float(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output))
        else 0.0,
        # wrk gives up on a request after 2 s ("timeout") and reconnects; a run with any
        # measured a stalled server, not its rate.
        "socket_errors": float(sum(int(n) for n in m.groups()))
        if (m := re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output))
        else 0.0,
    }


def _milliseconds(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


@contextmanager
def listening(
    broker: str, keys: Sequence[tuple[str, str]], on_envelope: Callable[[dict, float], None]
) -> Iterator[None]:
    """A throwaway queue of the benchmark's own bound to (exchange, routing key) pairs.

    ``on_envelope(envelope, monotonic_arrival)`` is called for every message
    until the block ends; the block starts only once the queue consumes.
    """
    stop, ready = threading.Event(), threading.Event()
    queue = Queue(
        f"bench-{uuid.uuid4().hex[:8]}",
        bindings=[
            binding(Exchange(exchange, type="topic", durable=True), routing_key=key)
            for exchange, key in keys
        ],
        durable=False,
        auto_delete=True,
    )

    def on_message(message: Any) -> None:
        on_envelope(json.loads(message.body), time.monotonic())
        message.ack()

    def consume() -> None:
        with (
            Connection(broker) as connection,
            Consumer(connection, queues=[queue], on_message=on_message, prefetch_count=500),
        ):
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
