"""Intake benchmark: CPU per registration in one process, against the bare insert's, same run.

The throughput benchmark (``bench/intake_throughput.py``) shares two cores with
wrk, PostgreSQL, RabbitMQ and the relay, and with whatever else the machine
runs, so its letters/s swing with the load. This one posts the same letter
through Flask's test client to intake (real PostgreSQL, the web process's
wiring) and to the bare Flask + PostgreSQL insert, alternating rounds, and
counts the process's CPU time per request (PostgreSQL's own CPU is not in it).
It also prints a cProfile of intake's registrations with ``--profile``.

    .venv/bin/python bench/registration_cpu.py --requests 2000 --rounds 3
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.testing import FlaskClient

from bench.intake_throughput import LETTER
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import migrate, web_app
from chancery_testing import throwaway_database
from intake.bootstrap import bootstrap
from intake.config import load_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    body = json.dumps(LETTER, ensure_ascii=False)
    headers = {
        "Authorization": "Bearer " + issue_token(DEV_JWT_SECRET, ["registrar"], subject="bench"),
        "Content-Type": "application/json",
    }
    with (
        throwaway_database(prefix="chancery_bench_cpu_intake_") as intake_db,
        throwaway_database(prefix="chancery_bench_cpu_bare_") as bare_db,
    ):
        settings = load_settings(
            {
                "DATABASE_URL": intake_db,
                "BROKER_URL": "memory://",
                "CHANCERY_DATA_DIR": tempfile.mkdtemp(prefix="chancery-bench-"),
                "CHANCERY_ENV": "development",
            }
        )
        wiring = bootstrap(settings)
        migrate(wiring)
        os.environ["BARE_DATABASE_URL"] = bare_db
        from bench.bare_insert import create_app

        clients = {
            "bare insert": create_app().test_client(),
            "intake": web_app(wiring).test_client(),
        }
        figures: dict[str, list[float]] = {name: [] for name in clients}
        for client in clients.values():
            _post(client, body, headers, 200)  # warm-up: pools, statements, caches
        for _ in range(args.rounds):
            for name, client in clients.items():
                figures[name].append(_post(client, body, headers, args.requests))
        if args.profile:
            _profile(clients["intake"], body, headers, args.requests)
        wiring.engine.dispose()
    _report(figures, args)
    return 0


def _post(client: FlaskClient, body: str, headers: dict[str, str], requests: int) -> float:
    """CPU milliseconds of this process per registration."""
    started = time.process_time()
    for _ in range(requests):
        response = client.post("/letters", data=body, headers=headers)
        if response.status_code != 201:
            raise SystemExit(
                f"registration answered {response.status_code}: "
                f"{response.get_data(as_text=True)[:500]}"
            )
    return (time.process_time() - started) / requests * 1000


def _profile(client: FlaskClient, body: str, headers: dict[str, str], requests: int) -> None:
    profile = cProfile.Profile()
    profile.enable()
    _post(client, body, headers, requests)
    profile.disable()
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def _report(figures: dict[str, list[float]], args: argparse.Namespace) -> None:
    print(f"\n{args.rounds} rounds of {args.requests} registrations, load {os.getloadavg()[0]:.1f}")
    print(f"{'target':<12} {'CPU ms/request (median)':>24} {'rounds':>24}")
    for name, values in figures.items():
        rounds = " ".join(f"{value:.3f}" for value in values)
        print(f"{name:<12} {statistics.median(values):>24.3f} {rounds:>24}")
    ratio = statistics.median(figures["bare insert"]) / statistics.median(figures["intake"])
    print(f"ratio bare insert CPU / intake CPU (the throughput ratio on busy cores): {ratio:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
