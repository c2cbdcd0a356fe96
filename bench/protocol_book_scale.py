"""Protocol book at scale: intake's API against the same queries sent straight to the database.

Runs intake's web (gunicorn, ``--workers``) on a database that
``bench/generate_letters.py`` filled (reused between runs, never changed
here except the audit rows the API writes), and times through intake's own
API: an exact registration-number lookup, the first list page and a deep one
(offset: the key-paged form is another branch's), a year's statistics by
month, and a year's protocol-book CSV (first byte and rows per second). In
the same run the same questions go directly to the database through the
driver (psycopg, or sqlite3 for the embedded mode) as the baseline.

    .venv/bin/python bench/protocol_book_scale.py \\
        postgresql+psycopg://postgres@127.0.0.1:5432/chancery_scale_c19 --requests 50
    .venv/bin/python bench/protocol_book_scale.py sqlite:////tmp/book.sqlite --requests 50
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import requests
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from chancery.auth import issue_token
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery_testing import throwaway_vhost
from intake.bootstrap import DEFINITION as INTAKE

YEAR = 2025
SECRET = secrets.token_hex(32)
# Vilnius is UTC+2 on 1 January: the year's local bounds as UTC instants.
YEAR_FROM, YEAR_TO = f"{YEAR - 1}-12-31 22:00:00+00", f"{YEAR}-12-31 22:00:00+00"


class Direct:
    """The baseline: the same questions as plain SQL through the driver."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.postgres = parsed.get_backend_name() == "postgresql"
        if self.postgres:
            self.conn = psycopg.connect(parsed.set(drivername="postgresql").render_as_string(
                hide_password=False), autocommit=True)
        else:
            self.conn = sqlite3.connect(parsed.database)
        self.mark = "%s" if self.postgres else "?"

    def rows(self, sql: str, *params: Any) -> list[tuple]:
        cursor = self.conn.cursor()
        cursor.execute(sql.replace("?", self.mark), params)
        return cursor.fetchall()

    def number(self, number: str) -> None:
        assert self.rows("SELECT * FROM letters WHERE registration_number = ?", number)

    def page(self, offset: int) -> None:
        self.rows("SELECT * FROM letters ORDER BY registered_at DESC, sequence DESC "
                  "LIMIT 25 OFFSET ?", offset)

    def statistics(self) -> None:
        if self.postgres:
            self.rows("SELECT to_char(registered_at AT TIME ZONE 'Europe/Vilnius', 'YYYY-MM'), "
                      "kind, addressee_kind, status, channel, count(*) FROM letters "
                      "WHERE registered_at >= ? AND registered_at < ? AND direction = "
                      "'incoming' AND status <> 'voided' GROUP BY 1, 2, 3, 4, 5",
                      YEAR_FROM, YEAR_TO)
        else:  # SQLite knows no time zones: UTC months, which is what it can do alone.
            self.rows("SELECT substr(registered_at, 1, 7), kind, addressee_kind, status, "
                      "channel, count(*) FROM letters WHERE registered_at >= ? AND "
                      "registered_at < ? AND direction = 'incoming' AND status <> 'voided' "
                      "GROUP BY 1, 2, 3, 4, 5", YEAR_FROM[:19], YEAR_TO[:19])

    def export(self) -> tuple[float, float, int]:
        """First row (ms), rows per second, rows: a server-side cursor over the year."""
        began = time.perf_counter()
        sql = ("SELECT * FROM letters WHERE registered_at >= ? AND registered_at < ? "
               "ORDER BY register_code, year, sequence")
        if self.postgres:
            cursor = self.conn.cursor(name="export")
            self.conn.autocommit = False
            cursor.itersize = 2000
            cursor.execute(sql.replace("?", "%s"), (YEAR_FROM, YEAR_TO))
        else:
            cursor = self.conn.cursor()
            cursor.execute(sql, (YEAR_FROM[:19], YEAR_TO[:19]))
        first, count = None, 0
        for _row in cursor:
            if first is None:
                first = time.perf_counter() - began
            count += 1
        elapsed = time.perf_counter() - began
        cursor.close()
        if self.postgres:
            self.conn.commit()
            self.conn.autocommit = True
        return (first or 0) * 1000, count / elapsed, count


def timed(call: Callable[[], object], count: int, warm_up: int = 2) -> list[float]:
    """Milliseconds of ``count`` calls after ``warm_up`` calls."""
    for _ in range(warm_up):
        call()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def api_export(base: str, bearer: dict[str, str]) -> tuple[float, float, int]:
    """First byte (ms), rows per second, rows of a year's CSV read as it streams."""
    began = time.perf_counter()
    with requests.get(f"{base}/protocol-book", headers=bearer, stream=True,
                      params={"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}) as response:
        assert response.status_code == 200, response.status_code
        first, lines = None, -1  # the header is not a row
        for chunk in response.iter_content(chunk_size=65536):
            if first is None:
                first = time.perf_counter() - began
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - began
    return (first or 0) * 1000, lines / elapsed, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    direct = Direct(args.database_url)
    numbers = [row[0] for row in direct.rows(
        "SELECT registration_number FROM letters WHERE confidentiality = 'normal' "
        "AND year = ? LIMIT 2000", YEAR)]
    rng = random.Random(19)
    workdir = Path(tempfile.mkdtemp(prefix="chancery-bench-scale-"))
    with throwaway_vhost(prefix="chancery-bench-scale-") as broker:
        group = ProcessGroup(workdir / "logs", {
            **os.environ, "BROKER_URL": broker, "CHANCERY_DATA_DIR": str(workdir),
            "LOG_LEVEL": "WARNING", "DATABASE_URL": args.database_url,
            "JWT_SECRET": SECRET})
        try:
            port = free_port()
            start_service(group, INTAKE, port, args.workers, ("web",))
            base = f"http://127.0.0.1:{port}"
            bearer = {"Authorization": "Bearer " + issue_token(SECRET, ["registrar"])}
            http = requests.Session()

            def get(path: str, **params: Any) -> Callable[[], None]:
                def call() -> None:
                    response = http.get(f"{base}{path}", params=params, headers=bearer)
                    assert response.status_code == 200, (path, response.status_code)
                return call

            def lookup() -> None:
                response = http.get(f"{base}/letters/by-number/{rng.choice(numbers)}",
                                    headers=bearer)
                assert response.status_code == 200, response.status_code

            def searched() -> None:
                get("/letters", q=rng.choice(numbers), limit=25)()

            total = direct.rows("SELECT count(*) FROM letters")[0][0]
            deep = total * 9 // 10
            count = args.requests
            cases = {
                # No database, no token: what an HTTP round trip costs on this machine.
                "/healthz (the HTTP floor)": (get("/healthz"), lambda: direct.rows("SELECT 1"),
                                              count),
                "number, by-number": (lookup, lambda: direct.number(rng.choice(numbers)), count),
                "number, as a search": (searched, lambda: direct.number(rng.choice(numbers)),
                                        count),
                "first list page (25, with total)": (get("/letters", limit=25),
                                                     lambda: direct.page(0), count),
                f"page at offset {deep:,}": (get("/letters", limit=25, offset=deep),
                                             lambda: direct.page(deep), max(count // 10, 3)),
                f"statistics {YEAR} by month": (
                    get("/statistics", **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31",
                                          "group": "month"}),
                    direct.statistics, max(count // 5, 5)),
            }
            print(f"\n{total:,} letters in {make_url(args.database_url).get_backend_name()}, "
                  f"intake web with {args.workers} gunicorn workers")
            print(f"{'query':<36} {'API p50':>8} {'API p95':>8} {'SQL p50':>8} "
                  f"{'SQL p95':>8} {'ratio p95':>9}", flush=True)
            for name, (api, baseline, n) in cases.items():
                report(name, timed(api, n), timed(baseline, n))
            for _ in range(2):
                (api_first, api_rate, api_rows) = api_export(base, bearer)
                (sql_first, sql_rate, sql_rows) = direct.export()
                print(f"export {YEAR}: API {api_rows:,} rows, first byte {api_first:.0f} ms, "
                      f"{api_rate:,.0f} rows/s; driver {sql_rows:,} rows, first row "
                      f"{sql_first:.0f} ms, {sql_rate:,.0f} rows/s; "
                      f"ratio {api_rate / sql_rate:.2f}", flush=True)
        finally:
            group.stop()
    return 0


def report(name: str, api: list[float], baseline: list[float]) -> None:
    """One line of the table, printed as soon as it is measured."""
    api95, sql95 = percentile(api, .95), percentile(baseline, .95)
    print(f"{name:<36} {percentile(api, .5):>8.1f} {api95:>8.1f} "
          f"{percentile(baseline, .5):>8.1f} {sql95:>8.1f} {api95 / sql95:>9.1f}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
