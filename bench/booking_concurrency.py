"""Protocol-events benchmark: reception bookings by N concurrent clerks over real HTTP.

Starts the protocol-events web app (the real wiring, PostgreSQL on a
throwaway database, the in-memory broker) in a threaded WSGI server in this
process, gives 10 officials weekday reception hours with 5-minute slots, and
lets ``--clerks`` threads POST bookings for ``--seconds``: every slot is
asked for by two clerks at about the same time, so half the attempts must be
refused with 409. Afterwards it checks in the database that no live slot is
held twice and that every 201 has exactly one ``appointment.booked`` in the
outbox.

Baseline in the same run, same server and client: a bare Flask app whose
view does one INSERT into a table with a unique (official, start) and
answers 201 or 409.

Prints bookings/s, attempts/s, p50/p95/p99 per request and the ratio.

    .venv/bin/python bench/booking_concurrency.py --clerks 8 --seconds 8
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask, request
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.serving import make_server

from bench.common import percentile
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import migrate, web_app
from chancery_testing import throwaway_database
from protocol_events.adapters.models import Appointment
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings
from protocol_events.domain.slots import ReceptionWindow, generate_slots

OFFICIALS = 10


def serve(app: Flask) -> tuple[Any, int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_port


def hammer(
    port: int, targets: list[dict[str, Any]], clerks: int, seconds: float, token: str
) -> tuple[dict[int, int], list[float], float]:
    """Clerks take targets in order, each target twice; status counts, latencies, elapsed."""
    lock, counter = threading.Lock(), [0]
    codes: dict[int, int] = {}
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    def clerk() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while time.monotonic() < deadline:
            with lock:
                index = counter[0] // 2
                counter[0] += 1
            if index >= len(targets):
                return
            body = json.dumps(targets[index], ensure_ascii=False).encode()
            started = time.perf_counter()
            connection.request(
                "POST",
                "/appointments",
                body=body,
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                codes[response.status] = codes.get(response.status, 0) + 1
                latencies.append(elapsed)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port)

    started = time.monotonic()
    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes, latencies, time.monotonic() - started


def bare_app(url: str) -> Flask:
    """One INSERT per booking, a unique (official, start), 201 or 409."""
    engine = create_engine(url, pool_size=10, max_overflow=10)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE bare_appointments (id text PRIMARY KEY, official_id "
                "text NOT NULL, starts_at timestamptz NOT NULL, body jsonb NOT NULL, "
                "UNIQUE (official_id, starts_at))"
            )
        )
    app = Flask("bare")

    @app.post("/appointments")
    def insert() -> tuple[dict[str, str], int]:
        document = request.get_json()
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO bare_appointments VALUES (:id, :official, "
                        ":starts, CAST(:body AS jsonb))"
                    ),
                    {
                        "id": str(uuid.uuid4()),
                        "official": document["official_id"],
                        "starts": document["starts_at"],
                        "body": json.dumps(document, ensure_ascii=False),
                    },
                )
        except IntegrityError:
            return {"title": "taken"}, 409
        return {"status": "booked"}, 201

    return app


def report(label: str, codes: dict[int, int], latencies: list[float], elapsed: float) -> float:
    rate = codes.get(201, 0) / elapsed
    print(
        f"{label:<16} {rate:8.1f} bookings/s  {sum(codes.values()) / elapsed:8.1f} attempts/s"
        f"  p50 {percentile(latencies, 0.5) * 1000:6.1f} ms  p95 "
        f"{percentile(latencies, 0.95) * 1000:6.1f} ms  p99 "
        f"{percentile(latencies, 0.99) * 1000:6.1f} ms  codes {dict(sorted(codes.items()))}"
    )
    return rate


def targets_for(
    official_ids: list[str], slot_starts: Callable[[], list[datetime]]
) -> list[dict[str, Any]]:
    starts = slot_starts()
    return [
        {
            "official_id": official,
            "starts_at": start.isoformat(),
            "topic": "Dėl šaligatvio remonto Žalgirio gatvėje",
            "visitor": {
                "name": "Ona Žemaitytė",
                "email": "ona.zemaityte@example.org",
                "language": "lt",
            },
        }
        for start in starts
        for official in official_ids
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="bench-clerk")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request

    with throwaway_database(prefix="bench_pe_") as url:
        wiring = bootstrap(
            load_settings({"DATABASE_URL": url, "BROKER_URL": "memory://", "LOG_LEVEL": "WARNING"})
        )
        migrate(wiring)
        receptions = wiring.extensions["officials"]
        windows = [ReceptionWindow(day, clock(8, 0), clock(17, 0), 5) for day in range(5)]
        officials = []
        for i in range(OFFICIALS):
            official = receptions.create_official(
                {
                    "name": f"Pareigūnas {i}",
                    "position": {"lt": "Seniūnas"},
                    "addressee_kind": "mayor",
                }
            )
            receptions.set_hours(official.id, [w.__dict__ for w in windows])
            officials.append(official.id)
        today = datetime.now(UTC).date() + timedelta(days=1)

        def starts() -> list[datetime]:
            plan = generate_slots(receptions.days, windows, today, today + timedelta(days=90))
            return [slot.starts_at for slot in plan.slots]

        targets = targets_for(officials, starts)
        server, port = serve(web_app(wiring))
        hammer(port, targets[-40:], 2, 2, token)  # warm-up on slots the run never reaches
        codes, latencies, elapsed = hammer(port, targets[:-40], args.clerks, args.seconds, token)
        server.shutdown()
        with wiring.unit_of_work() as uow:
            doubled = uow.session.execute(
                select(Appointment.official_id, Appointment.starts_at)
                .where(Appointment.status != "cancelled")
                .group_by(Appointment.official_id, Appointment.starts_at)
                .having(func.count() > 1)
            ).all()
            booked = uow.session.scalar(select(func.count()).select_from(Appointment))
            outbox = wiring.tables.outbox
            messages = uow.session.scalar(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.message_type == "appointment.booked")
            )
        wiring.engine.dispose()
        print(f"clerks {args.clerks}, {args.seconds:.0f} s, every slot asked for twice")
        service = report("protocol-events", codes, latencies, elapsed)
        print(
            f"double-booked slots: {len(doubled)}; appointments {booked}, "
            f"appointment.booked messages {messages} (warm-up included)"
        )
        assert not doubled
        assert booked == messages

        server, port = serve(bare_app(url))
        hammer(port, targets[-40:], 2, 2, token)
        codes, latencies, elapsed = hammer(port, targets[:-40], args.clerks, args.seconds, token)
        server.shutdown()
        baseline = report("bare INSERT", codes, latencies, elapsed)
        print(f"ratio protocol-events / bare INSERT: {service / baseline:.2f}")


if __name__ == "__main__":
    main()
