"""Intake over HTTP: Flask's test client against the real app on a SQLite file."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

import pytest

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.paging import encode_cursor
from chancery_testing import ARBER, JANIS, NINO, ONA, moments_not_local, problem

VILNIUS = ZoneInfo("Europe/Vilnius")

LT_SUBJECT = "Dėl neišvežtų šiukšlių Žalgirio gatvėje"
LV_SUBJECT = "Iesniegums par ielu apgaismojumu Ķīšezera ielā"
KA_SUBJECT = "მოწვევა დაძმობილებული ქალაქების ფორუმზე"
SQ_SUBJECT = "Kërkesë për informacion mbi buxhetin e bashkisë"

LETTERS = {
    "lt": {"kind": "complaint", "channel": "email", "subject": LT_SUBJECT, "sender": ONA},
    "lv": {"kind": "application", "channel": "e_services", "subject": LV_SUBJECT, "sender": JANIS},
    "ka": {"kind": "invitation", "channel": "email", "subject": KA_SUBJECT, "sender": NINO},
    "sq": {
        "kind": "information_request",
        "channel": "post",
        "subject": SQ_SUBJECT,
        "sender": ARBER,
    },
}

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def _incoming(language: str = "lt", **changes: Any) -> dict[str, Any]:
    body = {"language": language, "addressee": {"kind": "mayor"}, **LETTERS[language]}
    body.update(changes)
    return body


def _outgoing(**changes: Any) -> dict[str, Any]:
    body = {
        "direction": "outgoing",
        "kind": "letter",
        "language": "lt",
        "subject": "Kvietimas į miestų partnerių susitikimą",
        "recipient": NINO,
    }
    body.update(changes)
    return body


def _register(
    system, body: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = system.client.post(
        "/letters", json=body, headers=headers or system.headers("registrar")
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _with_shipped_file_plan(system) -> None:
    """This year's file plan: the one shipped for the profile (archiving names a file of it)."""
    year = datetime.now(VILNIUS).year
    response = system.client.post(f"/file-plan/{year}/shipped", headers=system.headers("registrar"))
    assert response.status_code == 200, response.get_data(as_text=True)


def _local_day(moment: str) -> date:
    return datetime.fromisoformat(moment).astimezone(VILNIUS).date()


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["registration_number"] for item in response.get_json()["items"]]


# Registering and reading back ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["lt", "lv", "ka", "sq"])
def test_register_and_read_back_byte_for_byte(system, language):
    sent = LETTERS[language]
    clerk = system.headers("registrar")
    response = system.client.post("/letters", json=_incoming(language), headers=clerk)

    assert response.status_code == 201
    created = response.get_json()
    assert response.headers["Location"] == f"/letters/{created['id']}"
    assert sent["subject"].encode() in response.data
    assert sent["sender"]["name"].encode() in response.data
    assert created["status"] == "registered"
    assert created["language"] == language
    assert len(created["status_lookup_code"]) == 10

    read = system.client.get(f"/letters/{created['id']}", headers=clerk)
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'
    letter = read.get_json()
    assert letter["subject"] == sent["subject"]
    assert letter["subject"].encode() == sent["subject"].encode()
    assert letter["sender"]["name"] == sent["sender"]["name"]
    assert sent["subject"].encode() in read.data
    assert sent["sender"]["name"].encode() in read.data
    assert letter["registration_number"] == created["registration_number"]
    assert "status_lookup_code" not in letter
    assert letter["recipient"] is None

    stored = system.letter(created["id"])
    assert stored.subject.encode() == sent["subject"].encode()
    assert stored.correspondent["name"].encode() == sent["sender"]["name"].encode()
    [message] = system.outbox("letter.registered")
    assert sent["subject"].encode() in message["body"].encode()
    assert sent["sender"]["name"].encode() in message["body"].encode()
    assert message["envelope"]["payload"]["status_lookup_code"] == created["status_lookup_code"]


def test_numbers_follow_the_profiles_registers(system):
    created = [_register(system, _incoming(language)) for language in ("lt", "lv", "ka", "sq")]
    created.append(_register(system, _outgoing()))
    year = _local_day(created[0]["registered_at"]).year
    assert [letter["registration_number"] for letter in created] == [
        f"P-{year}-00001",
        f"P-{year}-00002",
        f"G-{year}-00001",
        f"G-{year}-00002",
        f"S-{year}-00001",
    ]


def test_a_subject_of_500_characters_is_accepted(system):
    subject = "ž" * 500
    assert _register(system, _incoming(subject=subject))["subject"] == subject


def test_department_staff_register_outgoing_letters_for_their_department(system):
    created = _register(system, _outgoing(), system.headers("department_staff", department="COMM"))
    assert created["department_code"] == "COMM"
    assert created["recipient"]["name"] == "ნინო ბერიძე"
    assert created["sender"] is None
    assert "status_lookup_code" not in created


# Listing --------------------------------------------------------------------------------


@pytest.fixture
def book(system) -> dict[str, dict[str, Any]]:
    """Four incoming letters (one per language), one outgoing, the Latvian one voided."""
    letters = {language: _register(system, _incoming(language)) for language in LETTERS}
    letters["out"] = _register(system, _outgoing())
    clerk = system.headers("registrar")
    voided = system.client.post(
        f"/letters/{letters['lv']['id']}/void", json={"reason": "Dublikāts"}, headers=clerk
    )
    assert voided.status_code == 200
    return letters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siuksliu", ["lt"]),
        ("ŠIUKŠLIŲ", ["lt"]),
        ("Šiukšlių Žalgirio", ["lt"]),
        ("kisezera", ["lv"]),
        ("ფორუმ", ["ka"]),
        ("ქალაქების ფორუმზე", ["ka"]),
        ("BUXHETIN E BASHKISE", ["sq"]),
        ("miestu partneriu", ["out"]),
        ("100%", []),
        ("nieko panašaus", []),
    ],
)
def test_text_search_ignores_case_and_diacritics(system, book, query, expected):
    response = system.client.get(
        "/letters",
        query_string={"q": query, "with_total": "true"},
        headers=system.headers("registrar"),
    )
    assert _numbers(response) == [book[key]["registration_number"] for key in expected]
    assert response.get_json()["total"] == len(expected)


def test_text_search_finds_a_registration_number(system, book):
    number = book["ka"]["registration_number"]
    response = system.client.get(f"/letters?q={number}", headers=system.headers("registrar"))
    assert _numbers(response) == [number]


def test_filters_and_pagination(system, book):
    clerk = system.headers("registrar")
    day = _local_day(book["lt"]["registered_at"])
    n = {key: letter["registration_number"] for key, letter in book.items()}

    def listed(**query: Any) -> list[str]:
        return _numbers(system.client.get("/letters", query_string=query, headers=clerk))

    assert listed() == [n["out"], n["sq"], n["ka"], n["lv"], n["lt"]]
    assert listed(kind="complaint") == [n["lt"]]
    assert listed(status="voided") == [n["lv"]]
    assert listed(status="registered", direction="incoming") == [n["sq"], n["ka"], n["lt"]]
    assert listed(direction="outgoing") == [n["out"]]
    assert listed(register="applications") == [n["lv"], n["lt"]]
    assert listed(**{"from": day.isoformat(), "to": day.isoformat()}) == [
        n["out"],
        n["sq"],
        n["ka"],
        n["lv"],
        n["lt"],
    ]
    assert listed(**{"from": (day + timedelta(days=1)).isoformat()}) == []
    assert listed(to=(day - timedelta(days=1)).isoformat()) == []

    first = system.client.get("/letters?limit=2&with_total=true", headers=clerk)
    assert first.get_json()["total"] == 5
    assert [item["registration_number"] for item in first.get_json()["items"]] == [
        n["out"],
        n["sq"],
    ]
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"')
    assert "with_total=true" in link
    page = system.client.get(
        "/letters",
        headers=clerk,
        query_string={"limit": 2, "cursor": first.get_json()["next_cursor"]},
    ).get_json()
    assert "total" not in page
    assert [item["registration_number"] for item in page["items"]] == [n["ka"], n["lv"]]
    last = system.client.get(
        "/letters", headers=clerk, query_string={"limit": 2, "cursor": page["next_cursor"]}
    ).get_json()
    assert ([item["registration_number"] for item in last["items"]], last["next_cursor"]) == (
        [n["lt"]],
        None,
    )
    oldest_first = system.client.get("/letters?sort=registered&limit=5", headers=clerk)
    assert _numbers(oldest_first) == [n["lt"], n["lv"], n["ka"], n["sq"], n["out"]]
    assert (
        system.client.get(
            "/letters",
            headers=clerk,
            query_string={"sort": "registered", "cursor": page["next_cursor"]},
        ).status_code
        == 422
    )
    item = first.get_json()["items"][1]
    assert "sender" not in item
    assert item["subject"] == SQ_SUBJECT


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=petition", "kind"),
        ("status=lost", "status"),
        ("direction=sideways", "direction"),
        ("from=2026-13-01", "from"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=1", "offset"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("sort=subject", "sort"),
        ("q=", "q"),
    ],
)
def test_bad_list_queries_are_refused(system, query, field):
    response = system.client.get(f"/letters?{query}", headers=system.headers("registrar"))
    problem(response, 422, [field])


def test_a_hand_made_cursor_with_a_time_without_offset_is_refused_not_a_500(system):
    # The cursor's check is no signature: anyone can encode a key, and a naive instant
    # reached the database's UTC column (a 500) before it was refused here.
    cursor = encode_cursor(
        "letters.list_letters -registered", [datetime(2026, 3, 1, 10, 0), 7, str(uuid.uuid4())]
    )
    response = system.client.get(
        "/letters", headers=system.headers("registrar"), query_string={"cursor": cursor}
    )
    problem(response, 422, ["cursor"])


# Bad registrations -------------------------------------------------------------------------


def _without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in names}


BAD_BODIES = {
    "nothing": ({}, ["kind", "language", "subject"]),
    "incoming without sender, addressee and channel": (
        _without(_incoming(), "sender", "addressee", "channel"),
        ["sender", "addressee", "channel"],
    ),
    "subject as number": (_incoming(subject=12345), ["subject"]),
    "sender as string": (_incoming(sender="Ona Žemaitytė"), ["sender._schema"]),
    "unknown top-level field": (_incoming(priority="urgent"), ["priority"]),
    "unknown field in sender": (_incoming(sender={**ONA, "age": 47}), ["sender.age"]),
    "unknown kind": (_incoming(kind="petition"), ["kind"]),
    "reply for incoming": (_incoming(kind="reply"), ["kind"]),
    "sender for outgoing": (_outgoing(sender=ONA), ["sender"]),
    "in_reply_to for incoming": (_incoming(in_reply_to="P-2026-00001"), ["in_reply_to"]),
    "invalid email": (_incoming(sender={**ONA, "email": "ona.zemaityte@"}), ["sender.email"]),
    "email with a quoted control character": (
        _incoming(sender={**ONA, "email": '"a\x0bb"@example.org'}),
        ["sender.email"],
    ),
    "invalid language": (_incoming(language="lt") | {"language": "lit"}, ["language"]),
    "control characters in subject": (_incoming(subject="Dėl\x07 šiukšlių"), ["subject"]),
    "escape character in sender name": (
        _incoming(sender={**ONA, "name": "Ona\x1b[2J"}),
        ["sender.name"],
    ),
    "subject of 501 characters": (_incoming(subject="ž" * 501), ["subject"]),
    "empty subject": (_incoming(subject=""), ["subject"]),
    "received_at in the future": (
        _incoming(received_at=(datetime.now(VILNIUS) + timedelta(hours=1)).isoformat()),
        ["received_at"],
    ),
    "naive received_at": (_incoming(received_at="2026-03-10T10:00:00"), ["received_at"]),
    "received_at in the year 450": (
        _incoming(received_at="0450-07-24T10:00:00+02:00"),
        ["received_at"],
    ),
    "received_at in 1900": (_incoming(received_at="1900-01-01T10:00:00+02:00"), ["received_at"]),
    "received_at before the earliest day": (
        _incoming(received_at="1999-12-31T23:00:00+02:00"),
        ["received_at"],
    ),
    "received_at in the year 1 east of Greenwich": (
        _incoming(received_at="0001-01-01T00:00:00+05:00"),
        ["received_at"],
    ),
    "NUL in subject": (_incoming(subject="Dėl\x00 šiukšlių"), ["subject"]),
    "line feed in subject": (_incoming(subject="Dėl šiukšlių\nBcc: x"), ["subject"]),
    "NUL in summary": (_incoming(summary="Pirma eilutė\nantra\x00"), ["summary"]),
    "unknown addressee department": (
        _incoming(addressee={"kind": "department", "department_code": "NOPE"}),
        ["addressee.department_code"],
    ),
    "department addressee without a department": (
        _incoming(addressee={"kind": "department"}),
        ["addressee.department_code"],
    ),
    "unknown confidentiality": (_incoming(confidentiality="top"), ["confidentiality"]),
    "a list instead of an object": ([_incoming()], ["_schema"]),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_registrations_are_refused_and_write_nothing(system, case):
    body, fields = BAD_BODIES[case]
    _register(system, _incoming("sq"))
    before = system.snapshot()
    response = system.client.post("/letters", json=body, headers=system.headers("registrar"))
    problem(response, 422, fields)
    assert system.snapshot() == before
    assert before["letters"] == 1
    assert before["outbox"] == 1
    assert len(before["counters"]) == 1


def _bad_token() -> str:
    return issue_token("not-the-secret-of-this-deployment", ["registrar"], subject="intruder")


def _expired_token() -> str:
    return issue_token(DEV_JWT_SECRET, ["registrar"], subject="late", ttl=timedelta(seconds=-60))


@pytest.mark.parametrize(
    "case",
    [
        "malformed json",
        "text/plain",
        "too large",
        "no token",
        "bad token",
        "expired token",
        "not a bearer token",
        "staff registering incoming",
        "mayor office registering",
        "idempotency key too long",
        "empty idempotency key",
    ],
)
def test_refused_requests_write_nothing(system, case):
    _register(system, _incoming("ka"))
    clerk = system.headers("registrar")
    valid = json.dumps(_incoming(), ensure_ascii=False).encode()
    post = {
        "malformed json": {
            "data": b'{"kind": "complaint", "subject": "D\xc4\x97l',
            "headers": clerk,
            "content_type": "application/json",
        },
        "text/plain": {"data": valid, "headers": clerk, "content_type": "text/plain"},
        "too large": {
            "data": json.dumps(_incoming(summary="ž" * 500_001)),
            "headers": clerk,
            "content_type": "application/json",
        },
        "no token": {"json": _incoming()},
        "bad token": {"json": _incoming(), "headers": {"Authorization": f"Bearer {_bad_token()}"}},
        "expired token": {
            "json": _incoming(),
            "headers": {"Authorization": f"Bearer {_expired_token()}"},
        },
        "not a bearer token": {
            "json": _incoming(),
            "headers": {"Authorization": "Basic b25hOnNsYXB0YXM="},
        },
        "staff registering incoming": {
            "json": _incoming(),
            "headers": system.headers("department_staff", department="SOC"),
        },
        "mayor office registering": {
            "json": _incoming(),
            "headers": system.headers("mayor_office"),
        },
        "idempotency key too long": {
            "json": _incoming(),
            "headers": {**clerk, "Idempotency-Key": "k" * 201},
        },
        "empty idempotency key": {"json": _incoming(), "headers": {**clerk, "Idempotency-Key": ""}},
    }[case]
    expected = {
        "malformed json": 400,
        "text/plain": 415,
        "too large": 413,
        "no token": 401,
        "bad token": 401,
        "expired token": 401,
        "not a bearer token": 401,
        "staff registering incoming": 403,
        "mayor office registering": 403,
        "idempotency key too long": 422,
        "empty idempotency key": 422,
    }[case]
    before = system.snapshot()
    response = system.client.post("/letters", **post)
    document = problem(response, expected)
    assert system.snapshot() == before
    if expected == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    if case == "text/plain":
        assert document["errors"][0]["field"] == "Content-Type"
    if case in ("idempotency key too long", "empty idempotency key"):
        assert document["errors"] == [
            {"field": "Idempotency-Key", "location": "headers", "reason": "1 to 200 characters"}
        ]


def test_a_200_character_idempotency_key_is_fine(system):
    headers = {**system.headers("registrar"), "Idempotency-Key": "k" * 199 + "ž"}
    response = system.client.post("/letters", json=_incoming(), headers=headers)
    assert response.status_code == 201


def test_an_idempotent_retry_answers_the_same_and_registers_nothing(system):
    clerk = system.headers("registrar")
    headers = {**clerk, "Idempotency-Key": str(uuid.uuid4())}
    first = system.client.post("/letters", json=_incoming("lv"), headers=headers)
    after_first = system.snapshot()
    again = system.client.post("/letters", json=_incoming("lv"), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert LV_SUBJECT.encode() in again.data
    assert system.snapshot() == after_first
    assert after_first["letters"] == 1

    changed = system.client.post("/letters", json=_incoming("lt"), headers=headers)
    problem(changed, 422, ["Idempotency-Key"])
    assert system.snapshot() == after_first


# Who may read what ---------------------------------------------------------------------------


def test_department_staff_read_and_list_only_their_departments_letters(system):
    soc = _register(
        system,
        _incoming(
            "lt",
            kind="application",
            subject="Prašymas dėl socialinės pašalpos",
            addressee={"kind": "department", "department_code": "SOC"},
        ),
    )
    edu = _register(
        system, _incoming("lv", addressee={"kind": "department", "department_code": "EDU"})
    )
    soc_staff = system.headers("department_staff", department="SOC")
    edu_staff = system.headers("department_staff", department="EDU")

    problem(system.client.get(f"/letters/{soc['id']}", headers=edu_staff), 403)
    assert system.client.get(f"/letters/{edu['id']}", headers=edu_staff).status_code == 200
    assert system.client.get(f"/letters/{soc['id']}", headers=soc_staff).status_code == 200
    assert _numbers(system.client.get("/letters", headers=edu_staff)) == [
        edu["registration_number"]
    ]
    assert _numbers(system.client.get("/letters", headers=soc_staff)) == [
        soc["registration_number"]
    ]
    assert _numbers(system.client.get("/letters", headers=system.headers("department_staff"))) == []


def test_confidential_letters_need_clearance(system):
    secret = _register(system, _incoming("ka", confidentiality="confidential"))
    normal = _register(system, _incoming("sq"))
    cleared = system.headers("registrar", "clearance_secret")
    plain = system.headers("registrar")

    problem(system.client.get(f"/letters/{secret['id']}", headers=plain), 403)
    read = system.client.get(f"/letters/{secret['id']}", headers=cleared)
    assert read.status_code == 200
    assert read.get_json()["sender"]["name"] == "ნინო ბერიძე"
    assert _numbers(system.client.get("/letters", headers=plain)) == [normal["registration_number"]]
    assert _numbers(system.client.get("/letters", headers=cleared)) == [
        normal["registration_number"],
        secret["registration_number"],
    ]


def test_each_level_has_its_own_clearance_in_search_and_reads(system):
    confidential = _register(system, _incoming("lv", confidentiality="confidential"))
    secret = _register(system, _incoming("lt", confidentiality="secret"))
    normal = _register(system, _incoming("sq"))
    seen = {}
    for clearance in ("clearance_confidential", "clearance_secret"):
        headers = system.headers("registrar", clearance)
        seen[clearance] = set(_numbers(system.client.get("/letters", headers=headers)))
        reads = {
            letter["registration_number"]: system.client.get(
                f"/letters/{letter['id']}", headers=headers
            ).status_code
            for letter in (confidential, secret)
        }
        assert reads == {
            confidential["registration_number"]: 200,
            secret["registration_number"]: 200 if clearance == "clearance_secret" else 403,
        }
    assert seen["clearance_confidential"] == {
        normal["registration_number"],
        confidential["registration_number"],
    }
    assert seen["clearance_secret"] == {
        normal["registration_number"],
        confidential["registration_number"],
        secret["registration_number"],
    }
    refused = system.client.get(
        f"/letters/{secret['id']}", headers=system.headers("registrar", "clearance_confidential")
    )
    assert secret["subject"] not in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "body", "cleared_status"),
    [
        ("void", {"reason": "Klaida registruojant"}, 200),
        ("not-ours", {"reason": "Ne savivaldybės kompetencija"}, 200),
        ("archive", {"file_reference": "B-7"}, 409),  # past the clearance: not answered yet
    ],
)
def test_the_registry_without_its_clearance_cannot_change_a_secret_letter(
    system, path, body, cleared_status
):
    secret = _register(system, _incoming("lt", confidentiality="secret"))
    for roles in (("registrar",), ("registrar", "clearance_confidential")):
        refused = system.client.post(
            f"/letters/{secret['id']}/{path}", json=body, headers=system.headers(*roles)
        )
        problem(refused, 403)
        assert secret["subject"] not in refused.get_data(as_text=True)
    done = system.client.post(
        f"/letters/{secret['id']}/{path}",
        json=body,
        headers=system.headers("registrar", "clearance_secret"),
    )
    assert done.status_code == cleared_status, done.get_json()


def test_a_reply_to_a_secret_letter_is_secret_too(system):
    cleared = system.headers("registrar", "clearance_secret")
    secret = _register(system, _incoming("lt", confidentiality="secret"))
    response = system.client.post(
        "/letters",
        headers=cleared,
        json=_outgoing(
            kind="reply",
            subject="Atsakymas dėl tarnybinio patikrinimo",
            in_reply_to=secret["registration_number"],
        ),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["confidentiality"] == "secret"
    [announced] = system.outbox("letter.reply_registered")
    assert announced["envelope"]["payload"]["confidentiality"] == "secret"
    listed = system.client.get("/letters", headers=system.headers("registrar"))
    assert "Atsakymas dėl tarnybinio patikrinimo" not in listed.get_data(as_text=True)


def test_unknown_and_malformed_letter_ids_are_not_found(system):
    clerk = system.headers("registrar")
    problem(system.client.get(f"/letters/{uuid.uuid4()}", headers=clerk), 404)
    problem(system.client.get("/letters/P-2026-00001", headers=clerk), 404)
    problem(system.client.get("/letters/12345", headers=clerk), 404)


def test_delete_on_the_book_is_not_allowed(system):
    response = system.client.delete("/letters", headers=system.headers("registrar"))
    problem(response, 405)
    allowed = {method.strip() for method in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert "DELETE" not in allowed


def test_reading_a_letter_is_audited(system):
    created = _register(system, _incoming("lv"))
    reader = f"registrar-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/letters/{created['id']}",
        headers=system.headers("registrar", "clearance_secret", subject=reader),
    )
    assert response.status_code == 200
    rows = [row for row in system.audit() if row["action"] == "read"]
    assert [(r["actor"], r["roles"], r["object_type"], r["object_id"]) for r in rows] == [
        (reader, "clearance_secret,registrar", "letter", created["id"])
    ]
    assert rows[0]["person"] == JANIS["email"]


def test_a_refused_read_of_a_letter_is_audited(system):
    created = _register(system, _incoming("sq"))
    stranger = f"staff-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/letters/{created['id']}",
        headers=system.headers("department_staff", department="SOC", subject=stranger),
    )
    problem(response, 403)
    rows = [row for row in system.audit() if row["actor"] == stranger]
    assert [(r["action"], r["object_type"], r["object_id"], r["outcome"]) for r in rows] == [
        ("read", "letter", created["id"], "refused")
    ]


def test_a_letter_is_read_by_its_registration_number_audited_and_visibility_kept(system):
    soc = _register(
        system, _incoming("lt", addressee={"kind": "department", "department_code": "SOC"})
    )
    reader = f"registrar-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/letters/by-number/{soc['registration_number']}",
        headers=system.headers("registrar", subject=reader),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["sender"]["name"]) == (soc["id"], soc["sender"]["name"])
    assert response.headers["ETag"] == '"1"'
    assert [(r["actor"], r["object_id"]) for r in system.audit() if r["action"] == "read"] == [
        (reader, soc["id"])
    ]
    problem(
        system.client.get(
            f"/letters/by-number/{soc['registration_number']}",
            headers=system.headers("department_staff", department="EDU"),
        ),
        403,
    )
    problem(
        system.client.get("/letters/by-number/G-1999-99999", headers=system.headers("registrar")),
        404,
    )
    problem(system.client.get(f"/letters/by-number/{soc['registration_number']}"), 401)


# Attachments ----------------------------------------------------------------------------------


def _upload(
    system, letter_id: str, content: bytes, filename: str, headers: dict[str, str] | None = None
):
    return system.client.post(
        f"/letters/{letter_id}/attachments",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
        headers=headers or system.headers("registrar"),
    )


def test_upload_and_download_a_pdf_with_a_lithuanian_name(system):
    letter = _register(system, _incoming())
    filename = "Skundas dėl šiukšlių.pdf"
    uploaded = _upload(system, letter["id"], PDF, filename)

    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    attachment = uploaded.get_json()
    assert attachment["filename"] == filename
    assert attachment["media_type"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert len(system.files()) == 1
    assert system.files()[0].read_bytes() == PDF

    clerk = system.headers("registrar")
    downloaded = system.client.get(
        f"/letters/{letter['id']}/attachments/{attachment['id']}", headers=clerk
    )
    assert downloaded.status_code == 200
    assert downloaded.data == PDF
    assert hashlib.sha256(downloaded.data).hexdigest() == attachment["sha256"]
    assert downloaded.mimetype == "application/pdf"
    disposition = downloaded.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = "Skundas%20d%C4%97l%20%C5%A1iuk%C5%A1li%C5%B3.pdf"
    assert f"filename*=UTF-8''{encoded}" in disposition
    assert unquote(encoded) == filename
    assert downloaded.headers["Content-Security-Policy"] == "default-src 'none'"

    read = system.client.get(f"/letters/{letter['id']}", headers=clerk).get_json()
    assert [(a["id"], a["filename"]) for a in read["attachments"]] == [(attachment["id"], filename)]
    assert [r["object_id"] for r in system.audit() if r["action"] == "download"] == [
        attachment["id"]
    ]


def test_a_georgian_text_file_with_a_path_in_its_name(system):
    letter = _register(system, _incoming("ka"))
    content = "მოწვევა ფორუმზე\nნინო ბერიძე\n".encode()
    uploaded = _upload(system, letter["id"], content, "../../დოკუმენტები/მოწვევა.txt")
    assert uploaded.status_code == 201
    assert uploaded.get_json()["filename"] == "მოწვევა.txt"
    assert uploaded.get_json()["media_type"] == "text/plain"


def test_an_upload_larger_than_the_request_limit_but_within_the_attachment_limit(system):
    letter = _register(system, _incoming())
    scan = PDF + b"0" * (system.settings.common.max_request_bytes + 200_000)
    uploaded = _upload(system, letter["id"], scan, "skenuotas raštas.pdf")
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    assert uploaded.get_json()["size"] == len(scan)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100, "raštai.zip"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100, "raštas.pdf"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100, "programa.pdf"),
        (b"", "tuščias.pdf"),
    ],
)
def test_refused_content_leaves_no_file(system, content, name):
    letter = _register(system, _incoming())
    before = system.snapshot()
    response = _upload(system, letter["id"], content, name)
    problem(response, 422, ["file"])
    assert system.snapshot() == before
    assert system.files() == []


def test_missing_file_field(system):
    letter = _register(system, _incoming())
    response = system.client.post(
        f"/letters/{letter['id']}/attachments",
        data={"document": (io.BytesIO(PDF), "raštas.pdf")},
        content_type="multipart/form-data",
        headers=system.headers("registrar"),
    )
    problem(response, 422, ["file"])
    assert system.files() == []


def test_a_json_body_is_not_an_upload(system):
    letter = _register(system, _incoming())
    response = system.client.post(
        f"/letters/{letter['id']}/attachments",
        json={"file": "raštas.pdf"},
        headers=system.headers("registrar"),
    )
    problem(response, 415, ["Content-Type"])


@pytest.mark.parametrize("size", [5_000, 200_000])
def test_an_oversize_upload_is_refused_and_leaves_no_file(make_system, size):
    system = make_system(MAX_ATTACHMENT_BYTES="1000")
    letter = _register(system, _incoming())
    before = system.snapshot()
    response = _upload(system, letter["id"], PDF + b"0" * size, "per didelis.pdf")
    problem(response, 413)
    assert system.snapshot() == before
    assert system.files() == []
    small = _upload(system, letter["id"], PDF, "mažas.pdf")
    assert small.status_code == 201


def test_uploads_respect_the_letter(system):
    letter = _register(
        system, _incoming(addressee={"kind": "department", "department_code": "SOC"})
    )
    problem(_upload(system, str(uuid.uuid4()), PDF, "raštas.pdf"), 404)
    problem(
        _upload(
            system,
            letter["id"],
            PDF,
            "raštas.pdf",
            system.headers("department_staff", department="EDU"),
        ),
        403,
    )
    assert (
        _upload(
            system,
            letter["id"],
            PDF,
            "raštas.pdf",
            system.headers("department_staff", department="SOC"),
        ).status_code
        == 201
    )
    system.client.post(
        f"/letters/{letter['id']}/void",
        json={"reason": "Klaida"},
        headers=system.headers("registrar"),
    )
    problem(_upload(system, letter["id"], PDF, "raštas.pdf"), 409)
    assert len(system.files()) == 1


def test_an_attachment_of_another_letter_is_not_found(system):
    first = _register(system, _incoming())
    second = _register(system, _incoming("lv"))
    attachment = _upload(system, first["id"], PDF, "raštas.pdf").get_json()
    response = system.client.get(
        f"/letters/{second['id']}/attachments/{attachment['id']}",
        headers=system.headers("registrar"),
    )
    problem(response, 404)


# The citizen's status lookup ------------------------------------------------------------------


def test_status_lookup_shows_only_status_dates_and_department(system):
    created = _register(
        system, _incoming("sq", addressee={"kind": "department", "department_code": "SOC"})
    )
    number, code = created["registration_number"], created["status_lookup_code"]
    day = _local_day(created["registered_at"]).isoformat()

    response = system.client.get(f"/status/{number}", query_string={"code": code})
    assert response.status_code == 200
    assert response.get_json() == {
        "registration_number": number,
        "status": "registered",
        "received_on": day,
        "registered_on": day,
        "due_date": None,
        "answered_on": None,
        "status_changed_on": day,
        "department_code": created["department_code"],
        "reply_registration_number": None,
    }
    assert created["department_code"] == "SOC"
    typed = f"{code[:5].lower()} - {code[5:].lower()}"
    assert system.client.get(f"/status/{number}", query_string={"code": typed}).status_code == 200


def test_status_lookup_refusals(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    wrong = "".join("A" if ch != "A" else "B" for ch in code)
    problem(system.client.get(f"/status/{number}", query_string={"code": wrong}), 404)
    problem(system.client.get(f"/status/{number}"), 422, ["code"])
    problem(system.client.get(f"/status/{number}?code=abc"), 422, ["code"])
    problem(system.client.get("/status/P-1999-00001", query_string={"code": code}), 404)


STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
CITIZEN = {"REMOTE_ADDR": "198.51.100.7"}


def _wrong(code: str) -> str:
    return "".join("A" if ch != "A" else "B" for ch in code)


def _look_up(system, number: str, code: str, client: dict[str, str], **headers: str):
    return system.client.get(
        f"/status/{number}", query_string={"code": code}, environ_base=client, headers=headers
    )


def test_a_strangers_wrong_codes_never_lock_the_citizen_out(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    for _ in range(5):
        problem(_look_up(system, number, _wrong(code), STRANGER), 404)

    refused = _look_up(system, number, code, STRANGER)
    problem(refused, 429)
    assert 880 <= int(refused.headers["Retry-After"]) <= 901
    assert _look_up(system, number, code, CITIZEN).status_code == 200


def test_a_client_is_limited_across_numbers(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    for index in range(20):
        problem(_look_up(system, f"P-2026-{90000 + index}", code, STRANGER), 404)

    problem(_look_up(system, number, code, STRANGER), 429)
    problem(_look_up(system, "P-2026-99999", code, STRANGER), 429)
    assert _look_up(system, number, code, CITIZEN).status_code == 200


def test_the_right_code_clears_the_count_for_that_number_only(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    for _ in range(4):
        problem(_look_up(system, number, _wrong(code), CITIZEN), 404)
    assert _look_up(system, number, code, CITIZEN).status_code == 200
    for _ in range(4):
        problem(_look_up(system, number, _wrong(code), CITIZEN), 404)
    assert _look_up(system, number, code, CITIZEN).status_code == 200


def test_unknown_and_known_numbers_get_the_same_answers(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    unknown = "P-2026-77777"

    def answers(registration_number: str, client: dict[str, str]) -> list[tuple]:
        seen = []
        for _ in range(6):
            response = _look_up(system, registration_number, _wrong(code), client)
            body = json.loads(response.data)
            body.pop("instance", None)
            seen.append((response.status_code, body, response.headers.get("Retry-After")))
        return seen

    assert answers(number, STRANGER) == answers(unknown, CITIZEN)
    assert [status for status, _, _ in answers(unknown, {"REMOTE_ADDR": "192.0.2.1"})] == [
        404
    ] * 5 + [429]


def test_forwarded_for_counts_only_behind_a_trusted_proxy(make_system):
    direct = make_system()
    created = _register(direct, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # Without a trusted proxy a forged header changes nothing: one socket, one client.
    for index in range(5):
        _look_up(direct, number, _wrong(code), proxy, **{"X-Forwarded-For": f"192.0.2.{index}"})
    problem(_look_up(direct, number, code, proxy, **{"X-Forwarded-For": "192.0.2.77"}), 429)

    proxied = make_system(TRUSTED_PROXY_HOPS="1")
    created = _register(proxied, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    for _ in range(5):
        _look_up(proxied, number, _wrong(code), proxy, **{"X-Forwarded-For": "203.0.113.9"})
    problem(_look_up(proxied, number, code, proxy, **{"X-Forwarded-For": "203.0.113.9"}), 429)
    assert (
        _look_up(proxied, number, code, proxy, **{"X-Forwarded-For": "198.51.100.7"}).status_code
        == 200
    )


def test_lookup_counters_store_no_address_and_no_number(system):
    created = _register(system, _incoming())
    number, code = created["registration_number"], created["status_lookup_code"]
    _look_up(system, number, _wrong(code), STRANGER)
    with system.wiring.engine.connect() as conn:
        rows = [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM lookup_counters")]
    assert len(rows) == 2
    assert not any(STRANGER["REMOTE_ADDR"] in str(row) or number in str(row) for row in rows)


def test_the_registry_issues_a_new_code_and_the_old_one_stops_working(system):
    created = _register(system, _incoming("ka"))
    number, old = created["registration_number"], created["status_lookup_code"]
    clerk = f"registrar-{uuid.uuid4().hex[:8]}"
    response = system.client.post(
        f"/letters/{created['id']}/access-code", headers=system.headers("registrar", subject=clerk)
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    issued = response.get_json()
    new = issued["status_lookup_code"]
    assert issued == {
        "letter_id": created["id"],
        "registration_number": number,
        "status_lookup_code": new,
    }
    assert len(new) == 10
    assert new != old

    problem(_look_up(system, number, old, CITIZEN), 404)
    assert _look_up(system, number, new, CITIZEN).status_code == 200
    assert new not in json.dumps(
        system.client.get(
            f"/letters/{created['id']}", headers=system.headers("registrar")
        ).get_json()
    )
    [message] = system.outbox("letter.access_code_issued")
    assert message["envelope"]["payload"] == {
        "letter_id": created["id"],
        "registration_number": number,
        "language": "ka",
        "status_lookup_code": new,
        "issued_at": message["envelope"]["payload"]["issued_at"],
    }
    assert [
        (r["actor"], r["object_type"], r["object_id"])
        for r in system.audit()
        if r["action"] == "reissue_access_code"
    ] == [(clerk, "letter", created["id"])]


def test_a_retried_reissue_answers_the_same_code_once(system):
    created = _register(system, _incoming())
    clerk = system.headers("registrar")
    path = f"/letters/{created['id']}/access-code"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = system.client.post(path, headers={**clerk, **key})
    again = system.client.post(path, headers={**clerk, **key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.get_json() == again.get_json()
    assert len(system.outbox("letter.access_code_issued")) == 1


def test_who_and_what_may_get_a_new_code(system):
    incoming = _register(system, _incoming())
    outgoing = _register(system, _outgoing(), system.headers("department_staff", department="COMM"))
    problem(
        system.client.post(
            f"/letters/{incoming['id']}/access-code",
            headers=system.headers("department_head", department="COMM"),
        ),
        403,
    )
    problem(system.client.post(f"/letters/{incoming['id']}/access-code"), 401)
    problem(
        system.client.post(
            f"/letters/{outgoing['id']}/access-code", headers=system.headers("registrar")
        ),
        409,
    )
    problem(
        system.client.post(
            f"/letters/{uuid.uuid4()}/access-code", headers=system.headers("registrar")
        ),
        404,
    )
    assert system.outbox("letter.access_code_issued") == []
    assert (
        _look_up(
            system, incoming["registration_number"], incoming["status_lookup_code"], CITIZEN
        ).status_code
        == 200
    )


# Decisions over HTTP --------------------------------------------------------------------------


def test_void_with_if_match(system):
    created = _register(system, _incoming("lv"))
    clerk = system.headers("registrar")
    path = f"/letters/{created['id']}"
    etag = system.client.get(path, headers=clerk).headers["ETag"]
    assert etag == '"1"'

    voided = system.client.post(
        f"{path}/void", json={"reason": "Reģistrēts divreiz"}, headers={**clerk, "If-Match": etag}
    )
    assert voided.status_code == 200
    assert voided.get_json()["status"] == "voided"
    assert system.client.get(path, headers=clerk).headers["ETag"] == '"2"'
    stale_copy = system.client.get(path, headers={**clerk, "If-None-Match": etag})
    assert stale_copy.status_code == 200
    assert stale_copy.get_json()["status"] == "voided"
    current = system.client.get(path, headers={**clerk, "If-None-Match": '"2"'})
    assert (current.status_code, current.data, current.headers["ETag"]) == (304, b"", '"2"')
    stale = system.client.post(
        f"{path}/void", json={"reason": "Vēlreiz"}, headers={**clerk, "If-Match": etag}
    )
    problem(stale, 412)
    again = system.client.post(
        f"{path}/void", json={"reason": "Vēlreiz"}, headers={**clerk, "If-Match": '"2"'}
    )
    problem(again, 409)
    [message] = system.outbox("letter.voided")
    assert message["envelope"]["payload"]["reason"] == "Reģistrēts divreiz"


def test_weed_out_and_archive_with_if_match(system):
    _with_shipped_file_plan(system)
    created = _register(system, _incoming("ka"))
    clerk = system.headers("registrar")
    path = f"/letters/{created['id']}"
    problem(
        system.client.post(f"{path}/archive", json={"file_reference": "1.1"}, headers=clerk), 409
    )
    problem(
        system.client.post(
            f"{path}/not-ours", json={"reason": "Ne mūsų"}, headers={**clerk, "If-Match": '"7"'}
        ),
        412,
    )
    problem(
        system.client.post(
            f"{path}/not-ours", json={"reason": "Ne mūsų"}, headers={**clerk, "If-Match": "latest"}
        ),
        412,
    )
    weeded = system.client.post(
        f"{path}/not-ours",
        json={"reason": "Ne mūsų", "forwarded_to": "თელავის მერია"},
        headers={**clerk, "If-Match": 'W/"1"'},
    )
    assert weeded.status_code == 200
    assert weeded.get_json()["status"] == "not_ours"
    problem(
        system.client.post(
            f"{path}/archive", json={"file_reference": "1.1"}, headers={**clerk, "If-Match": '"1"'}
        ),
        412,
    )
    archived = system.client.post(
        f"{path}/archive", json={"file_reference": "1.1"}, headers={**clerk, "If-Match": '"2"'}
    )
    assert archived.status_code == 200
    assert archived.get_json()["status"] == "archived"
    read = system.client.get(path, headers=clerk).get_json()
    assert (read["forwarded_to"], read["file_reference"], read["version"]) == (
        "თელავის მერია",
        "1.1",
        3,
    )


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("void", {"reason": "Klaida"}),
        ("not-ours", {"reason": "Ne mūsų"}),
        ("archive", {"file_reference": "1.1"}),
    ],
)
@pytest.mark.parametrize("roles", [("department_staff",), ("department_head",), ("mayor_office",)])
def test_only_the_registry_decides(system, action, body, roles):
    created = _register(
        system, _incoming(addressee={"kind": "department", "department_code": "SOC"})
    )
    before = system.snapshot()
    response = system.client.post(
        f"/letters/{created['id']}/{action}",
        json=body,
        headers=system.headers(*roles, department="SOC"),
    )
    problem(response, 403)
    assert system.snapshot() == before
    assert system.letter(created["id"]).status == "registered"


def test_a_decision_needs_its_reason(system):
    created = _register(system, _incoming())
    response = system.client.post(
        f"/letters/{created['id']}/void", json={}, headers=system.headers("registrar")
    )
    problem(response, 422, ["reason"])


# Reports -------------------------------------------------------------------------------------

# The export's first line, as the recipient's spreadsheet reads it.
CSV_HEADER_LINE = (
    "registration_number,register,direction,registered_at,received_at,kind,channel,language,"
    "correspondent,organisation,addressee,subject,department,status,due_date,answered_at,"
    "confidentiality,in_reply_to,forwarded_to,file_reference"
)
CSV_HEADER = CSV_HEADER_LINE.split(",")


def test_protocol_book_csv(system, book):
    day = _local_day(book["ka"]["registered_at"]).isoformat()
    response = system.client.get(
        f"/protocol-book?from={day}&to={day}", headers=system.headers("registrar")
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="protocol-book-{day}-{day}.csv"'
    )
    assert KA_SUBJECT.encode() in response.data
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
    assert rows[0] == CSV_HEADER
    by_number = {row[0]: dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]}
    assert sorted(by_number) == sorted(letter["registration_number"] for letter in book.values())
    georgian = by_number[book["ka"]["registration_number"]]
    assert georgian["subject"] == KA_SUBJECT
    assert georgian["correspondent"] == "ნინო ბერიძე"
    assert georgian["organisation"] == "თელავის მუნიციპალიტეტი"
    assert (georgian["register"], georgian["direction"], georgian["kind"]) == (
        "incoming",
        "incoming",
        "invitation",
    )
    assert by_number[book["lv"]["registration_number"]]["status"] == "voided"
    # One audit row for the export, naming what was asked for (decision 0072).
    exported = [
        (r["object_type"], r["object_id"]) for r in system.audit() if r["action"] == "export"
    ]
    assert exported == [("protocol_book", f"{day}/{day}")]


def test_the_trail_finds_an_export_by_a_person_whose_letter_it_held(system):
    complaint = _register(system, _incoming("lt"))
    _register(system, _incoming("lv"))
    day = _local_day(complaint["registered_at"]).isoformat()
    assert (
        system.client.get(
            f"/protocol-book?from={day}&to={day}&kind=complaint",
            headers=system.headers("registrar"),
        ).status_code
        == 200
    )
    officer = system.headers("data_protection_officer")

    def found(person: str) -> list[tuple[str, str]]:
        response = system.client.get(
            f"/audit?person={person}&object_type=protocol_book", headers=officer
        )
        assert response.status_code == 200
        return [(row["action"], row["object_id"]) for row in response.get_json()["items"]]

    # The sender of the complaint, by name or part of the e-mail address, any case.
    assert found("ONA.ZEMAITYTE@example") == [("export", f"{day}/{day}?kind=complaint")]
    # The application was outside the export.
    assert found("janis.berzins") == []
    [export] = [row for row in system.audit() if row["action"] == "export"]
    assert (export["person"], export["subjects"]) == (None, 1)
    trail = system.client.get(
        "/audit.csv?person=ona.zemaityte&object_type=protocol_book", headers=officer
    )
    [row] = list(csv.DictReader(io.StringIO(trail.data.decode("utf-8"))))
    assert (row["action"], row["subjects"], row["subjects_hash"]) == (
        "export",
        "1",
        export["subjects_hash"],
    )


def test_protocol_book_csv_never_carries_a_formula(system):
    typed = '=HYPERLINK("http://evil.example","Spausti")'
    letter = _register(system, _incoming(subject=typed, sender={**ONA, "name": "@SUM(A1)"}))
    day = _local_day(letter["registered_at"]).isoformat()
    response = system.client.get(
        f"/protocol-book?from={day}&to={day}", headers=system.headers("registrar")
    )
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    [row] = [r for r in rows if r["registration_number"] == letter["registration_number"]]
    assert (row["subject"], row["correspondent"]) == ("'" + typed, "'@SUM(A1)")


def test_protocol_book_csv_has_reply_forwarding_file_and_confidentiality(system):
    _with_shipped_file_plan(system)
    clerk = system.headers("registrar", "clearance_secret")
    asked = _register(system, _incoming("lt", confidentiality="confidential"), clerk)
    reply = _register(
        system, _outgoing(kind="reply", in_reply_to=asked["registration_number"]), clerk
    )
    weeded = _register(system, _incoming("ka"), clerk)
    assert (
        system.client.post(
            f"/letters/{weeded['id']}/not-ours",
            json={"reason": "არ არის ჩვენი", "forwarded_to": "თელავის მერია"},
            headers=clerk,
        ).status_code
        == 200
    )
    assert (
        system.client.post(
            f"/letters/{weeded['id']}/archive", json={"file_reference": "1.3"}, headers=clerk
        ).status_code
        == 200
    )
    day = _local_day(asked["registered_at"]).isoformat()
    response = system.client.get(f"/protocol-book?from={day}&to={day}", headers=clerk)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
    by_number = {row[0]: dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]}
    assert by_number[asked["registration_number"]]["confidentiality"] == "confidential"
    assert by_number[reply["registration_number"]]["in_reply_to"] == asked["registration_number"]
    archived = by_number[weeded["registration_number"]]
    assert (archived["forwarded_to"], archived["file_reference"], archived["in_reply_to"]) == (
        "თელავის მერია",
        "1.3",
        "",
    )


def test_protocol_book_csv_is_narrowed_like_a_search(system, book):
    day = _local_day(book["ka"]["registered_at"]).isoformat()
    clerk = system.headers("registrar")

    def numbers(**criteria: str) -> list[str]:
        response = system.client.get(
            "/protocol-book", headers=clerk, query_string={"from": day, "to": day, **criteria}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(
            row[0]
            for row in csv.reader(io.StringIO(response.data.decode()))
            if row[0] != "registration_number"
        )

    assert numbers(q="siuksliu") == [book["lt"]["registration_number"]]
    assert numbers(status="voided") == [book["lv"]["registration_number"]]
    assert numbers(direction="outgoing") == [book["out"]["registration_number"]]
    problem(
        system.client.get(
            "/protocol-book", headers=clerk, query_string={"from": day, "to": day, "limit": "5"}
        ),
        422,
        ["limit"],
    )


def test_an_archived_letter_takes_no_attachments(system):
    _with_shipped_file_plan(system)
    clerk = system.headers("registrar")
    created = _register(system, _incoming())
    assert (
        system.client.post(
            f"/letters/{created['id']}/not-ours", json={"reason": "Ne mūsų"}, headers=clerk
        ).status_code
        == 200
    )
    assert _upload(system, created["id"], PDF, "dar.pdf").status_code == 201
    assert (
        system.client.post(
            f"/letters/{created['id']}/archive", json={"file_reference": "1.1"}, headers=clerk
        ).status_code
        == 200
    )
    before = system.snapshot()
    problem(_upload(system, created["id"], PDF, "vėlai.pdf"), 409)
    assert system.snapshot() == before


def test_protocol_book_access_and_period(system):
    staff = system.headers("department_staff", department="SOC")
    problem(system.client.get("/protocol-book?from=2026-01-01&to=2026-01-31", headers=staff), 403)
    clerk = system.headers("registrar")
    problem(
        system.client.get("/protocol-book?from=2026-02-01&to=2026-01-31", headers=clerk),
        422,
        ["to"],
    )
    problem(system.client.get("/protocol-book?to=2026-01-31", headers=clerk), 422, ["from"])
    empty = system.client.get("/protocol-book?from=2000-01-01&to=2000-01-31", headers=clerk)
    assert empty.data.decode("utf-8").splitlines() == [CSV_HEADER_LINE]


def test_statistics_by_week(system, book):
    secret = _register(
        system,
        _incoming("lt", confidentiality="secret"),
        system.headers("registrar", "clearance_secret"),
    )
    day = _local_day(book["lt"]["registered_at"])
    assert _local_day(secret["registered_at"]) == day
    response = system.client.get(
        "/statistics",
        query_string={"from": day.isoformat(), "to": day.isoformat(), "group": "week"},
        headers=system.headers("mayor_office"),
    )
    assert response.status_code == 200
    # The voided registration is not a letter: it is not counted.
    counted = response.get_json()
    assert (counted["periods"][0]["total"], counted["periods"][0]["status"]) == (
        4,
        {"registered": 4},
    )
    # Counts are the same for every reader allowed to see them, whatever the clearance.
    for roles in (
        ("registrar",),
        ("registrar", "clearance_secret"),
        ("mayor_office", "clearance_confidential"),
    ):
        again = system.client.get(
            "/statistics",
            query_string={"from": day.isoformat(), "to": day.isoformat(), "group": "week"},
            headers=system.headers(*roles),
        )
        assert again.get_json() == counted
    problem(
        system.client.get(
            "/statistics?from=2026-01-01&to=2026-01-31&group=day",
            headers=system.headers("registrar"),
        ),
        422,
        ["group"],
    )


def test_municipality_lists_registers_and_departments(system):
    response = system.client.get("/municipality")
    assert response.status_code == 200
    described = response.get_json()
    assert described["code"] == "alytus"
    assert described["name"]["lt"] == "Alytaus miesto savivaldybė"
    assert "Alytaus miesto savivaldybė".encode() in response.data
    assert described["time_zone"] == "Europe/Vilnius"
    assert [(r["code"], r["direction"]) for r in described["registers"]] == [
        ("incoming", "incoming"),
        ("applications", "incoming"),
        ("outgoing", "outgoing"),
    ]
    assert described["registers"][1]["kinds"] == ["application", "complaint"]
    assert [d["code"] for d in described["departments"]] == [
        "DOC",
        "COMM",
        "LEGAL",
        "FIN",
        "SOC",
        "EDU",
        "URBAN",
        "MUNI",
    ]
    assert described["departments"][5]["name"]["lt"] == "Švietimo skyrius"


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("kvietimas.html", b"<html><script>alert(1)</script></html>\n", "kvietimas.txt"),
        ("skenuotas.pdf.exe", PDF, "skenuotas.pdf.pdf"),
        ("nuotrauka", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "nuotrauka.png"),
        ("nuotrauka.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "nuotrauka.JPEG"),
        ("raštas.pdf", PDF, "raštas.pdf"),
    ],
)
def test_a_download_is_named_with_the_extension_of_the_detected_type(system, name, content, stored):
    letter = _register(system, _incoming())
    uploaded = _upload(system, letter["id"], content, name)
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    assert uploaded.get_json()["filename"] == stored
    downloaded = system.client.get(
        f"/letters/{letter['id']}/attachments/{uploaded.get_json()['id']}",
        headers=system.headers("registrar"),
    )
    disposition = downloaded.headers["Content-Disposition"]
    assert disposition.endswith(quote(stored)) or f'filename="{stored}"' in disposition


def test_earlier_correspondents_are_suggested_to_the_registry(system):
    clerk = system.headers("registrar")
    _register(system, _incoming("ka"))
    _register(system, _incoming("ka"))  # the same sender twice: suggested once
    _register(
        system,
        _incoming(
            "lt", confidentiality="confidential", sender={"type": "person", "name": "ნინო სლაპთი"}
        ),
        system.headers("registrar", "clearance_secret"),
    )
    reader = f"registrar-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        "/correspondents",
        query_string={"q": "ნინო"},
        headers=system.headers("registrar", subject=reader),
    )
    assert response.status_code == 200
    # not the confidential one
    assert [c["name"] for c in response.get_json()["items"]] == ["ნინო ბერიძე"]
    assert {r["actor"] for r in system.audit() if r["object_type"] == "correspondent"} == {reader}
    cleared = system.client.get(
        "/correspondents",
        query_string={"q": "ნინო"},
        headers=system.headers("registrar", "clearance_secret"),
    ).get_json()
    assert cleared["next_cursor"] is None
    assert sorted(c["name"] for c in cleared["items"]) == ["ნინო ბერიძე", "ნინო სლაპთი"]
    problem(
        system.client.get("/correspondents", query_string={"q": "ნ"}, headers=clerk), 422, ["q"]
    )
    problem(
        system.client.get(
            "/correspondents",
            query_string={"q": "ნინო"},
            headers=system.headers("department_staff", department="SOC"),
        ),
        403,
    )


def test_the_approver_a_circuit_waits_for_reads_the_letter_over_http(system):
    created = _register(system, _incoming("lt", addressee={"kind": "mayor"}))
    director = system.headers("director")
    assert system.client.get(f"/letters/{created['id']}", headers=director).status_code == 403
    system.handle(
        "endorsement.requested",
        {
            "endorsement_id": str(uuid.uuid4()),
            "letter_id": created["id"],
            "registration_number": created["registration_number"],
            "reply_subject": "Atsakymas",
            "step": 2,
            "steps": 3,
            "approver_role": "director",
            "department_code": "LEGAL",
            "confidentiality": "normal",
            "requested_at": datetime.now(ZoneInfo("UTC")).isoformat(),
        },
        "routing",
    )
    read = system.client.get(
        f"/letters/by-number/{created['registration_number']}", headers=director
    )
    assert read.status_code == 200
    assert read.get_json()["subject"] == created["subject"]
    assert (
        system.client.get(f"/letters/{created['id']}", headers=system.headers("mayor")).status_code
        == 403
    )


def test_every_moment_is_answered_in_the_municipality_offset_whatever_the_request_gave(system):
    clerk = system.headers("registrar")
    received = (datetime.now(VILNIUS) - timedelta(hours=2)).replace(microsecond=0)
    created = _register(
        system,
        _incoming(
            received_at=received.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
        ),
        clerk,
    )

    read = system.client.get(f"/letters/{created['id']}", headers=clerk).get_json()
    assert moments_not_local(created, "Europe/Vilnius") == []
    assert moments_not_local(read, "Europe/Vilnius") == []
    assert read["received_at"] == received.isoformat()
    assert read["registered_at"].endswith(datetime.now(VILNIUS).isoformat()[-6:])
