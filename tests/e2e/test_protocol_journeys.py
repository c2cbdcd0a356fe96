"""Official events and reception hours across services, each as its own processes.

An incoming Georgian delegation approved in foreign relations becomes a
draft event in protocol-events with the delegation as its participants;
protocol builds the programme, confirms the event, and every participant
receives an invitation in their own language with an .ics that their
calendar will update when the venue changes. A resident books the mayor's
reception hours, is confirmed and reminded in Albanian, and the topic that
is really an application is handed to intake and registered.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem

pytestmark = pytest.mark.e2e

TITLE = {
    "lt": "Kutaisio delegacijos vizitas",
    "ka": "ქუთაისის დელეგაციის ვიზიტი",
    "lv": "Kutaisi delegācijas vizīte",
}


def _protocol(system: WholeSystem, **extra: str) -> dict[str, str]:
    return system.headers(
        "protocol_officer", subject="Aistė Kazlauskienė", department="COMM", **extra
    )


def _calendar_of(mail: Any) -> icalendar.Calendar:
    [part] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def _draft_for_visit(system: WholeSystem, visit_id: str) -> dict | None:
    drafts = system.listed(
        "protocol-events",
        "/events",
        _protocol(system),
        {"status": "draft", "kind": "delegation_visit", "limit": 200},
    )
    return next((e for e in drafts if e["visit_id"] == visit_id), None)


def test_an_approved_visit_becomes_a_programme_and_invitations_with_ics(
    system: WholeSystem,
) -> None:
    tag = uuid.uuid4().hex[:8]
    head, member = f"giorgi.{tag}@example.org", f"janis.{tag}@example.org"
    arrives = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    officer = system.headers(
        "foreign_relations_officer", subject="Rasa Vaitkutė", department="COMM"
    )
    visit = system.call(
        "POST",
        "foreign-relations",
        "/visits",
        201,
        officer,
        json={
            "title": TITLE["lt"],
            "city": "ქუთაისი",
            "country": "GE",
            "arrives_at": arrives.isoformat(),
            "departs_at": (arrives + timedelta(days=2)).isoformat(),
            "language": "lt",
            "purpose": "Bendradarbiavimas kultūros srityje",
            "members": [
                {
                    "name": "გიორგი ბერიძე",
                    "role": "mayor",
                    "country": "GE",
                    "language": "ka",
                    "email": head,
                    "head": True,
                },
                {
                    "name": "Jānis Bērziņš",
                    "role": "interpreter",
                    "country": "LV",
                    "language": "lv",
                    "email": member,
                },
            ],
        },
    ).json()
    system.call(
        "POST",
        "foreign-relations",
        f"/visits/{visit['id']}/approve",
        200,
        system.headers("mayor", subject="Vytautas Mažeika"),
        json={},
    )

    event = wait_for(
        lambda: _draft_for_visit(system, visit["id"]),
        what="the visit's draft event in protocol-events",
    )
    protocol = _protocol(system)
    participants = system.listed("protocol-events", f"/events/{event['id']}/participants", protocol)
    assert {p["name"] for p in participants} >= {"გიორგი ბერიძე", "Jānis Bērziņš"}

    room = system.call(
        "POST",
        "protocol-events",
        "/resources",
        201,
        protocol,
        json={"kind": "room", "name": f"Rotušės salė {tag}", "capacity": 40},
    ).json()
    lunch = {
        "category": "meal",
        "title": {"lt": "Pietūs su meru", "ka": "სადილი მერთან"},
        "starts_at": (arrives + timedelta(hours=20)).isoformat(),
        "ends_at": (arrives + timedelta(hours=21, minutes=30)).isoformat(),
        "place": "Rotušė",
        "responsible": "Aistė Kazlauskienė",
        "resource_ids": [room["id"]],
    }
    system.call(
        "POST", "protocol-events", f"/events/{event['id']}/programme", 201, protocol, json=lunch
    )
    clash = system.call(
        "POST",
        "protocol-events",
        f"/events/{event['id']}/programme",
        409,
        protocol,
        json={**lunch, "title": {"lt": "Spaudos konferencija"}},
    )
    assert (
        f"{room['name']} is already booked by programme item “Pietūs su meru”"
        in clash.json()["detail"]
    )

    etag = system.call("GET", "protocol-events", f"/events/{event['id']}", 200, protocol).headers[
        "ETag"
    ]
    patched = system.call(
        "PATCH",
        "protocol-events",
        f"/events/{event['id']}",
        200,
        _protocol(system, **{"If-Match": etag}),
        json={"title": TITLE, "venue": "Rotušės didžioji salė"},
    )
    for status in ("planned", "confirmed"):
        patched = system.call(
            "POST",
            "protocol-events",
            f"/events/{event['id']}/status",
            200,
            _protocol(system, **{"If-Match": patched.headers["ETag"]}),
            json={"status": status, "note": None},
        )
    confirmed = patched.json()

    [invitation] = wait_for(lambda: system.mails_to(head), what="the Georgian invitation")
    assert any("\u10d0" <= ch <= "\u10ff" for ch in invitation["Subject"])
    calendar = _calendar_of(invitation)
    assert str(calendar["method"]) == "REQUEST"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["uid"]) == confirmed["ical_uid"]
    assert str(entry["summary"]) == TITLE["ka"]
    assert int(entry["sequence"]) == confirmed["sequence"]
    [latvian] = wait_for(lambda: system.mails_to(member), what="the Latvian invitation")
    assert str(_calendar_of(latvian).walk("VEVENT")[0]["summary"]) == TITLE["lv"]

    system.call(
        "PATCH",
        "protocol-events",
        f"/events/{event['id']}",
        200,
        _protocol(system, **{"If-Match": patched.headers["ETag"]}),
        json={"venue": "Alytaus kraštotyros muziejus"},
    )
    updated = wait_for(lambda: system.mails_to(head)[1:], what="the change to the head")
    [moved] = _calendar_of(updated[0]).walk("VEVENT")
    assert str(moved["uid"]) == confirmed["ical_uid"]
    assert int(moved["sequence"]) == confirmed["sequence"] + 1
    assert str(moved["location"]) == "Alytaus kraštotyros muziejus"


def test_a_reception_slot_is_booked_confirmed_reminded_and_its_topic_registered(
    system: WholeSystem,
) -> None:
    protocol = _protocol(system)
    official = system.receiving_official(
        protocol,
        {
            "name": f"Vytautas Mažeika {uuid.uuid4().hex[:4]}",
            "position": {"lt": "Meras", "sq": "Kryetar", "en": "Mayor"},
            "addressee_kind": "mayor",
            "place": "Rotušė, 101 kab.",
        },
        range(5),
        slot=20,
    )
    resident = f"arber.{uuid.uuid4().hex[:8]}@example.org"
    topic = "Kërkesë për ndriçim rrugor në lagjen Putinai"
    clerk = system.headers(
        "registrar", subject="Ona Žemaitytė", **{"Idempotency-Key": str(uuid.uuid4())}
    )
    booking = {
        "official_id": official["id"],
        "starts_at": system.first_free_slot(protocol, official["id"]),
        "topic": topic,
        "visitor": {"name": "Arbër Hoxha", "email": resident, "language": "sq"},
    }
    appointment = system.call(
        "POST", "protocol-events", "/appointments", 201, clerk, json=booking
    ).json()
    # The clerk's retry with the same key books nothing new; another clerk is refused.
    again = system.call("POST", "protocol-events", "/appointments", 201, clerk, json=booking)
    assert again.json()["id"] == appointment["id"]
    system.call(
        "POST",
        "protocol-events",
        "/appointments",
        409,
        system.headers("registrar", subject="Jonas Mačiulis"),
        json=booking,
    )

    mails = wait_for(
        lambda: len(system.mails_to(resident)) >= 2 and system.mails_to(resident),
        what="the confirmation and the reminder",
    )
    confirmation = next(
        m
        for m in mails
        if any(p.get_content_type() == "text/calendar" for p in m.iter_attachments())
    )
    assert topic in confirmation.get_body(("plain",)).get_content()
    assert (
        "ë" in confirmation["Subject"]
        or "Ë" in confirmation["Subject"]
        or "takim" in confirmation["Subject"].lower()
    )
    [entry] = _calendar_of(confirmation).walk("VEVENT")
    assert entry["dtstart"].dt == datetime.fromisoformat(booking["starts_at"]).astimezone(UTC)
    assert len(system.mails_to(resident)) == 2  # one confirmation, one reminder

    system.call(
        "POST",
        "protocol-events",
        f"/appointments/{appointment['id']}/hand-over",
        200,
        system.headers("registrar", subject="Ona Žemaitytė"),
        json={"kind": "application"},
    )
    registered = wait_for(lambda: _registered_with(system, topic), what="the letter in intake")
    assert registered["channel"] == "in_person"
    # Intake's letter.registered carries the hand-over's key back: protocol sees the number.
    noted = wait_for(
        lambda: (
            (
                found := system.call(
                    "GET", "protocol-events", f"/appointments/{appointment['id']}", 200, protocol
                ).json()
            )["registration_number"]
            and found
        ),
        what="the registration number on the appointment",
    )
    assert noted["registration_number"] == registered["registration_number"]
    assert noted["letter_id"] == registered["id"]


def _registered_with(system: WholeSystem, subject: str) -> dict | None:
    found = system.listed(
        "intake", "/letters", system.headers("registrar", subject="Ona Žemaitytė"), {"q": subject}
    )
    return next((letter for letter in found if letter["subject"] == subject), None)
