"""People's rights in intake: the request, intake's own part, the other services' answers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from chancery.messages.consumer import Outcome
from chancery.processing import activities
from chancery_testing import moments_not_local
from intake.adapters.models import Base

DPO = "data_protection_officer"


def _sender() -> dict[str, Any]:
    return {
        "type": "person",
        "name": "Gintarė Žukauskienė",
        "email": f"gintare.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+370 612 34567",
    }


def _register(system, sender: dict[str, Any], confidentiality: str = "normal") -> dict[str, Any]:
    response = system.client.post(
        "/letters",
        json={
            "kind": "complaint",
            "channel": "email",
            "language": "lt",
            "subject": "Dėl triukšmo kieme",
            "sender": sender,
            "confidentiality": confidentiality,
            "addressee": {"kind": "mayor"},
        },
        headers=system.headers("registrar", "clearance_secret"),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _start(system, action: str, **person: str) -> Any:
    return system.client.post(
        "/personal-data-requests",
        json={"action": action, "person": person},
        headers=system.headers(DPO),
    )


def _answer(system, producer: str, number: int, action: str = "access", **fields: Any) -> Outcome:
    answered = {
        "request_number": number,
        "action": action,
        "answered_at": datetime.now(UTC).isoformat(),
        **fields,
    }
    return system.handle("personal_data.answered", answered, producer).outcome


def test_access_gathers_the_persons_letters_confidential_too_and_asks_the_others(system) -> None:
    sender = _sender()
    mine = _register(system, sender)
    confidential = _register(system, sender, "confidential")
    _register(system, {**_sender(), "name": "Petras Kazlauskas", "phone": None})
    started = _start(system, "access", email=sender["email"].upper())
    assert started.status_code == 201, started.get_json()
    request = started.get_json()
    assert request["answered"] == ["intake"]
    assert request["outstanding"] == [
        "routing",
        "protocol-events",
        "foreign-relations",
        "notifications",
    ]
    [part] = request["parts"]
    assert sorted(record["reference"] for record in part["records"]) == sorted(
        [mine["registration_number"], confidential["registration_number"]]
    )
    assert {record["confidentiality"] for record in part["records"]} == {"normal", "confidential"}
    [asked] = system.outbox("personal_data.requested")
    assert asked["envelope"]["payload"]["request_number"] == request["number"]
    assert asked["envelope"]["payload"]["person"]["email"].casefold() == sender["email"]
    assert "personal_data_access" in {row["action"] for row in system.audit()}


def test_a_phone_finds_the_letters_written_with_spaces(system) -> None:
    sender = _sender()
    letter = _register(system, sender)
    part = _start(system, "access", phone="+37061234567").get_json()["parts"][0]
    assert letter["registration_number"] in {record["reference"] for record in part["records"]}


def test_answers_are_stored_once_per_service_and_the_exports_show_them(system) -> None:
    sender = _sender()
    _register(system, sender)
    number = _start(system, "access", name=sender["name"]).get_json()["number"]
    record = {
        "kind": "delivery",
        "reference": "letter.registered 2026-12-01",
        "confidentiality": "normal",
        "data": {"text": "Jūsų laiškas užregistruotas"},
    }
    assert _answer(system, "notifications", number, records=[record]) is Outcome.HANDLED
    assert _answer(system, "notifications", number, records=[]) is Outcome.HANDLED
    dpo = system.headers(DPO)
    read = system.client.get(f"/personal-data-requests/{number}", headers=dpo).get_json()
    assert read["answered"] == ["intake", "notifications"]
    assert read["parts"][1]["records"] == [record]
    # The request's own moments are local; the records' data are as each service sent them.
    assert (
        moments_not_local(
            {**read, "parts": [{"answered_at": part["answered_at"]} for part in read["parts"]]},
            "Europe/Vilnius",
        )
        == []
    )
    page = system.client.get(f"/personal-data-requests/{number}/document.html", headers=dpo)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Jūsų laiškas užregistruotas" in text
    assert '<html lang="lt">' in text
    assert "Dar neatsakė" in text
    listed = system.client.get("/personal-data-requests?limit=1", headers=dpo).get_json()
    assert [item["number"] for item in listed["items"]] == [number]


def test_an_answer_to_no_request_is_dead_lettered(system) -> None:
    assert _answer(system, "routing", 999_999) is Outcome.DEAD_LETTER


def _the_letter_is_kept(system, action: str, why: str) -> tuple[dict, dict, dict]:
    """Start ``action`` about a registered letter's sender: its one outcome keeps the letter
    and gives ``why``; the sender, the letter and the request as answered."""
    sender = _sender()
    letter = _register(system, sender)
    request = _start(system, action, email=sender["email"]).get_json()
    [kept] = request["parts"][0]["outcomes"]
    assert (kept["reference"], kept["outcome"]) == (letter["registration_number"], "kept")
    assert why in kept["reason"]
    return sender, letter, request


def test_erase_keeps_every_protocol_book_letter_and_says_why(system) -> None:
    sender, letter, _ = _the_letter_is_kept(system, "erase", "protocol book")
    assert (
        system.client.get(
            f"/letters/{letter['id']}", headers=system.headers("registrar")
        ).get_json()["sender"]["email"]
        == sender["email"]
    )


def test_a_request_must_name_the_person_and_only_the_officer_starts_one(system) -> None:
    empty = _start(system, "access")
    assert empty.status_code == 422
    assert empty.get_json()["errors"][0]["field"] == "person"
    refused = system.client.post(
        "/personal-data-requests",
        json={"action": "access", "person": {"name": "Ona"}},
        headers=system.headers("registrar"),
    )
    assert refused.status_code == 403
    assert system.outbox("personal_data.requested") == []


def test_the_record_of_processing_lists_every_services_activities(system) -> None:
    dpo = system.headers(DPO)
    record = system.client.get("/processing-activities", headers=dpo).get_json()
    assert {activity["service"] for activity in record["activities"]} == {
        "intake",
        "routing",
        "protocol-events",
        "foreign-relations",
        "notifications",
    }
    assert record["controller"]
    page = system.client.get("/processing-activities/document.html", headers=dpo)
    assert "Duomenų tvarkymo veiklos įrašų žurnalas" in page.get_data(as_text=True)
    assert json.dumps(record, ensure_ascii=False)


def test_the_declared_processing_names_tables_intake_keeps() -> None:
    declared = {table for activity in activities("intake") for table in activity.tables}
    assert declared
    assert declared <= set(Base.metadata.tables)


def test_a_restriction_leaves_the_protocol_book_processing_and_says_why(system) -> None:
    _, _, request = _the_letter_is_kept(system, "restrict", "Art. 18(2)")
    assert (
        system.outbox("personal_data.requested")[0]["envelope"]["payload"]["action"] == "restrict"
    )
    page = system.client.get(
        f"/personal-data-requests/{request['number']}/document.html", headers=system.headers(DPO)
    ).get_data(as_text=True)
    assert "Prašymas apriboti asmens duomenų tvarkymą" in page
