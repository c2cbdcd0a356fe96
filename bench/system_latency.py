"""Whole-system benchmark: letters per second and registration → acknowledgement latency.

Real mode: intake, routing and notifications each run as their own processes
(gunicorn web, outbox relay, and one or two worker processes) on throwaway
PostgreSQL databases and a throwaway RabbitMQ virtual host; the SMTP server
runs in a child process. A paced client POSTs letters to intake at
``--rate`` letters/s for ``--seconds``; each letter is routed by routing and
acknowledged by notifications, and the latency is the SMTP arrival of the
acknowledgement minus the moment its POST was sent (one machine, one
monotonic clock). The same load runs twice in one invocation, with one worker
process per service and with two, and the figures are compared.

    .venv/bin/python bench/system_latency.py --rate 20 --seconds 15
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import intake.bootstrap
import notifications.bootstrap
import routing.bootstrap
from bench.common import throwaway_stack
from bench.notifications_throughput import measure, real_mode_env, smtp_sink, summarise
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery_testing import process_group

SERVICES = (
    intake.bootstrap.DEFINITION,
    routing.bootstrap.DEFINITION,
    notifications.bootstrap.DEFINITION,
)


def run(rate: float, seconds: float, clients: int, workers: int) -> dict[str, float]:
    """One load at ``rate`` with ``workers`` worker processes per service."""
    with (
        throwaway_stack(*(definition.name for definition in SERVICES)) as stack,
        smtp_sink(record_arrivals=True) as sink,
    ):
        workdir, databases, broker = stack
        env = real_mode_env(broker, workdir, sink.url)
        with process_group(workdir / "logs", env) as group:
            ports = _start(group, databases, workdir, workers)
            measured = measure(
                f"http://127.0.0.1:{ports['intake']}", broker, sink, rate, seconds, clients
            )
    figures = summarise(measured.observations, seconds, measured.warm_up)
    figures["sustained_per_second"] = figures["mailed"] / measured.drained_seconds
    return figures


def _start(
    group: ProcessGroup, databases: dict[str, str], workdir: Path, workers: int
) -> dict[str, int]:
    ports = {}
    for definition in SERVICES:
        port = ports[definition.name] = free_port()
        extra = {
            "DATABASE_URL": databases[definition.name],
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"m-{definition.name}"),
        }
        start_service(group, definition, port, web_workers=2, extra_env=extra)
        for number in range(2, workers + 1):
            group.start(
                f"{definition.name}-worker-{number}",
                [sys.executable, "-m", definition.module, "worker"],
                extra,
            )
    return ports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20, help="letters per second offered")
    parser.add_argument("--seconds", type=float, default=15, help="how long to post")
    parser.add_argument("--clients", type=int, default=4, help="posting threads")
    args = parser.parse_args()
    results = {workers: run(args.rate, args.seconds, args.clients, workers) for workers in (1, 2)}
    print(
        f"\n{args.rate:.0f} letters/s offered for {args.seconds:.0f} s; intake → routing, "
        f"notifications → SMTP; latency = POST sent → acknowledgement received"
    )
    print(
        f"{'workers per service':<22}{'posted':>8}{'mailed':>8}{'dup':>5}{'letters/s':>11}"
        f"{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for workers, f in results.items():
        print(
            f"{workers:<22}{f['posted']:>8}{f['mailed']:>8}{f['duplicates']:>5}"
            f"{f['sustained_per_second']:>11.1f}{f['p50_ms']:>9.0f}{f['p90_ms']:>9.0f}"
            f"{f['p99_ms']:>9.0f}{f['max_ms']:>9.0f}"
        )
    one, two = results[1], results[2]
    rates = two["sustained_per_second"] / one["sustained_per_second"]
    print(
        f"two workers / one: letters/s {rates:.2f}, p50 {two['p50_ms'] / one['p50_ms']:.2f}, "
        f"p99 {two['p99_ms'] / one['p99_ms']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
