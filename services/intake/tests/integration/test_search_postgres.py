"""The protocol book's search on the real PostgreSQL (pg_trgm over the folded text)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from chancery.auth import Principal
from chancery.idempotency import StoredResponse
from chancery.paging import PageRequest
from chancery.runtime import ServiceWiring, migrate
from intake.bootstrap import bootstrap
from intake.config import load_settings
from intake.services import LetterFilters, RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))
CLEARED = Principal(subject="clerk-2", roles=frozenset({"registrar", "clearance_secret"}))


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    settings = load_settings({"DATABASE_URL": database_url, "BROKER_URL": "memory://",
                              "CHANCERY_DATA_DIR": str(tmp_path)})
    wired = bootstrap(settings)
    migrate(wired)
    yield wired
    wired.engine.dispose()


def register(wiring: ServiceWiring, subject: str, **changes) -> str:
    values = {"direction": "incoming", "kind": "complaint", "channel": "email",
              "language": "lt", "subject": subject, "addressee": {"kind": "mayor"},
              "correspondent": {"type": "person", "name": "Petras Petraitis"}, **changes}
    response = wiring.extensions["intake"].register(
        RegisterLetter(**values), CLERK, str(uuid.uuid4()), None,
        lambda r: StoredResponse(201, {"id": r.letter.id,
                                       "number": r.letter.registration_number}))
    return response.body["id"]


def found(wiring: ServiceWiring, query: str, reader: Principal = CLERK) -> list[str]:
    page = wiring.extensions["intake"].search(LetterFilters(text=query), reader,
                                               PageRequest(with_total=True))
    assert page.total == len(page.items)
    return [hit.letter.id for hit in page.items]


def test_search_folds_case_and_diacritics_in_every_script_and_ranks_the_subject_first(wiring):
    ona = register(wiring, "Dėl šiukšlių", correspondent={
        "type": "organisation", "name": "Ona Žemaitytė", "email": "ona@example.org",
        "organisation": "Žaliųjų namų bendrija"})
    nino = register(wiring, "მოწვევა ქალაქების ფორუმზე", language="ka")
    in_summary = register(wiring, "Kelias", summary="Gyventojai prašo išvežti šiukšles")
    assert found(wiring, "ZEMAITYTE") == [ona]
    assert found(wiring, "zaliuju NAMU") == [ona]
    assert found(wiring, "ona@example.org") == [ona]
    assert found(wiring, "ფორუმ") == [nino]
    assert found(wiring, "ŠIUKŠL") == [ona, in_summary]
    assert found(wiring, "isvezti") == [in_summary]  # inside a word, too
    assert found(wiring, "100%") == []
    hit = wiring.extensions["intake"].search(LetterFilters(text="isvezti"), CLERK,
                                             PageRequest()).items[0]
    assert hit.match.field == "summary"
    assert [f.text for f in hit.match.fragments if f.marked] == ["išvežti"]


def test_a_protected_letter_is_matched_only_for_the_cleared(wiring):
    secret = register(wiring, "Slaptas reikalas", confidentiality="secret")
    assert found(wiring, "slaptas") == []
    assert found(wiring, "slaptas", CLEARED) == [secret]


def test_an_exact_number_goes_by_its_index_and_text_by_the_trigram_index(wiring):
    first = register(wiring, "Pirmas")
    intake = wiring.extensions["intake"]
    newest = intake.search(LetterFilters(), CLERK, PageRequest()).items[0]
    number = newest.letter.registration_number
    register(wiring, f"Apie {number}")
    assert found(wiring, number) == [first]
    with wiring.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM letters WHERE search_text LIKE '%siuksl%'")).scalars())
    assert "ix_letters_search_text_trgm" in plan


def test_the_text_of_a_scan_is_found_once_the_worker_read_it(wiring):
    letter = register(wiring, "Su priedu")
    intake = wiring.extensions["intake"]
    intake.attach(letter, "pastaba.txt", io.BytesIO("Kęstučio gatvė 7".encode()), CLERK)
    assert found(wiring, "kestucio") == []
    assert intake.extract_pending_scans() == 1
    assert found(wiring, "kestucio") == [letter]
