"""The protocol book's list and export read in the order of their indexes (decision 0064)."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from sqlalchemy import text

from chancery.clock import utcnow
from chancery.idempotency import StoredResponse
from chancery.paging import PageRequest
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.repositories import LetterFilters
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))


def register(wiring: ServiceWiring, subject: str) -> str:
    command = RegisterLetter(
        direction="incoming",
        kind="complaint",
        channel="email",
        language="lt",
        subject=subject,
        addressee={"kind": "mayor"},
        correspondent={"type": "person", "name": "Rūta Šimkūnienė"},
    )
    response = wiring.extensions["letters"].register(
        command,
        CLERK,
        str(uuid.uuid4()),
        None,
        lambda r: StoredResponse(201, {"number": r.letter.registration_number}),
    )
    return response.body["number"]


def plan(wiring: ServiceWiring, sql: str) -> str:
    with wiring.engine.connect() as conn:
        # A handful of rows: the planner rightly prefers reading and sorting them all, so
        # it is told not to; without an index in the asked order it must sort anyway.
        for method in ("seqscan", "bitmapscan", "sort"):
            conn.execute(text(f"SET enable_{method} = off"))
        return "\n".join(conn.execute(text(f"EXPLAIN {sql}")).scalars())


def test_every_page_by_cursor_is_a_seek_in_the_list_index(wiring):
    numbers = [register(wiring, f"Laiškas {index} ąčę") for index in range(3)]
    seen, asked = [], PageRequest(limit=1)
    while True:
        page = wiring.extensions["searches"].search(LetterFilters(), CLERK, asked)
        seen += [hit.letter.registration_number for hit in page.items]
        if page.next_key is None:
            break
        asked = PageRequest(limit=1, after=page.next_key)
    assert seen == numbers[::-1]
    keyset = plan(
        wiring,
        "SELECT id FROM letters WHERE (registered_at, sequence, id) < "
        "(now(), 1, 'x') ORDER BY registered_at DESC, sequence DESC, id DESC "
        "LIMIT 26",
    )
    assert "ix_letters_list_order" in keyset
    assert "Sort" not in keyset


def test_the_export_reads_its_year_in_index_order_without_sorting(wiring):
    numbers = [register(wiring, f"Prašymas {index}") for index in range(3)]
    today = wiring.extensions["letters"].profile.calendar().local(utcnow()).date()
    lines = "".join(wiring.extensions["exports"].protocol_book_csv(today, today, CLERK))
    rows = list(csv.reader(io.StringIO(lines)))
    assert [row[0] for row in rows[1:]] == numbers
    year = plan(
        wiring,
        "SELECT id FROM letters WHERE year BETWEEN 2025 AND 2025 AND "
        "registered_at >= now() - interval '1 year' "
        "ORDER BY year, register_code, sequence",
    )
    assert "ix_letters_export_order" in year
    assert "Sort" not in year
