"""Intake benchmark: CPU per registration in one process, against the bare insert's, same run.

The throughput benchmark (``bench/intake_throughput.py``) shares two cores with
wrk, PostgreSQL, RabbitMQ and the relay, and with whatever else the machine
runs, so its letters/s swing with the load. This one posts the same letter
through Flask's test client to intake (real PostgreSQL, the web process's
wiring) and to the bare Flask + PostgreSQL insert, alternating rounds, and
counts the process's CPU time per request, and PostgreSQL's: the CPU its
backends serving the target's database spent in the same round (read from
``/proc``: the server must run on this machine). It also prints a cProfile of
intake's registrations with ``--profile``.

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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

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
            "bare insert": (create_app().test_client(), server_cpu(bare_db)),
            "intake": (web_app(wiring).test_client(), server_cpu(intake_db)),
        }
        figures: dict[str, list[float]] = {name: [] for name in clients}
        server: dict[str, list[float]] = {name: [] for name in clients}
        for client, _ in clients.values():
            _post(client, body, headers, 200)  # warm-up: pools, statements, caches
        for _ in range(args.rounds):
            for name, (client, postgres_cpu) in clients.items():
                before = postgres_cpu()
                figures[name].append(_post(client, body, headers, args.requests))
                server[name].append((postgres_cpu() - before) / args.requests * 1000)
        if args.profile:
            _profile(clients["intake"][0], body, headers, args.requests)
        wiring.engine.dispose()
    _report(figures, server, args)
    return 0


def server_cpu(database_url: str) -> Callable[[], float]:
    """CPU seconds so far of the PostgreSQL backends connected to ``database_url``'s database.

    Read from ``/proc/<pid>/stat`` (user and system time), so the server must run
    on this machine; a backend that ended between two readings drops out of them.
    """
    url = make_url(database_url).set(drivername="postgresql")
    watcher = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
    tick = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        pids = watcher.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        total = 0
        for (pid,) in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended since the query
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    return seconds


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


def _report(
    figures: dict[str, list[float]], server: dict[str, list[float]], args: argparse.Namespace
) -> None:
    print(f"\n{args.rounds} rounds of {args.requests} registrations, load {os.getloadavg()[0]:.1f}")
    print(
        f"{'target':<12} {'CPU ms/request (median)':>24} {'rounds':>24} "
        f"{'PostgreSQL ms (median)':>23} {'rounds':>24}"
    )
    for name, values in figures.items():
        rounds = " ".join(f"{value:.3f}" for value in values)
        server_rounds = " ".join(f"{value:.3f}" for value in server[name])
        print(
            f"{name:<12} {statistics.median(values):>24.3f} {rounds:>24} "
            f"{statistics.median(server[name]):>23.3f} {server_rounds:>24}"
        )
    ratio = statistics.median(figures["bare insert"]) / statistics.median(figures["intake"])
    print(f"ratio bare insert CPU / intake CPU (the throughput ratio on busy cores): {ratio:.2f}")
    both = {
        name: statistics.median(values) + statistics.median(server[name])
        for name, values in figures.items()
    }
    print(
        "ratio with PostgreSQL's CPU added to each (both on the same two cores): "
        f"{both['bare insert'] / both['intake']:.2f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
