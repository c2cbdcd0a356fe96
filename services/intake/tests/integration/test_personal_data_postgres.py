"""People's rights on the real PostgreSQL: intake finds a person's letters by name, e-mail and
phone (the JSON correspondent cast to text), and names the case file's retention when it
keeps them."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from chancery.idempotency import StoredResponse
from chancery.personal_data import Person
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.usecases.letters import RegisterLetter
from intake.usecases.rights import NUMBERING_ATTEMPTS

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))
OFFICER = Principal(subject="dpo-1", roles=frozenset({"data_protection_officer"}))


def test_a_persons_letters_are_found_three_ways_and_kept_with_their_files_retention(
    wiring: ServiceWiring,
) -> None:
    year = date.today().year
    wiring.extensions["file_plans"].import_shipped_plan(year)
    email = f"ona.{uuid.uuid4().hex[:6]}@example.org"
    registered = []
    for name, mail, phone in (
        ("Ona Žemaitytė", email, "+370 612 00011"),
        ("Petras Vaitkus", None, "+370 699 00022"),
    ):
        wiring.extensions["letters"].register(
            RegisterLetter(
                direction="incoming",
                kind="complaint",
                channel="email",
                language="lt",
                subject="Dėl triukšmo",
                correspondent={"type": "person", "name": name, "email": mail, "phone": phone},
                addressee={"kind": "department", "department_code": "LEGAL"},
            ),
            CLERK,
            str(uuid.uuid4()),
            None,
            lambda r: registered.append(r.letter) or StoredResponse(201, {}),
        )
    rights = wiring.extensions["rights"]
    ona = registered[0].registration_number
    for person in (
        Person(name="ona žemaitytė"),
        Person(email=email.upper()),
        Person(phone="37061200011"),
    ):
        part = rights.start("access", person, OFFICER, "c-1").parts["intake"]
        assert [record["reference"] for record in part.records] == [ona], person
    [kept] = rights.start("erase", Person(email=email), OFFICER, "c-2").parts["intake"].outcomes
    assert kept["outcome"] == "kept"
    assert f"by case file {registered[0].file_reference} (" in kept["reason"]


def test_requests_started_at_once_each_get_their_own_number(wiring: ServiceWiring) -> None:
    rights = wiring.extensions["rights"]
    # As many officers as numbering attempts: each loses at most to the others.
    barrier = threading.Barrier(NUMBERING_ATTEMPTS, timeout=60)

    def start(index: int) -> int:
        barrier.wait()
        return rights.start(
            "access", Person(name=f"Asmuo {index}"), OFFICER, f"c-{index}"
        ).request.number

    with ThreadPoolExecutor(NUMBERING_ATTEMPTS) as pool:
        numbers = list(pool.map(start, range(NUMBERING_ATTEMPTS)))
    assert len(set(numbers)) == NUMBERING_ATTEMPTS
