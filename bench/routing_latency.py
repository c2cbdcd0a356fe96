"""Routing benchmark: registration-to-routed latency over the bus at a steady rate, real mode.

Starts intake and routing as separate processes (gunicorn web, worker, outbox
relay each) on throwaway PostgreSQL databases and one throwaway RabbitMQ
virtual host. A paced client in threads registers letters at intake over HTTP
at ``--rate`` letters/s for ``--seconds``; the benchmark's own queue, bound to
``letter.routed`` on ``routing.events``, receives routing's decisions. Latency
is the time the ``letter.routed`` message arrives minus the time the POST was
sent (one clock: the benchmark's process), so it covers intake's registration
and relay, RabbitMQ, routing's worker (rules, deadline, workflow row, outbox)
and routing's relay.

    .venv/bin/python bench/routing_latency.py --seconds 20 --rate 100
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import intake.bootstrap
import routing.bootstrap
from bench.common import listening, percentile, post_letters, process_env, throwaway_stack
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery_testing import process_group

LETTERS = [
    ("complaint", "Skundas merui dėl neišvežamų atliekų Putinų gatvėje", {"kind": "mayor"}),
    ("application", "Prašymas sutvarkyti apšvietimą Birutės gatvėje", {"kind": "director"}),
    ("application", "Prašymas skirti socialinę pašalpą", {"kind": "director"}),
    ("letter", "Dėl lopšelio-darželio „Pasaka“ kiemo remonto", {"kind": "director"}),
    (
        "information_request",
        "Prašymas pateikti informaciją apie biudžeto vykdymą",
        {"kind": "director"},
    ),
    ("letter", "Dėl žemės sklypo ribų Pulko gatvėje", {"kind": "mayor"}),
]
SENDERS = ["Ona Žemaitytė", "Algirdas Stankevičius", "Kristina Adomaitienė", "Žydrūnas Vaičiulis"]


@dataclass
class Sent:
    """What the client knows about one registration."""

    sent_at: float
    answered_at: float
    status: int
    letter_id: str | None


@dataclass
class Observations:
    """Shared between the client threads and the consumer."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: list[Sent] = field(default_factory=list)
    registered_at: dict[str, float] = field(default_factory=dict)
    routed_at: dict[str, float] = field(default_factory=dict)
    routed_to: dict[str, str] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=100, help="letters per second")
    parser.add_argument("--clients", type=int, default=12, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per service")
    parser.add_argument(
        "--consumers", type=int, default=1, help="worker (consumer) processes per service"
    )
    args = parser.parse_args()
    with throwaway_stack("intake", "routing") as (workdir, databases, broker):
        env = process_env(broker, workdir, CHANCERY_PROFILE="alytus")
        with process_group(workdir / "logs", env) as group:
            base = start(
                group, args.workers, databases["intake"], databases["routing"], args.consumers
            )
            with routed_listener(broker) as observations:
                paced_load(
                    base, observations, rate=min(args.rate, 20), seconds=1, clients=args.clients
                )  # warm-up, not counted
                wait_for_routed(observations, timeout=30)
                with observations.lock:
                    warm_up, observations.sent = len(observations.sent), []
                started = time.monotonic()
                paced_load(base, observations, args.rate, args.seconds, args.clients)
                load_seconds = time.monotonic() - started
                wait_for_routed(observations, timeout=60)
    report(observations, args, load_seconds, warm_up)
    return 0


def start(
    group: ProcessGroup, workers: int, intake_db: str, routing_db: str, consumers: int = 1
) -> str:
    """Start both services at once; intake's base URL."""
    ports = {"intake": free_port(), "routing": free_port()}
    errors: list[BaseException] = []

    def run(definition: Any, database: str) -> None:
        try:
            start_service(
                group,
                definition,
                ports[definition.name],
                web_workers=workers,
                extra_env={"DATABASE_URL": database},
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(intake.bootstrap.DEFINITION, intake_db)),
        threading.Thread(target=run, args=(routing.bootstrap.DEFINITION, routing_db)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    for extra in range(2, consumers + 1):
        for definition, database in (
            (intake.bootstrap.DEFINITION, intake_db),
            (routing.bootstrap.DEFINITION, routing_db),
        ):
            group.start(
                f"{definition.name}-worker-{extra}",
                [sys.executable, "-m", definition.module, "worker"],
                {"DATABASE_URL": database},
            )
    return f"http://127.0.0.1:{ports['intake']}"


@contextmanager
def routed_listener(broker: str) -> Iterator[Observations]:
    """When each letter's ``letter.registered`` and ``letter.routed`` reached the bus."""
    observations = Observations()

    def seen(envelope: dict, arrived: float) -> None:
        letter_id = envelope["payload"]["letter_id"]
        with observations.lock:
            if envelope["type"] == "letter.registered":
                observations.registered_at.setdefault(letter_id, arrived)
            else:
                observations.routed_at.setdefault(letter_id, arrived)
                observations.routed_to[letter_id] = envelope["payload"]["department_code"]

    with listening(
        broker,
        [("intake.events", "letter.registered.v1"), ("routing.events", "letter.routed.v1")],
        seen,
    ):
        yield observations


def paced_load(
    base: str, observations: Observations, rate: float, seconds: float, clients: int
) -> None:
    """Send letter ``i`` at start + i / rate from ``clients`` threads (late ones go at once)."""
    total = int(rate * seconds)
    bodies = [
        json.dumps(
            {
                "kind": kind,
                "channel": "email",
                "language": "lt",
                "subject": f"{subject} (nr. {i})",
                "sender": {
                    "type": "person",
                    "name": SENDERS[i % len(SENDERS)],
                    "preferred_language": "lt",
                },
                "addressee": addressee,
            },
            ensure_ascii=False,
        ).encode()
        for i, (kind, subject, addressee) in enumerate(
            LETTERS[i % len(LETTERS)] for i in range(total)
        )
    ]

    def answered(sent_at: float, response: requests.Response | None) -> None:
        status = 0 if response is None else response.status_code
        letter_id = response.json()["id"] if response is not None and status == 201 else None
        with observations.lock:
            observations.sent.append(Sent(sent_at, time.monotonic(), status, letter_id))

    post_letters(base, bodies, rate, clients, answered)


def wait_for_routed(observations: Observations, timeout: float) -> None:
    """Poll until every registered letter's letter.routed arrived, or the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with observations.lock:
            wanted = {s.letter_id for s in observations.sent if s.letter_id}
            if wanted <= observations.routed_at.keys():
                return
        time.sleep(0.1)


def report(
    observations: Observations, args: argparse.Namespace, load_seconds: float, warm_up: int
) -> None:
    sent = sorted(observations.sent, key=lambda s: s.sent_at)
    registered = [s for s in sent if s.status == 201]
    routed = [s for s in registered if s.letter_id in observations.routed_at]
    latencies = [(observations.routed_at[s.letter_id] - s.sent_at) * 1000 for s in routed]
    on_bus = [s for s in routed if s.letter_id in observations.registered_at]
    intake_part = [(observations.registered_at[s.letter_id] - s.sent_at) * 1000 for s in on_bus]
    routing_part = [
        (observations.routed_at[s.letter_id] - observations.registered_at[s.letter_id]) * 1000
        for s in on_bus
    ]
    http = [(s.answered_at - s.sent_at) * 1000 for s in sent]
    arrivals = sorted(observations.routed_at[s.letter_id] for s in routed)
    routed_span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
    fifth = max(1, len(latencies) // 5)  # a growing backlog shows as a rising latency
    span = sent[-1].sent_at - sent[0].sent_at if len(sent) > 1 else float("nan")
    departments: dict[str, int] = {}
    for s in routed:
        code = observations.routed_to[s.letter_id]
        departments[code] = departments.get(code, 0) + 1
    print(
        f"\nintake + routing in real mode, {args.workers} gunicorn workers each; "
        f"target {args.rate:g} letters/s for {args.seconds:g} s, {args.clients} client "
        f"threads ({warm_up} warm-up letters not counted)"
    )
    print(f"{'':<32} {'value':>10}")
    rows = [
        ("letters sent", f"{len(sent)}"),
        ("registered (201)", f"{len(registered)}"),
        ("other responses / errors", f"{len(sent) - len(registered)}"),
        ("achieved send rate, letters/s", f"{(len(sent) - 1) / span:.1f}"),
        ("load phase, s", f"{load_seconds:.1f}"),
        ("routed (letter.routed received)", f"{len(routed)}"),
        ("routed per second (first→last)", f"{(len(arrivals) - 1) / routed_span:.1f}"),
        ("registration → routed p50 ms", f"{percentile(latencies, 0.50):.1f}"),
        ("registration → routed p99 ms", f"{percentile(latencies, 0.99):.1f}"),
        ("registration → routed max ms", f"{max(latencies, default=float('nan')):.1f}"),
        ("  p50 of the first fifth, ms", f"{percentile(latencies[:fifth], 0.50):.1f}"),
        ("  p50 of the last fifth, ms", f"{percentile(latencies[-fifth:], 0.50):.1f}"),
        ("  POST → letter.registered p50", f"{percentile(intake_part, 0.50):.1f}"),
        ("  POST → letter.registered p99", f"{percentile(intake_part, 0.99):.1f}"),
        ("  registered → routed p50 ms", f"{percentile(routing_part, 0.50):.1f}"),
        ("  registered → routed p99 ms", f"{percentile(routing_part, 0.99):.1f}"),
        ("POST /letters p50 ms", f"{percentile(http, 0.50):.1f}"),
        ("POST /letters p99 ms", f"{percentile(http, 0.99):.1f}"),
    ]
    for name, value in rows:
        print(f"{name:<32} {value:>10}")
    print("routed to: " + ", ".join(f"{code} {n}" for code, n in sorted(departments.items())))


if __name__ == "__main__":
    raise SystemExit(main())
