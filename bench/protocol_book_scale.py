"""Protocol book at scale: intake's API against the same queries sent straight to the database.

Runs intake's web (gunicorn, ``--workers``) on a database that
``bench/generate_letters.py`` filled (reused between runs, never changed
here except the audit rows the API writes), and times through intake's own
API: an exact registration-number lookup, a mixed set of searches (subject
words, correspondents' names with and without their diacritics, Georgian
words, organisations), the first list page and a deep one (by cursor, as a
client paging there holds it), a year's statistics by month, and a year's
protocol-book CSV (first byte and rows per second). In the same run the same
questions go directly to the database through the driver (psycopg, or
sqlite3 for the embedded mode) as the baseline. The load average is printed
before and after: on a shared machine the ratios are what to compare.

The API is asked through one kept-alive ``http.client`` connection (the
default, ``--client http.client``) or through ``requests`` (``--client
requests``, which the runs before 2026-12-03 used), whose own CPU per request is
about four times the lean client's: on the same two cores as the service it is
inside every time measured (about 2 ms of a number's p95, decision 0092), so
the client's CPU per request is printed with each line.

    .venv/bin/python bench/protocol_book_scale.py \\
        postgresql+psycopg://postgres@127.0.0.1:5432/chancery_scale_c19 --requests 50
    .venv/bin/python bench/protocol_book_scale.py sqlite:////tmp/book.sqlite --requests 50
    .venv/bin/python bench/protocol_book_scale.py <url> --requests 50 --client requests
"""

from __future__ import annotations

import argparse
import functools
import http.client
import os
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
import requests
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, timed
from chancery.auth import issue_token
from chancery.paging import encode_cursor
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery_testing import throwaway_vhost
from intake.bootstrap import DEFINITION as INTAKE
from intake.domain.searching import query_words

YEAR = 2025
SECRET = secrets.token_hex(32)
# Vilnius is UTC+2 on 1 January: the year's local bounds as UTC instants.
YEAR_FROM, YEAR_TO = f"{YEAR - 1}-12-31 22:00:00+00", f"{YEAR}-12-31 22:00:00+00"
# What a clerk types, as typed: subject words, names with and without their diacritics,
# organisations, Georgian and Latvian words (bench/generate_letters.py's vocabulary).
SEARCHES = (
    "šilumos",
    "apšvietimo",
    "Žaliakalnyje",
    "Joninių",
    "Žemaitė",
    "zemaite",
    "Šimkūnienė",
    "simkuniene",
    "Čepulis",
    "Vilties žiedas",
    "Bērziņš",
    "berzins",
    "Ozoliņa",
    "troksni",
    "ქუჩის",
    "ბერიძე",
    "მწვანე ქალაქი",
    "ndriçimin",
    "ndricimin",
    "Hoxha",
    "Çela",
    "Ujësjellësi",
    "twinning",
    "Müller",
    "parking fees",
)
# The list's keyset order and the scope its cursors are issued for (GET /letters).
NEWEST = "registered_at DESC, sequence DESC, id DESC"
LIST_SCOPE = "letters.list_letters -registered"


class Direct:
    """The baseline: the same questions as plain SQL through the driver."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.postgres = parsed.get_backend_name() == "postgresql"
        if self.postgres:
            self.conn = psycopg.connect(
                parsed.set(drivername="postgresql").render_as_string(hide_password=False),
                autocommit=True,
            )
        else:
            self.conn = sqlite3.connect(parsed.database)
        self.mark = "%s" if self.postgres else "?"

    def rows(self, sql: str, *params: Any) -> list[tuple]:
        cursor = self.conn.cursor()
        cursor.execute(sql.replace("?", self.mark), params)
        return cursor.fetchall()

    def number(self, number: str) -> None:
        assert self.rows("SELECT * FROM letters WHERE registration_number = ?", number)

    def page(self, after: tuple | None) -> None:
        """A list page by keyset, after the key ``after`` (None: the first page)."""
        if after is None:
            self.rows(f"SELECT * FROM letters ORDER BY {NEWEST} LIMIT 26")
        else:
            self.rows(
                "SELECT * FROM letters WHERE (registered_at, sequence, id) < (?, ?, ?) "
                f"ORDER BY {NEWEST} LIMIT 26",
                *after,
            )

    def key_at(self, offset: int) -> tuple:
        """The list key of the letter at ``offset`` newest first (where a deep page starts)."""
        return self.rows(
            f"SELECT registered_at, sequence, id FROM letters ORDER BY {NEWEST} LIMIT 1 OFFSET ?",
            offset,
        )[0]

    def search(self, text: str) -> None:
        """The newest 200 matches with their rank values, as intake's adapter asks."""
        words = query_words(text)
        if self.postgres:
            likes = " AND ".join("search_text LIKE %s" for _ in words)
            self.rows(
                "SELECT id, CASE WHEN subject_folded LIKE %s THEN 0 ELSE 1 END, "
                f"0 - similarity(%s, subject_folded) FROM letters WHERE "
                f"confidentiality = 'normal' AND {likes} ORDER BY {NEWEST} LIMIT 200",
                f"%{words[0]}%",
                " ".join(words),
                *(f"%{word}%" for word in words),
            )
        else:
            expression = " ".join(f'"{word}"*' for word in words)
            self.rows(
                "SELECT letters.id, letter_search.rank FROM letters JOIN letter_search "
                "ON letter_search.rowid = letters.rowid WHERE letter_search MATCH ? AND "
                f"confidentiality = 'normal' ORDER BY {NEWEST} LIMIT 200",
                expression,
            )

    def statistics(self) -> None:
        """The year's months from the daily tally (decision 0065), as intake's use case sums
        it for a reader who sees every department."""
        month = "to_char(day, 'YYYY-MM')" if self.postgres else "substr(day, 1, 7)"
        self.rows(
            f"SELECT {month}, dimension, value, sum(letters) FROM letter_tally "
            "WHERE day >= ? AND day < ? GROUP BY 1, 2, 3",
            f"{YEAR}-01-01",
            f"{YEAR + 1}-01-01",
        )

    def export(self) -> tuple[float, float, int]:
        """First row (ms), rows per second, rows: a server-side cursor over the year."""
        began = time.perf_counter()
        sql = (
            "SELECT * FROM letters WHERE registered_at >= ? AND registered_at < ? "
            f"AND year = {YEAR} ORDER BY year, register_code, sequence"
        )
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


class KeptAlive:
    """GET requests over one kept-alive ``http.client`` connection: a lean client."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port)

    def status(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> int:
        target = f"{path}?{urlencode(params)}" if params else path
        try:
            return self._get(target, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closes a connection idle for its keep-alive (5 s), as between two
            # queries while the baseline runs; requests reconnects the same way. Each
            # query's warm-up calls take the reconnection, not its timed ones.
            self.connection.close()
            return self._get(target, headers)

    def _get(self, target: str, headers: dict[str, str]) -> int:
        self.connection.request("GET", target, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status


def api_export(base: str, bearer: dict[str, str]) -> tuple[float, float, int]:
    """First byte (ms), rows per second, rows of a year's CSV read as it streams."""
    began = time.perf_counter()
    with requests.get(
        f"{base}/protocol-book",
        headers=bearer,
        stream=True,
        params={"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"},
    ) as response:
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
    parser.add_argument("--client", choices=("requests", "http.client"), default="http.client")
    args = parser.parse_args()
    direct = Direct(args.database_url)
    numbers = [
        row[0]
        for row in direct.rows(
            "SELECT registration_number FROM letters WHERE confidentiality = 'normal' "
            "AND year = ? LIMIT 2000",
            YEAR,
        )
    ]
    rng = random.Random(19)
    workdir = Path(tempfile.mkdtemp(prefix="chancery-bench-scale-"))
    with throwaway_vhost(prefix="chancery-bench-scale-") as broker:
        group = ProcessGroup(
            workdir / "logs",
            {
                **os.environ,
                "BROKER_URL": broker,
                "CHANCERY_DATA_DIR": str(workdir),
                "LOG_LEVEL": "WARNING",
                "DATABASE_URL": args.database_url,
                "JWT_SECRET": SECRET,
            },
        )
        try:
            port = free_port()
            start_service(group, INTAKE, port, args.workers, ("web",))
            base = f"http://127.0.0.1:{port}"
            bearer = {"Authorization": "Bearer " + issue_token(SECRET, ["registrar"])}
            if args.client == "requests":
                session = requests.Session()

                def status(path: str, params: dict[str, Any]) -> int:
                    return session.get(f"{base}{path}", params=params, headers=bearer).status_code

            else:
                status = functools.partial(KeptAlive(port).status, headers=bearer)

            def get(path: str, **params: Any) -> Callable[[], None]:
                def call() -> None:
                    answered = status(path, params)
                    assert answered == 200, (path, answered)

                return call

            def lookup() -> None:
                answered = status(f"/letters/by-number/{rng.choice(numbers)}", {})
                assert answered == 200, answered

            def searched() -> None:
                get("/letters", q=rng.choice(numbers), limit=25)()

            def find() -> str:
                return rng.choice(SEARCHES)

            total = direct.rows("SELECT count(*) FROM letters")[0][0]
            deep = total * 9 // 10
            deep_key = direct.key_at(deep)
            # The cursor a client holds after paging to there (the API's own encoding).
            deep_cursor = encode_cursor(LIST_SCOPE, [instant(deep_key[0]), *deep_key[1:]])
            count = args.requests
            cases = {
                # No database, no token: what an HTTP round trip costs on this machine.
                "/healthz (the HTTP floor)": (
                    get("/healthz"),
                    lambda: direct.rows("SELECT 1"),
                    count,
                ),
                "number, by-number": (lookup, lambda: direct.number(rng.choice(numbers)), count),
                "number, as a search": (
                    searched,
                    lambda: direct.number(rng.choice(numbers)),
                    count,
                ),
                "search, mixed words and names": (
                    lambda: get("/letters", q=find(), limit=25)(),
                    lambda: direct.search(find()),
                    count * 2,
                ),
                "first list page (25)": (
                    get("/letters", limit=25),
                    lambda: direct.page(None),
                    count,
                ),
                f"page after row {deep:,} (cursor)": (
                    get("/letters", limit=25, cursor=deep_cursor),
                    lambda: direct.page(deep_key),
                    count,
                ),
                f"statistics {YEAR} by month": (
                    get(
                        "/statistics",
                        **{"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31", "group": "month"},
                    ),
                    direct.statistics,
                    max(count // 5, 5),
                ),
            }
            print(
                f"\n{total:,} letters in {make_url(args.database_url).get_backend_name()}, "
                f"intake web with {args.workers} gunicorn workers, asked through "
                f"{args.client}; load average before: {load()}"
            )
            print(
                f"{'query':<36} {'API p50':>8} {'API p95':>8} {'SQL p50':>8} "
                f"{'SQL p95':>8} {'ratio p95':>9} {'client CPU':>10}",
                flush=True,
            )
            for name, (api, baseline, n) in cases.items():
                began = time.process_time()
                api_times = timed(api, n, warm_up=2)
                client_cpu = (time.process_time() - began) / (n + 2) * 1000
                report(name, api_times, timed(baseline, n, warm_up=2), client_cpu)
            for _ in range(2):
                (api_first, api_rate, api_rows) = api_export(base, bearer)
                (sql_first, sql_rate, sql_rows) = direct.export()
                print(
                    f"export {YEAR}: API {api_rows:,} rows, first byte {api_first:.0f} ms, "
                    f"{api_rate:,.0f} rows/s; driver {sql_rows:,} rows, first row "
                    f"{sql_first:.0f} ms, {sql_rate:,.0f} rows/s; "
                    f"ratio {api_rate / sql_rate:.2f}",
                    flush=True,
                )
            print(f"load average after: {load()}")
        finally:
            group.stop()
    return 0


def instant(value: datetime | str) -> datetime:
    """A stored registration time as the aware instant the API pages by (SQLite: UTC text)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` prints them."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def report(name: str, api: list[float], baseline: list[float], client_cpu: float) -> None:
    """One line of the table, printed as soon as it is measured (``client_cpu``: the bench's
    own CPU milliseconds per API request)."""
    api95, sql95 = percentile(api, 0.95), percentile(baseline, 0.95)
    print(
        f"{name:<36} {percentile(api, 0.5):>8.1f} {api95:>8.1f} "
        f"{percentile(baseline, 0.5):>8.1f} {sql95:>8.1f} {api95 / sql95:>9.1f} "
        f"{client_cpu:>10.2f}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
