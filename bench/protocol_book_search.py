"""Protocol book search benchmark: p95 of ``GET /letters?q=`` with N letters on PostgreSQL.

Fills a throwaway intake database (or the one ``--database-url`` names, which
must be migrated and empty) with ``--letters`` letters of a varied vocabulary
in five scripts (a small filler of its own), then times intake's own API
(the real Flask app with its token, validation, visibility, ranking and
snippets, in this process) and, as the baseline in the same run, the bare
SQL of the same search sent through the driver.

    .venv/bin/python bench/protocol_book_search.py --letters 1000000 --requests 200
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fill_book, percentile, timed
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import migrate, web_app
from chancery.text import fold
from chancery_testing import throwaway_database
from intake.bootstrap import bootstrap
from intake.config import load_settings
from intake.domain.searching import search_text

# Word stems of each language; subjects are three of them with a numbered suffix, so a
# word is as rare as in a real register (a few hundred letters each in a million).
STEMS = {
    "lt": (
        "prašymas",
        "skundas",
        "šiukšlės",
        "gatvė",
        "apšvietimas",
        "mokykla",
        "šiluma",
        "kompensacija",
        "leidimas",
        "statyba",
        "medis",
        "kelias",
        "tiltas",
        "parkas",
    ),
    "lv": (
        "iesniegums",
        "sūdzība",
        "apgaismojums",
        "iela",
        "skola",
        "siltums",
        "atļauja",
        "būvniecība",
        "koks",
        "ceļš",
        "tilts",
        "parks",
        "ūdens",
        "ķīmija",
    ),
    "ka": (
        "წერილი",
        "საჩივარი",
        "განათება",
        "ქუჩა",
        "სკოლა",
        "სითბო",
        "ნებართვა",
        "მშენებლობა",
        "ხე",
        "გზა",
        "ხიდი",
        "პარკი",
        "წყალი",
        "ფორუმი",
    ),
    "sq": (
        "kërkesë",
        "ankesë",
        "ndriçim",
        "rrugë",
        "shkollë",
        "ngrohje",
        "leje",
        "ndërtim",
        "pemë",
        "urë",
        "park",
        "ujë",
        "buxhet",
        "bashki",
    ),
    "en": (
        "request",
        "complaint",
        "lighting",
        "street",
        "school",
        "heating",
        "permit",
        "building",
        "tree",
        "road",
        "bridge",
        "park",
        "water",
        "budget",
    ),
}
GIVEN = (
    "Ona",
    "Jonas",
    "Jānis",
    "Līga",
    "ნინო",
    "გიორგი",
    "Arbër",
    "Elira",
    "Rūta",
    "Petras",
    "Ieva",
    "Marta",
    "Dāvis",
    "თამარ",
    "Besa",
    "Lukas",
    "Ēriks",
    "Agnė",
    "Saba",
    "Dritan",
)
FAMILY = tuple(
    f"{stem}{suffix}"
    for stem in (
        "Žemaitaitė",
        "Bērziņš",
        "ბერიძე",
        "Hoxha",
        "Kazlauskas",
        "Ozols",
        "კაპანაძე",
        "Krasniqi",
        "Petrauskienė",
        "Kalniņa",
    )
    for suffix in (
        "",
        "-Vaitkė",
        "-Liepa",
        "-Shehu",
        "-Gela",
        "-Rimkus",
        "-Auza",
        "-Meta",
        "-Dauka",
        "-Balode",
    )
)
VARIANTS = 60  # suffixes per stem: 14 stems x 60 = 840 words per language


def _word(rng: random.Random, language: str) -> str:
    return f"{rng.choice(STEMS[language])}{rng.randrange(VARIANTS):02d}"


def _letters(rng: random.Random, count: int, start: datetime, step: timedelta) -> Iterator[dict]:
    """The letters of the book: three-word subjects in five languages, a summary in every
    third, every fiftieth confidential."""
    languages = tuple(STEMS)
    for sequence in range(1, count + 1):
        language = languages[sequence % len(languages)]
        subject = " ".join(_word(rng, language) for _ in range(3)) + f" {sequence}"
        summary = " ".join(_word(rng, language) for _ in range(12)) if sequence % 3 == 0 else None
        correspondent = {
            "type": "person",
            "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "email": f"person{sequence}@example.org",
        }
        moment = start + step * sequence
        yield {
            "id": str(uuid.uuid4()),
            "direction": "incoming",
            "register_code": "incoming",
            "year": moment.year,
            "sequence": sequence,
            "registration_number": f"G-{moment.year}-{sequence:07d}",
            "kind": "complaint",
            "channel": "email",
            "language": language,
            "subject": subject,
            "subject_folded": fold(subject),
            "summary": summary,
            "search_text": search_text(subject, summary, correspondent),
            "addressee": {"kind": "mayor"},
            "addressee_kind": "mayor",
            "correspondent": correspondent,
            "confidentiality": "confidential" if sequence % 50 == 0 else "normal",
            "received_at": moment,
            "registered_at": moment,
            "registered_by": "bench",
            "status": "routed",
            "status_changed_at": moment,
            "department_code": "SOC",
            "copy_departments": ",",
            "version": 1,
        }


def fill(database_url: str, count: int, seed: int = 19) -> None:
    """Bulk-insert ``count`` letters over ten years (the trigram index is built after)."""
    engine = create_engine(database_url)
    rng = random.Random(seed)
    start = datetime(2016, 1, 4, 7, tzinfo=UTC)
    step = timedelta(days=3650) / count
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_letters_search_text_trgm"))
        fill_book(conn, _letters(rng, count, start, step), batch=10_000)
        conn.execute(
            text(
                "CREATE INDEX ix_letters_search_text_trgm ON letters "
                "USING gin (search_text gin_trgm_ops)"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE letters"))
    engine.dispose()


# The bare search: what the trigram adapter sends, without the app around it.
BASELINE = text("""
    SELECT id, registration_number, subject FROM letters
    WHERE confidentiality IN ('normal') AND search_text LIKE :pattern
    ORDER BY CASE WHEN subject_folded LIKE :pattern THEN 0 ELSE 1 END,
             similarity(:word, subject_folded) DESC, registered_at DESC
    LIMIT 50""")
BASELINE_COUNT = text(
    "SELECT count(*) FROM letters WHERE confidentiality IN ('normal') AND search_text LIKE :pattern"
)
BASELINE_NUMBER = text("SELECT id FROM letters WHERE registration_number = :number")


@contextmanager
def database(url: str | None) -> Iterator[str]:
    if url:
        yield url
    else:
        with throwaway_database(prefix="chancery_bench_search_") as created:
            yield created


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", help="a migrated, empty intake database")
    args = parser.parse_args()
    with database(args.database_url) as url:
        wiring = bootstrap(
            load_settings(
                {
                    "DATABASE_URL": url,
                    "BROKER_URL": "memory://",
                    "CHANCERY_DATA_DIR": tempfile.mkdtemp(),
                }
            )
        )
        migrate(wiring)
        began = time.monotonic()
        fill(url, args.letters)
        print(f"{args.letters:,} letters inserted and indexed in {time.monotonic() - began:.0f} s")
        client = web_app(wiring).test_client()
        auth = {
            "Authorization": "Bearer " + issue_token(DEV_JWT_SECRET, ["registrar"], subject="bench")
        }
        rng = random.Random(7)
        words = [_word(rng, language) for language in STEMS for _ in range(4)]
        names = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(20)]
        with wiring.engine.connect() as conn:
            numbers = [
                row[0]
                for row in conn.execute(
                    text("SELECT registration_number FROM letters ORDER BY random() LIMIT 20")
                )
            ]
        cases = {"a word": words, "a name": names, "a registration number": numbers}
        print("| query | API p50 ms | API p95 ms | SQL p95 ms | ratio p95 |")
        print("|---|---|---|---|---|")
        with wiring.engine.connect() as conn:
            for name, queries in cases.items():

                def api(queries: list[str] = queries) -> None:
                    query = rng.choice(queries)
                    response = client.get("/letters", query_string={"q": query}, headers=auth)
                    assert response.status_code == 200, response.get_json()

                def sql(queries: list[str] = queries, name: str = name) -> None:
                    query = rng.choice(queries)
                    if name == "a registration number":
                        conn.execute(BASELINE_NUMBER, {"number": query}).all()
                        return
                    folded = fold(query)
                    pattern = "%" + "%".join(folded.split()) + "%"
                    conn.execute(BASELINE_COUNT, {"pattern": pattern}).scalar()
                    conn.execute(BASELINE, {"pattern": pattern, "word": folded}).all()

                api_times, sql_times = (
                    timed(api, args.requests, warm_up=5),
                    timed(sql, args.requests, warm_up=5),
                )
                api_p95, sql_p95 = percentile(api_times, 0.95), percentile(sql_times, 0.95)
                print(
                    f"| {name} | {percentile(api_times, 0.5):.1f} | {api_p95:.1f} | "
                    f"{sql_p95:.1f} | {sql_p95 / api_p95:.2f} |"
                )
        wiring.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
