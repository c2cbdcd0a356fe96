"""Staff web benchmark: server-side render time of its heaviest pages with 100,000 letters.

Intake (and routing, which the letter's page asks too) run as gunicorn web
processes on a throwaway PostgreSQL database that gets ``--letters`` letters
by bulk insert. The staff web app runs in this process (Flask's test client,
so the time is the server's: the API calls over real HTTP, then the
template). In the same run the same API calls are timed alone, as the
baseline: what a page adds is its render time minus that.

    .venv/bin/python bench/staff_web_pages.py --letters 100000 --requests 200
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fill_book, percentile, process_env, throwaway_stack, timed
from chancery.realmode import free_port, start_service
from chancery.vocabulary import ADDRESSEE_KINDS, CHANNELS, LETTER_KINDS
from chancery_testing import process_group
from intake.bootstrap import DEFINITION as INTAKE
from routing.bootstrap import DEFINITION as ROUTING
from staff_web.bootstrap import create_app
from staff_web.config import load_settings

# Invitations go to foreign relations, which this benchmark does not start.
KINDS = tuple(kind for kind in LETTER_KINDS if kind != "invitation")
DEPARTMENTS = ("SOC", "EDU", "COMM", "LEGAL", "URB")
SUBJECTS = (
    "Prašymas dėl šilumos kompensacijos",
    "Skundas dėl gatvių apšvietimo",
    "წერილი მერს ქალაქის პარკის შესახებ",
    "Iesniegums par ielu apgaismojumu",
    "Kërkesë për leje ndërtimi",
)


def _letters(rng: random.Random, count: int, start: datetime) -> Iterator[dict]:
    """A year's letters of every kind, channel and addressee, to five departments."""
    for sequence in range(1, count + 1):
        moment = start + timedelta(minutes=sequence * 4)
        subject = f"{SUBJECTS[sequence % len(SUBJECTS)]} {sequence}"
        department = rng.choice(DEPARTMENTS)
        yield {
            "id": str(uuid.uuid4()),
            "direction": "incoming",
            "register_code": "incoming",
            "year": 2026,
            "sequence": sequence,
            "registration_number": f"G-2026-{sequence:06d}",
            "kind": rng.choice(KINDS),
            "channel": rng.choice(CHANNELS),
            "language": "lt",
            "subject": subject,
            "subject_folded": subject.lower(),
            "summary": None,
            "addressee": {"kind": "department", "department_code": department},
            "addressee_kind": rng.choice(ADDRESSEE_KINDS),
            "addressee_department_code": department,
            "correspondent": {"type": "person", "name": f"Asmuo {sequence}"},
            "confidentiality": "normal",
            "received_at": moment,
            "registered_at": moment,
            "registered_by": "bench",
            "status": "routed",
            "status_changed_at": moment,
            "department_code": department,
            "copy_departments": ",",
            "due_date": None,
            "version": 1,
        }


def fill(database_url: str, count: int) -> str:
    """Bulk-insert ``count`` letters over 2026; the registration number of one of them."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        fill_book(
            conn, _letters(random.Random(7), count, datetime(2026, 1, 2, 8, tzinfo=UTC)), batch=5000
        )
    engine.dispose()
    return f"G-2026-{count // 2:06d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with throwaway_stack("intake", "routing") as (workdir, databases, broker):
        # The staff web app's development sign-in mints its tokens with the dev secret.
        env = process_env(broker, workdir)
        with process_group(workdir / "logs", env) as group:
            ports = {}
            for definition in (INTAKE, ROUTING):
                port = ports[definition.name] = free_port()
                extra = {"DATABASE_URL": databases[definition.name]}
                start_service(group, definition, port, args.workers, ("web",), extra)
            began = time.monotonic()
            number = fill(databases["intake"], args.letters)
            print(f"{args.letters} letters inserted in {time.monotonic() - began:.0f} s")
            report(
                measure(
                    f"http://127.0.0.1:{ports['intake']}",
                    f"http://127.0.0.1:{ports['routing']}",
                    number,
                    args.requests,
                ),
                args,
            )
    return 0


def measure(intake: str, routing: str, number: str, count: int) -> dict[str, tuple]:
    app = create_app(
        load_settings(
            {
                "STAFF_WEB_DEV_SIGN_IN": "true",
                "STAFF_WEB_SECURE_COOKIES": "false",
                "INTAKE_URL": intake,
                "ROUTING_URL": routing,
            }
        )
    )
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    client.post("/sign-in/dev", data={"csrf_token": token.group(1), "person": "registrar"})
    with client.session_transaction() as session:
        bearer = {"Authorization": f"Bearer {session['token']}"}
    http = requests.Session()
    letter_id = http.get(f"{intake}/letters/by-number/{number}", headers=bearer).json()["id"]
    period = {"from": "2026-01-01", "to": "2026-12-31", "group": "month"}

    def page(path: str) -> Callable[[], object]:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    def api(*calls: tuple[str, dict]) -> Callable[[], object]:
        def call() -> None:
            for url, params in calls:
                # Routing has not seen bulk-inserted letters: its 404 is the page's answer too.
                status = http.get(url, params=params, headers=bearer).status_code
                assert status in (200, 404), (url, status)

        return call

    cases = {
        "protocol book": (
            page("/book"),
            api((f"{intake}/letters", {"limit": 25, "with_total": "true"})),
        ),
        "protocol book, search": (
            page("/book?q=silumos"),
            api((f"{intake}/letters", {"limit": 25, "q": "silumos", "with_total": "true"})),
        ),
        "letter's page": (
            page(f"/letters/{number}"),
            api(
                (f"{intake}/letters/by-number/{number}", {}), (f"{routing}/letters/{letter_id}", {})
            ),
        ),
        "statistics (a year by month)": (
            page("/statistics?from=2026-01-01&to=2026-12-31&group=month"),
            api((f"{intake}/statistics", period)),
        ),
    }
    # The statistics read every letter of the year: a quarter as many requests keeps the run short.
    counts = {name: count // 4 if name.startswith("statistics") else count for name in cases}
    return {
        name: (timed(render, counts[name], warm_up=10), timed(baseline, counts[name], warm_up=10))
        for name, (render, baseline) in cases.items()
    }


def report(results: dict[str, tuple], args: argparse.Namespace) -> None:
    print(
        f"\n{args.letters} letters, {args.requests} requests each (statistics: a quarter), "
        "intake and routing with "
        f"{args.workers} gunicorn workers"
    )
    print(
        f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'API p50':>8} {'API p95':>8} {'added p95':>9}"
    )
    for name, (render, baseline) in results.items():
        print(
            f"{name:<30} {percentile(render, 0.5):>8.1f} {percentile(render, 0.95):>8.1f} "
            f"{percentile(baseline, 0.5):>8.1f} {percentile(baseline, 0.95):>8.1f} "
            f"{percentile(render, 0.95) - percentile(baseline, 0.95):>9.1f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
