"""Fill a throwaway intake database with N letters of a decade's realistic shape.

Ten years (2017-2026) of the Alytus profile's three registers, incoming and
outgoing, in lt, lv, ka, sq and en with their own scripts; persons and
organisations as correspondents; every kind, status, channel and department;
about one outgoing letter in five a reply to an earlier incoming one; one in
fifty confidential. Rows go in by PostgreSQL ``COPY`` (or ``executemany`` in
batches on SQLite) after intake's own migrations have made the schema.

    .venv/bin/python bench/generate_letters.py \
        postgresql+psycopg://postgres@127.0.0.1:5432/chancery_scale_c19 --letters 1000000
    .venv/bin/python bench/generate_letters.py sqlite:////tmp/book.sqlite --letters 100000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import TIME_ZONE
from chancery.audit import person_key
from chancery.db import make_engine
from chancery.runtime import alembic_config, ensure_database
from chancery.text import fold
from intake.adapters.models import Letter, RegisterCounter
from intake.adapters.tally import rebuild
from intake.domain.searching import search_text
from intake.usecases import data_subject

FIRST_YEAR, YEARS = 2017, 10
REGISTERS = {  # code: (number prefix, direction, kinds)
    "incoming": (
        "G",
        "incoming",
        ("letter", "proposal", "information_request", "invitation", "other"),
    ),
    "applications": ("P", "incoming", ("application", "complaint")),
    "outgoing": ("S", "outgoing", ("letter", "reply")),
}
REGISTER_WEIGHTS = (("incoming", 45), ("applications", 35), ("outgoing", 20))
DEPARTMENTS = ("DOC", "COMM", "LEGAL", "FIN", "SOC", "EDU", "URBAN")
CHANNELS = ("post", "email", "e_services", "in_person")
ADDRESSEES = ("mayor", "deputy_mayor", "director", "department")
INCOMING_STATUSES = (
    ("routed", 20),
    ("assigned", 15),
    ("answered", 45),
    ("archived", 15),
    ("registered", 2),
    ("voided", 1),
    ("forwarded", 2),
)
# Subjects and names in each language's own script, with its diacritics.
LANGUAGES = {
    "lt": (
        (
            "Prašymas dėl šilumos kompensacijos",
            "Skundas dėl gatvių apšvietimo",
            "Pasiūlymas dėl dviračių takų Žaliakalnyje",
            "Kvietimas į Joninių šventę",
        ),
        ("Žemaitė Ona", "Jonas Petraitis", "Rūta Šimkūnienė", "Gediminas Čepulis"),
        ("UAB „Šviesa“", "Alytaus bendruomenė „Vilties žiedas“"),
    ),
    "lv": (
        (
            "Iesniegums par ielu apgaismojumu",
            "Sūdzība par troksni naktī",
            "Priekšlikums par bērnu laukumu",
        ),
        ("Jānis Bērziņš", "Līga Ozoliņa", "Ēriks Kalniņš"),
        ("SIA „Ūdensvads“", "Daugavpils biedrība „Ģimene“"),
    ),
    "ka": (
        (
            "წერილი მერს ქალაქის პარკის შესახებ",
            "საჩივარი ქუჩის განათებაზე",
            "განცხადება მიწის ნაკვეთზე",
        ),
        ("ნინო ბერიძე", "გიორგი ლომიძე", "თამარ კაპანაძე"),
        ("შპს „ლაგოდეხი“", "ასოციაცია „მწვანე ქალაქი“"),
    ),
    "sq": (
        (
            "Kërkesë për leje ndërtimi",
            "Ankesë për ndriçimin e rrugës",
            "Propozim për parkun e qytetit",
        ),
        ("Arbër Hoxha", "Elira Çela", "Dritëro Shehu"),
        ("Shoqëria „Ujësjellësi“ sh.a.", "Shoqata „Vlora e Gjelbër“"),
    ),
    "en": (
        (
            "Request for a meeting on the twinning agreement",
            "Complaint about parking fees",
            "Invitation to the sister-city festival",
        ),
        ("Margaret O'Brien", "Dr. Søren Müller", "Anna-Lena Smith"),
        ("Twin Towns Association", "Friends of the River Trust"),
    ),
}
LANGUAGE_WEIGHTS = (("lt", 70), ("lv", 8), ("ka", 8), ("sq", 7), ("en", 7))
COLUMNS = (
    "id",
    "direction",
    "register_code",
    "year",
    "sequence",
    "registration_number",
    "kind",
    "channel",
    "language",
    "subject",
    "subject_folded",
    "search_text",
    "summary",
    "addressee",
    "addressee_kind",
    "addressee_department_code",
    "correspondent",
    "confidentiality",
    "received_at",
    "registered_at",
    "registered_by",
    "status",
    "status_changed_at",
    "department_code",
    "copy_departments",
    "due_date",
    "answered_at",
    "in_reply_to_id",
    "access_code_hash",
    "closing_reason",
    "forwarded_to",
    "triage_reason",
    "file_reference",
    "version",
)


def weighted(choices: tuple[tuple[str, int], ...]) -> Callable[[random.Random], str]:
    """A picker of one of ``choices`` by its weight (cumulative weights computed once)."""
    values = [value for value, _ in choices]
    cumulative = list(accumulate(weight for _, weight in choices))
    return lambda rng: rng.choices(values, cum_weights=cumulative)[0]


def letters(count: int, seed: int = 19) -> Iterator[dict]:
    """``count`` letters in registration order over ten years, numbers gap-free per register."""
    rng = random.Random(seed)
    pick_register, pick_language = weighted(REGISTER_WEIGHTS), weighted(LANGUAGE_WEIGHTS)
    pick_status = weighted(INCOMING_STATUSES)
    folded = {
        subject: fold(subject) for subjects, _, _ in LANGUAGES.values() for subject in subjects
    }
    start = datetime(FIRST_YEAR, 1, 2, 6, tzinfo=UTC)
    step = timedelta(days=365.25 * YEARS) / count
    sequences: dict[tuple[str, int], int] = {}
    recent_incoming: list[tuple[str, str]] = []
    for position in range(count):
        registered_at = start + step * position
        register = pick_register(rng)
        prefix, direction, kinds = REGISTERS[register]
        year = registered_at.year
        sequence = sequences[register, year] = sequences.get((register, year), 0) + 1
        language = pick_language(rng)
        subjects, people, organisations = LANGUAGES[language]
        template, number = rng.choice(subjects), rng.randrange(1, 999)
        subject = f"{template} Nr. {number}"
        department = rng.choice(DEPARTMENTS)
        organisation = rng.choice(organisations) if rng.random() < 0.3 else None
        name = rng.choice(people)
        correspondent = {
            "type": "organisation" if organisation else "person",
            "name": name,
            "email": f"p{rng.getrandbits(40):x}@example.org",
            "organisation": organisation,
        }
        letter_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        kind = rng.choice(kinds)
        in_reply_to = None
        if direction == "incoming":
            status = pick_status(rng)
            received_at = registered_at - timedelta(hours=rng.randrange(0, 72))
            recent_incoming.append((letter_id, status))
            del recent_incoming[:-200]
        else:
            status, received_at = "sent", None
            if kind == "reply" and recent_incoming:
                in_reply_to = rng.choice(recent_incoming)[0]
        summary = f"{subject}. {name}" if rng.random() < 0.4 else None
        yield {
            "id": letter_id,
            "direction": direction,
            "register_code": register,
            "year": year,
            "sequence": sequence,
            "registration_number": f"{prefix}-{year}-{sequence:05d}",
            "kind": kind,
            "channel": rng.choice(CHANNELS),
            "language": language,
            "subject": subject,
            "subject_folded": f"{folded[template]} nr. {number}",
            "search_text": search_text(subject, summary, correspondent),
            "summary": summary,
            "addressee": {"kind": "department", "department_code": department},
            "addressee_kind": rng.choice(ADDRESSEES),
            "addressee_department_code": department,
            "correspondent": correspondent,
            # Stored on SQLite, as its writers store it; PostgreSQL derives it from the
            # correspondent (a generated column, decision 0087), so COPY leaves it out.
            "person_key": person_key(data_subject(correspondent)),
            "confidentiality": "confidential" if rng.random() < 0.02 else "normal",
            "received_at": received_at,
            "registered_at": registered_at,
            "registered_by": "generator",
            "status": status,
            "status_changed_at": registered_at + timedelta(days=rng.randrange(0, 20)),
            "department_code": department,
            "copy_departments": ",",
            "due_date": (registered_at + timedelta(days=20)).date(),
            "answered_at": registered_at + timedelta(days=9) if status == "answered" else None,
            "in_reply_to_id": in_reply_to,
            "access_code_hash": None,
            "closing_reason": None,
            "forwarded_to": "Ministry" if status == "forwarded" else None,
            "triage_reason": None,
            "file_reference": f"{department}-{year}-1" if status == "archived" else None,
            "version": 1,
        }


def fill(database_url: str, count: int, batch: int = 20_000) -> dict[tuple[str, int], int]:
    """Migrate the database and add ``count`` letters; the last sequence per register and year."""
    from alembic import command

    ensure_database(database_url)
    engine = make_engine(database_url)
    with engine.begin() as connection:
        config = alembic_config(
            Path(__file__).resolve().parent.parent / "services/intake/intake/migrations",
            TIME_ZONE,
        )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    last: dict[tuple[str, int], int] = {}
    rows = letters(count)
    if engine.dialect.name == "postgresql":
        _copy(engine, rows, last)
    else:
        with engine.begin() as connection:
            chunk: list[dict] = []
            for row in rows:
                last[row["register_code"], row["year"]] = row["sequence"]
                chunk.append(row)
                if len(chunk) == batch:
                    connection.execute(insert(Letter), chunk)
                    chunk.clear()
            if chunk:
                connection.execute(insert(Letter), chunk)
    with engine.begin() as connection:
        connection.execute(
            insert(RegisterCounter),
            [
                {"register_code": code, "year": year, "last_sequence": sequence}
                for (code, year), sequence in last.items()
            ],
        )
        rebuild(connection, TIME_ZONE)  # the rows went in around the ORM, so around its tally
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE letters")
            connection.exec_driver_sql("VACUUM ANALYZE letter_tally")
    engine.dispose()
    return last


def _copy(engine, rows: Iterator[dict], last: dict[tuple[str, int], int]) -> None:
    raw = engine.raw_connection()
    try:
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY letters ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                last[row["register_code"], row["year"]] = row["sequence"]
                row["addressee"] = json.dumps(row["addressee"], ensure_ascii=False)
                row["correspondent"] = json.dumps(row["correspondent"], ensure_ascii=False)
                copy.write_row([row[column] for column in COLUMNS])
        raw.commit()
    finally:
        raw.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--letters", type=int, default=1_000_000)
    args = parser.parse_args()
    began = time.monotonic()
    last = fill(args.database_url, args.letters)
    print(
        f"{args.letters:,} letters in {len(last)} register-years into "
        f"{make_url(args.database_url).render_as_string()} in {time.monotonic() - began:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
