"""The protocol book's search on the real PostgreSQL (pg_trgm over the folded text)."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select, text

from chancery.paging import PageRequest
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.models import Letter
from intake.adapters.repositories import LetterFilters
from intake.adapters.search import TrigramSearch
from intake.domain import searching

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))
CLEARED = Principal(subject="clerk-2", roles=frozenset({"registrar", "clearance_secret"}))


# Not the conftest's Ona: a search for her name finds only the letter a test gives her.
PETRAS = {"type": "person", "name": "Petras Petraitis"}


@pytest.fixture
def register(register_letter):
    """How a test here registers a letter about ``subject`` from Petras (the conftest's
    ``register_letter``, ``changes`` replacing what they name); its id."""

    def registered(wiring: ServiceWiring, subject: str, **changes) -> str:
        letter = {"correspondent": PETRAS, **changes}
        return register_letter(wiring, subject=subject, **letter)["id"]

    return registered


def found(wiring: ServiceWiring, query: str, reader: Principal = CLERK) -> list[str]:
    page = wiring.extensions["searches"].search(
        LetterFilters(text=query), reader, PageRequest(with_total=True)
    )
    assert page.total == len(page.items)
    return [hit.letter.id for hit in page.items]


def test_search_folds_case_and_diacritics_in_every_script_and_ranks_the_subject_first(
    wiring, register
):
    ona = register(
        wiring,
        "Dėl šiukšlių",
        correspondent={
            "type": "organisation",
            "name": "Ona Žemaitytė",
            "email": "ona@example.org",
            "organisation": "Žaliųjų namų bendrija",
        },
    )
    nino = register(wiring, "მოწვევა ქალაქების ფორუმზე", language="ka")
    in_summary = register(wiring, "Kelias", summary="Gyventojai prašo išvežti šiukšles")
    assert found(wiring, "ZEMAITYTE") == [ona]
    assert found(wiring, "zaliuju NAMU") == [ona]
    assert found(wiring, "ona@example.org") == [ona]
    assert found(wiring, "ფორუმ") == [nino]
    assert found(wiring, "ŠIUKŠL") == [ona, in_summary]
    assert found(wiring, "isvezti") == [in_summary]  # inside a word, too
    assert found(wiring, "100%") == []
    hit = (
        wiring.extensions["searches"]
        .search(LetterFilters(text="isvezti"), CLERK, PageRequest())
        .items[0]
    )
    assert hit.match.field == "summary"
    assert [f.text for f in hit.match.fragments if f.marked] == ["išvežti"]


def test_a_protected_letter_is_matched_only_for_the_cleared(wiring, register):
    secret = register(wiring, "Slaptas reikalas", confidentiality="secret")
    assert found(wiring, "slaptas") == []
    assert found(wiring, "slaptas", CLEARED) == [secret]


def test_an_exact_number_goes_by_its_index_and_text_by_the_trigram_index(wiring, register):
    first = register(wiring, "Pirmas")
    newest = wiring.extensions["searches"].search(LetterFilters(), CLERK, PageRequest()).items[0]
    number = newest.letter.registration_number
    register(wiring, f"Apie {number}")
    assert found(wiring, number) == [first]
    with wiring.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            conn.execute(
                text("EXPLAIN SELECT id FROM letters WHERE search_text LIKE '%siuksl%'")
            ).scalars()
        )
    assert "ix_letters_search_text_trgm" in plan


def test_the_text_of_a_scan_is_found_once_the_worker_read_it(wiring, register):
    letter = register(wiring, "Su priedu")
    wiring.extensions["attachments"].attach(
        letter, "pastaba.txt", io.BytesIO("Kęstučio gatvė 7".encode()), CLERK
    )
    assert found(wiring, "kestucio") == []
    assert wiring.extensions["attachments"].extract_pending_scans() == 1
    assert found(wiring, "kestucio") == [letter]


def test_the_words_of_a_phrase_are_not_estimated_as_if_they_were_independent(wiring, register):
    # A phrase in a fifth of the book: the planner must think it common, so it walks the
    # newest letters instead of reading every match through the trigram index (decision 73).
    words = searching.query_words("Vilties žiedas")
    query, _ranking = TrigramSearch().narrow(None, select(Letter.id), words)
    condition = query.whereclause.compile(
        dialect=wiring.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    table = f"phrases_{uuid.uuid4().hex[:12]}"
    with wiring.engine.begin() as conn:
        conn.execute(text(f"CREATE TEMP TABLE {table} (search_text text NOT NULL)"))
        conn.execute(
            text(
                f"INSERT INTO {table} SELECT CASE WHEN n % 5 = 0 THEN "
                "'bendrija vilties ziedas ' || n ELSE 'prasymas ' || n END "
                "FROM generate_series(1, 5000) AS n"
            )
        )
        conn.execute(text(f"ANALYZE {table}"))
        plan = conn.execute(
            text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} AS letters WHERE {condition}")
        ).scalar_one()
        matching = conn.execute(
            text(f"SELECT count(*) FROM {table} AS letters WHERE {condition}")
        ).scalar_one()
    assert matching == 1000
    # Independent words would give 5000 × 0.2 × 0.2 = 200; the phrase is half its longest word.
    assert plan[0]["Plan"]["Plan Rows"] >= 400
