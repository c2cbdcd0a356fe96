"""Intake benchmark: letters registered per second over HTTP in real mode, against a baseline.

Concurrent clients (wrk) POST the same letter for a fixed time to intake's
gunicorn web process (with its relay publishing to RabbitMQ alongside), and,
in the same run, to a bare Flask + gunicorn + PostgreSQL insert of the same
JSON. Prints letters/s, p50 and p99 latency for both and their ratio, and
how long a one-row commit takes on the server in the same run: registrations
of one register are serialised through their commit's WAL flush (the counter
row's lock, decision 3), so on a busy disk that flush, not CPU, bounds intake.

    .venv/bin/python bench/intake_throughput.py --seconds 20 --connections 16 --workers 3
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, process_env, run_wrk
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.realmode import ProcessGroup, free_port, start_service, wait_until_healthy
from chancery_testing import throwaway_database, throwaway_vhost
from intake.adapters.models import PLATFORM, Letter
from intake.bootstrap import DEFINITION

LETTER = {
    "kind": "complaint",
    "channel": "email",
    "language": "lt",
    "subject": "Skundas dėl šiukšlių išvežimo Žalgirio gatvėje",
    "summary": "Gyventoja prašo sutvarkyti konteinerių aikštelę.",
    "sender": {
        "type": "person",
        "name": "Ona Žemaitytė",
        "email": "ona@example.org",
        "preferred_language": "lt",
    },
    "addressee": {"kind": "mayor"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    body = json.dumps(LETTER, ensure_ascii=False)
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="bench")
    workdir = Path(tempfile.mkdtemp(prefix="chancery-bench-"))
    with (
        throwaway_database(prefix="chancery_bench_intake_") as intake_db,
        throwaway_database(prefix="chancery_bench_bare_") as bare_db,
        throwaway_vhost(prefix="chancery-bench-") as broker,
    ):
        env = process_env(broker, workdir, DATABASE_URL=intake_db, BARE_DATABASE_URL=bare_db)
        group = ProcessGroup(workdir / "logs", env)
        try:
            results = measure(group, args, body, token, intake_db)
        finally:
            group.stop()
    report(results, args)
    return 0


def measure(
    group: ProcessGroup, args: argparse.Namespace, body: str, token: str, intake_db: str
) -> dict[str, dict[str, float]]:
    intake_port, bare_port = free_port(), free_port()
    # The bare insert starts first and is waited for as intake is (an answer from its app,
    # not an open port): started last and measured first, its workers were still booting
    # on loaded cores when wrk began, and every connection lost a request to a timeout.
    group.start(
        "bare-web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{bare_port}",
            "--workers",
            str(args.workers),
            "--config",
            "python:chancery.gunicorn_conf",
            "bench.bare_insert:create_app()",
        ],
    )
    start_service(
        group,
        DEFINITION,
        intake_port,
        web_workers=args.workers,
        kinds=tuple(os.environ.get("BENCH_KINDS", "web,relay").split(",")),
    )
    wait_until_healthy(
        f"http://127.0.0.1:{bare_port}/readyz", process=group.processes["bare-web"].popen
    )
    results = {}
    for name, port in (("bare insert", bare_port), ("intake", intake_port)):
        run_wrk(f"http://127.0.0.1:{port}/letters", body, token, 3, args.connections)  # warm-up
        results[name] = run_wrk(
            f"http://127.0.0.1:{port}/letters", body, token, args.seconds, args.connections
        )
    results["intake"]["outbox_unsent_after_5s"] = _unsent_after(intake_db, 5.0)
    results["commit"] = _commit_latency(intake_db)
    return results


def _commit_latency(database_url: str, commits: int = 200) -> dict[str, float]:
    """Milliseconds one single-row INSERT's COMMIT takes on the server (mean, p50, p90).

    Registrations serialised one after another go at most as fast as the mean allows.
    """
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_commits (id int)"))
    waits = []
    for _ in range(commits):
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO bench_commits VALUES (1)"))
            started = time.perf_counter()
            conn.commit()
            waits.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return {
        "mean_ms": sum(waits) / len(waits),
        "p50_ms": percentile(waits, 0.5),
        "p90_ms": percentile(waits, 0.9),
    }


def _unsent_after(database_url: str, seconds: float) -> float:
    engine = create_engine(database_url)
    deadline = time.monotonic() + seconds
    outbox = PLATFORM.outbox
    with engine.connect() as conn:
        while True:
            unsent = conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            ).scalar()
            if unsent == 0 or time.monotonic() > deadline:
                letters = conn.execute(select(func.count()).select_from(Letter)).scalar()
                print(f"intake: {letters} letters registered, {unsent} outbox rows unsent")
                engine.dispose()
                return float(unsent)
            time.sleep(0.2)


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    print(f"\n{args.connections} connections, {args.seconds} s, {args.workers} gunicorn workers")
    print(
        f"{'target':<12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
        f"{'socket errors':>14}"
    )
    commit = results.pop("commit")
    for name, figures in results.items():
        print(
            f"{name:<12} {figures['requests_per_second']:>9.0f} {figures['p50_ms']:>8.1f} "
            f"{figures['p99_ms']:>8.1f} {figures['errors']:>8.0f} "
            f"{figures['socket_errors']:>14.0f}"
        )
    ratio = results["intake"]["requests_per_second"] / results["bare insert"]["requests_per_second"]
    print(f"ratio intake / bare insert: {ratio:.2f}")
    print(
        f"one-row COMMIT on the server: mean {commit['mean_ms']:.2f} ms, p50 "
        f"{commit['p50_ms']:.2f}, p90 {commit['p90_ms']:.2f} (one register: at most "
        f"~{1000 / commit['mean_ms']:.0f} letters/s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
