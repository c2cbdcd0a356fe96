"""The person a people's rights request names, and the cap on a service's answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chancery.messages.catalogue import contract
from chancery.personal_data import MAX_PART_BYTES, Person, answer, capped, outcome, record
from chancery.processing import record_of_processing
from chancery.vocabulary import SERVICES


def test_a_name_matches_whatever_its_case_and_composition() -> None:
    person = Person(name="Rūta Šimkienė")
    decomposed = "Ru\u0304ta S\u030cimkiene\u0307"
    assert person.is_named("RŪTA ŠIMKIENĖ")
    assert person.is_named(decomposed)
    assert not person.is_named("Rūta Šimkutė")
    assert person.mentioned_in(None, "Prašymas: rūta šimkienė, Vilniaus g. 3")
    assert not person.mentioned_in("Dėl gatvės apšvietimo")


def test_an_email_and_a_phone_match_as_written_differently() -> None:
    person = Person(email="Nino.Beridze@Example.org", phone="+995 555 12-34-56")
    assert person.matches(email="nino.beridze@example.org")
    assert person.matches(phone="995555123456")
    assert not person.matches(phone="995555123457")
    assert not Person(phone="12").matches(phone="12")
    assert not Person().matches("Nino", "nino@example.org", "+995555123456")


def test_an_answer_is_capped_and_says_so() -> None:
    big = [record("letter", f"P-2026-{n:05d}", {"subject": "ა" * 1000}) for n in range(200)]
    kept, truncated = capped(big)
    assert truncated
    assert 0 < len(kept) < len(big)
    assert len(json.dumps(kept, ensure_ascii=False).encode()) <= MAX_PART_BYTES
    assert capped(big[:3]) == (big[:3], False)


def test_the_answer_carries_records_for_access_and_outcomes_for_erasure() -> None:
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    request = {
        "request_number": 5,
        "person": {"name": "Arbër Hoxha"},
        "requested_at": now.isoformat(),
    }
    schema = contract("personal_data.requested", 1).payload_schema
    found = [
        record("appointment", "2026-05-06 Ana Dvali", {"visitor_name": "Arbër Hoxha", "when": now})
    ]
    done = [outcome("appointment", "2026-05-06 Ana Dvali", True)]
    access = answer(
        schema.load({**request, "action": "access"}), lambda _: found, lambda _: done, now
    )
    erase = answer(
        schema.load({**request, "action": "erase"}), lambda _: found, lambda _: done, now
    )
    assert (access["records"], access["outcomes"]) == (found, [])
    assert found[0]["data"]["when"] == now.isoformat()
    assert (erase["records"], erase["outcomes"]) == ([], done)
    assert erase["outcomes"][0]["outcome"] == "erased"


def test_the_record_of_processing_has_every_service_and_the_controller() -> None:
    record_ = record_of_processing("Alytaus miesto savivaldybė", "LT")
    assert record_["controller"] == "Alytaus miesto savivaldybė"
    assert {activity["service"] for activity in record_["activities"]} == set(SERVICES)
    assert all(
        activity["legal_basis"] and activity["retention"] and activity["tables"]
        for activity in record_["activities"]
    )
