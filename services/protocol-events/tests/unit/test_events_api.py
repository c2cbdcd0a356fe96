"""Events over HTTP on SQLite: life and messages, participants, resources, press, expenses."""

from __future__ import annotations

import uuid
from typing import Any

import icalendar
import pytest
from sqlalchemy import select

from chancery.messages.consumer import Outcome
from chancery_testing import moments_not_local, problem, sample_payloads

OFFICER = ("protocol_officer",)
TITLES = {
    "lt": "Oficialus priėmimas Rotušėje",
    "lv": "Oficiālā pieņemšana Rātsnamā",
    "ka": "ოფიციალური მიღება მერიაში",
    "sq": "Pritje zyrtare në Bashki",
    "en": "Official reception at the Town Hall",
}


def new_event(system, headers=None, **fields: Any) -> dict[str, Any]:
    body = {"title": TITLES, "description": {"lt": "Svečiai iš Kutaisio ir Vlorės"}, **fields}
    return system.new_event(headers, **body)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": {**TITLES, "lt": "Priėmimas\r\nMETHOD:CANCEL"}}, "title"),
        ({"venue": "Rotušė\nLOCATION:kitur"}, "venue"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
        (
            {"starts_at": "2046-05-04T10:00:00+03:00", "ends_at": "2046-05-04T12:00:00+03:00"},
            "starts_at",
        ),
    ],
)
def test_what_would_break_a_calendar_file_is_refused_at_the_edge(system, fields, field):
    body = {
        "kind": "official_reception",
        "protocol_level": "diplomatic",
        "title": TITLES,
        **eest("2026-05-04", "10:00", "12:00"),
        **fields,
    }
    response = system.as_officer("POST", "/events", body)
    assert response.status_code == 422, response.get_json()
    assert any(e["field"].startswith(field) for e in response.get_json()["errors"])


def test_a_description_may_have_several_lines(system):
    created = new_event(system, description={"lt": "Programa:\n\t10.00 sutikimas"})
    assert created["description"] == {"lt": "Programa:\n\t10.00 sutikimas"}


def etag(system, event_id: str) -> str:
    return system.as_officer("GET", f"/events/{event_id}").headers["ETag"]


def edit(system, event_id: str, changes: dict[str, Any]):
    """PATCH the event with ``changes``, If-Match its current ETag."""
    return system.as_officer(
        "PATCH", f"/events/{event_id}", changes, if_match=etag(system, event_id)
    )


def move(system, event_id: str, status: str, note: str | None = None, **headers: str):
    return system.client.post(
        f"/events/{event_id}/status",
        json={"status": status, "note": note},
        headers=system.headers(*OFFICER, **headers),
    )


def test_an_event_keeps_its_texts_in_every_language(system):
    created = new_event(system)
    assert created["status"] == "draft"
    assert created["department_code"] == system.profile.offices["protocol"]
    assert created["ical_uid"] == f"{created['id']}@alytus.chancery"
    assert created["allowed_moves"] == ["planned", "cancelled"]
    read = system.client.get(f"/events/{created['id']}", headers=system.headers("mayor_office"))
    assert read.get_json()["title"] == TITLES
    assert read.headers["ETag"] == '"1"'
    unchanged = system.client.get(
        f"/events/{created['id']}",
        headers=system.headers("mayor_office", **{"If-None-Match": '"1"'}),
    )
    assert (unchanged.status_code, unchanged.data, unchanged.headers["ETag"]) == (304, b"", '"1"')
    changed = system.client.get(
        f"/events/{created['id']}",
        headers=system.headers("mayor_office", **{"If-None-Match": '"0", "7"'}),
    )
    assert changed.status_code == 200
    assert changed.get_json()["title"] == TITLES


def test_the_ics_speaks_the_language_asked_for_and_falls_back_along_the_chain(system):
    event = new_event(system, title={"lt": TITLES["lt"], "ka": TITLES["ka"]})

    def summary(path: str, **headers: str) -> str:
        response = system.client.get(path, headers={**system.headers("mayor_office"), **headers})
        assert response.status_code == 200, response.get_json()
        return str(
            next(iter(icalendar.Calendar.from_ical(response.data).walk("VEVENT")))["summary"]
        )

    url = f"/events/{event['id']}.ics"
    assert summary(url) == TITLES["lt"]
    assert summary(f"{url}?lang=ka") == TITLES["ka"]
    assert summary(url, **{"Accept-Language": "ka-GE, en;q=0.5"}) == TITLES["ka"]
    assert summary(f"/events/{event['id']}/calendar?lang=ka") == TITLES["ka"]
    assert summary(f"{url}?lang=sq") == TITLES["lt"]  # no Albanian title: the municipality's
    assert summary(url, **{"Accept-Language": "de-DE"}) == TITLES["lt"]
    refused = system.client.get(f"{url}?lang=xx", headers=system.headers("mayor_office"))
    assert refused.status_code == 422


def test_the_ics_carries_the_georgian_title_and_a_stable_uid(system):
    event = new_event(system, title={"ka": "ოფიციალური მიღება მერიაში"})
    for path in (f"/events/{event['id']}.ics", f"/events/{event['id']}/calendar"):
        response = system.client.get(path, headers=system.headers("mayor_office"))
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        parsed = icalendar.Calendar.from_ical(response.data)
        vevent = next(iter(parsed.walk("VEVENT")))
        assert str(vevent["summary"]) == "ოფიციალური მიღება მერიაში"
        assert str(vevent["uid"]) == event["ical_uid"]
        assert str(vevent["status"]) == "TENTATIVE"


def test_confirmation_invites_and_changes_and_cancellation_are_announced(system):
    event = new_event(system)
    guest = system.as_officer(
        "POST",
        f"/events/{event['id']}/participants",
        {
            "kind": "guest",
            "name": "Nino Beridze",
            "language": "ka",
            "email": "nino.beridze@example.org",
            "rank": "foreign_mayor",
        },
    )
    assert guest.status_code == 201
    assert system.outbox() == []  # nobody is invited to a draft
    assert move(system, event["id"], "planned").status_code == 200
    confirmed = move(system, event["id"], "confirmed")
    assert confirmed.get_json()["status"] == "confirmed"
    [scheduled] = system.outbox("event.scheduled")
    assert scheduled["payload"]["sequence"] == 0
    assert scheduled["payload"]["title"]["ka"] == TITLES["ka"]
    assert scheduled["payload"]["participants"][0]["email"] == "nino.beridze@example.org"

    changed = edit(
        system,
        event["id"],
        {
            "venue": "Kultūros centras",
            **eest("2026-05-04", "11:00", "13:00"),
        },
    )
    assert changed.status_code == 200, changed.get_json()
    [updated] = system.outbox("event.updated")
    assert updated["payload"]["sequence"] == 1
    assert sorted(updated["payload"]["changes"]) == ["time", "venue"]

    assert move(system, event["id"], "cancelled").status_code == 422
    cancelled = move(system, event["id"], "cancelled", note="Vizitas atidėtas")
    assert cancelled.status_code == 200
    [gone] = system.outbox("event.cancelled")
    assert gone["payload"]["sequence"] == 2
    assert gone["payload"]["reason"] == "Vizitas atidėtas"
    assert [e["type"] for e in system.outbox()] == [
        "event.scheduled",
        "event.updated",
        "event.cancelled",
    ]


def test_a_description_change_is_not_announced_but_a_participant_change_is(system):
    event = new_event(system)
    move(system, event["id"], "planned")
    move(system, event["id"], "confirmed")
    edit(system, event["id"], {"description": {"en": "Dress code"}})
    assert system.outbox("event.updated") == []
    added = system.as_officer(
        "POST",
        f"/events/{event['id']}/participants",
        {"kind": "internal", "name": "Ilze Ozoliņa", "rank": "deputy_mayor"},
    )
    [updated] = system.outbox("event.updated")
    assert updated["payload"]["changes"] == ["participants"]
    assert updated["payload"]["invited"] == [added.get_json()["id"]]
    removed = system.as_officer(
        "DELETE", f"/events/{event['id']}/participants/{added.get_json()['id']}"
    )
    assert removed.status_code == 204
    assert [e["payload"]["sequence"] for e in system.outbox("event.updated")] == [1, 2]


def test_an_impossible_move_is_a_409_naming_the_state_and_the_moves(system):
    event = new_event(system)
    before = system.snapshot()
    refused = move(system, event["id"], "held")
    refusal = problem(refused, 409, ["status"])
    assert "An event that is draft cannot become held" in refusal["detail"]
    assert "planned, cancelled" in refusal["detail"]
    assert system.snapshot() == before


def test_a_stale_if_match_is_refused(system):
    event = new_event(system)
    missing = system.as_officer("PATCH", f"/events/{event['id']}", {"venue": "A"})
    assert missing.status_code == 428
    assert missing.get_json()["errors"][0]["field"] == "If-Match"
    system.as_officer("PATCH", f"/events/{event['id']}", {"venue": "A"}, if_match='"1"')
    stale = system.as_officer("PATCH", f"/events/{event['id']}", {"venue": "B"}, if_match='"1"')
    assert stale.status_code == 412
    fresh = system.as_officer("PATCH", f"/events/{event['id']}", {"venue": "B"}, if_match='"2"')
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": {}}, "title"),
        ({"kind": "picnic"}, "kind"),
        ({"ends_at": "2026-05-04T09:00:00+03:00"}, "ends_at"),
        ({"starts_at": "2026-05-04T10:00:00"}, "starts_at"),
        ({"department_code": "NOPE"}, "department_code"),
        ({"colour": "red"}, "colour"),
        ({"title": {"LT": "x"}}, "title"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(system, body, field):
    before = system.snapshot()
    base = {
        "kind": "meeting",
        "protocol_level": "municipal",
        "title": {"lt": "Posėdis"},
        **eest("2026-05-04", "10:00", "11:00"),
    }
    response = system.as_officer("POST", "/events", {**base, **body})
    assert response.status_code == 422, response.get_json()
    assert any(e["field"].startswith(field) for e in response.get_json()["errors"])
    assert system.snapshot() == before


def test_roles_are_checked(system):
    assert system.client.get("/events").status_code == 401
    refused = system.client.post("/events", json={}, headers=system.headers("registrar"))
    assert refused.status_code == 403


# Participants and precedence -------------------------------------------------------------


def add(system, event_id: str, **body: Any) -> dict[str, Any]:
    response = system.as_officer("POST", f"/events/{event_id}/participants", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_seating_and_speaking_order_with_reasons_and_an_audited_contact_read(system):
    event = new_event(system)["id"]
    host = add(
        system,
        event,
        kind="internal",
        name="Rimantas Vaitkūnas",
        rank="mayor",
        host=True,
        speaks=True,
    )
    deputy = add(
        system, event, kind="internal", name="Ilze Ozoliņa", rank="deputy_mayor", speaks=True
    )
    ambassador = add(
        system,
        event,
        kind="guest",
        name="Arbër Hoxha",
        rank="ambassador",
        country="AL",
        language="sq",
        email="arber.hoxha@example.org",
        speaks=True,
    )
    order = system.client.get(f"/events/{event}/order", headers=system.headers("mayor_office"))
    seating = order.get_json()["seating"]
    assert [p["participant_id"] for p in seating] == [host["id"], ambassador["id"], deputy["id"]]
    assert seating[1]["reason"] == (
        "2nd: ambassador ranks above deputy mayor in the protocol list; seated right of the host"
    )
    assert [p["name"] for p in order.get_json()["speaking"]] == [
        "Rimantas Vaitkūnas",
        "Arbër Hoxha",
        "Ilze Ozoliņa",
    ]

    reader = "mayor-office-reader"
    listed = system.client.get(
        f"/events/{event}/participants", headers=system.headers("mayor_office", subject=reader)
    )
    assert {p["name"] for p in listed.get_json()["items"]} == {
        "Rimantas Vaitkūnas",
        "Ilze Ozoliņa",
        "Arbër Hoxha",
    }
    assert {(actor, action) for actor, action, _ in system.audit("participant")} == {
        (reader, "read")
    }
    table = system.wiring.tables.audit
    with system.wiring.engine.connect() as conn:
        people = {
            r.object_id: r.person
            for r in conn.execute(select(table).where(table.c.object_type == "participant"))
        }
    assert people == {
        host["id"]: "rimantas vaitkūnas",
        deputy["id"]: "ilze ozoliņa",
        ambassador["id"]: "arber.hoxha@example.org",
    }
    assert (
        system.client.get(
            f"/events/{event}/participants", headers=system.headers("registrar", subject="clerk-x")
        ).status_code
        == 403
    )
    assert system.audit("event") == [("clerk-x", "read", event)]


def test_a_protocol_officer_replaces_the_protocol_list(system):
    event = new_event(system)["id"]
    add(system, event, kind="guest", name="Arbër Hoxha", rank="ambassador")
    add(system, event, kind="internal", name="Ilze Ozoliņa", rank="deputy_mayor")
    current = system.as_officer("GET", "/precedence")
    assert current.get_json()["source"] == "default"
    ranks = [
        {"code": "deputy_mayor", "names": {"lv": "Mēra vietnieks"}},
        {"code": "ambassador", "names": {"en": "ambassador"}},
    ]
    assert (
        system.client.put(
            "/precedence", json={"ranks": ranks}, headers=system.headers("registrar")
        ).status_code
        == 403
    )
    replaced = system.as_officer("PUT", "/precedence", {"ranks": ranks}, if_match='"0"')
    assert replaced.status_code == 200
    assert replaced.get_json()["source"] == "saved"
    stale = system.as_officer("PUT", "/precedence", {"ranks": ranks}, if_match='"0"')
    assert stale.status_code == 412
    order = system.as_officer("GET", f"/events/{event}/order")
    assert [p["name"] for p in order.get_json()["seating"]] == ["Ilze Ozoliņa", "Arbër Hoxha"]
    repeated = system.as_officer("PUT", "/precedence", {"ranks": ranks + ranks[:1]})
    assert repeated.status_code == 422


# Resources and programme -----------------------------------------------------------------


def resource(system, name: str = "Didžioji salė", kind: str = "room") -> str:
    response = system.as_officer("POST", "/resources", {"kind": kind, "name": name, "capacity": 80})
    assert response.status_code == 201
    return response.get_json()["id"]


def eest(day: str, starts: str, ends: str) -> dict[str, str]:
    """``starts_at`` and ``ends_at`` on ``day`` from ``starts`` to ``ends``, Vilnius summer time."""
    return {"starts_at": f"{day}T{starts}:00+03:00", "ends_at": f"{day}T{ends}:00+03:00"}


def book(system, event_id: str, resource_id: str, **moments: str):
    body = {"resource_id": resource_id, **moments}
    return system.as_officer("POST", f"/events/{event_id}/bookings", body)


def add_item(system, event_id: str, category: str, title: dict[str, str], **fields: Any):
    body = {"category": category, "title": title, **fields}
    return system.as_officer("POST", f"/events/{event_id}/programme", body)


def test_a_double_booking_is_a_409_naming_the_clash_until_that_event_is_cancelled(system):
    hall = resource(system)
    first = new_event(system)["id"]
    second = new_event(system, title={"lv": "Preses konference"})["id"]
    booked = book(system, first, hall, **eest("2026-05-04", "10:00", "12:00"))
    assert booked.status_code == 201
    clash = book(system, second, hall, **eest("2026-05-04", "11:30", "13:00"))
    assert clash.status_code == 409
    problem = clash.get_json()
    assert problem["type"].endswith("booking-conflict")
    assert first not in problem["detail"]  # the id travels as data, the text names the event
    assert "on 2026-05-04 from 10:00 to 12:00 (EEST)" in problem["detail"]
    assert TITLES["lt"] in problem["detail"]
    assert problem["errors"][0]["event_id"] == first
    assert problem["errors"][0]["starts_at"] == "2026-05-04T10:00:00+03:00"
    assert problem["errors"][0]["ends_at"] == "2026-05-04T12:00:00+03:00"
    # The sentence's parts, for a reader in another language: the holder's titles.
    assert problem["errors"][0]["event_title"] == TITLES
    assert problem["errors"][0]["item_title"] is None
    # Back to back is fine.
    after = book(system, second, hall, **eest("2026-05-04", "12:00", "13:00"))
    assert after.status_code == 201
    move(system, first, "cancelled", note="Atšaukta")
    retry = book(system, second, hall, **eest("2026-05-04", "10:00", "11:00"))
    assert retry.status_code == 201
    schedule = system.as_officer("GET", f"/resources/{hall}/bookings?from=2026-05-01&to=2026-05-31")
    assert [b["event_id"] for b in schedule.get_json()["items"]] == [second, second]
    assert moments_not_local(schedule.get_json()["items"], "Europe/Vilnius") == []
    assert [b["local_starts_at"] for b in schedule.get_json()["items"]] == [
        "2026-05-04 10:00 EEST",
        "2026-05-04 12:00 EEST",
    ]


def test_a_programme_item_whose_resource_clashes_is_not_written_at_all(system):
    hall, car = resource(system), resource(system, "Mikroautobusas", "vehicle")
    visit = new_event(system, kind="delegation_visit", starts_at="2026-05-04T09:00:00+03:00")["id"]
    other = new_event(system)["id"]
    item = add_item(
        system,
        visit,
        "transport",
        {"ka": "ტრანსფერი სასტუმროში"},
        **eest("2026-05-04", "09:00", "10:30"),
        place="Viešbutis „Dzūkija“",
        responsible="Protokolo skyrius",
        resource_ids=[car, hall],
    )
    assert item.status_code == 201, item.get_json()
    assert len(item.get_json()["bookings"]) == 2
    # Read back as people read it: local time and the resources' names.
    assert (item.get_json()["local_starts_at"], item.get_json()["local_ends_at"]) == (
        "2026-05-04 09:00 EEST",
        "2026-05-04 10:30 EEST",
    )
    assert {b["resource_name"] for b in item.get_json()["bookings"]} == {
        "Mikroautobusas",
        "Didžioji salė",
    }
    assert {b["local_starts_at"] for b in item.get_json()["bookings"]} == {"2026-05-04 09:00 EEST"}
    lunch_in_the_hall = {**eest("2026-05-04", "10:00", "11:00"), "resource_ids": [hall]}
    before = system.snapshot()
    clash = add_item(system, other, "meal", {"lt": "Pietūs"}, **lunch_in_the_hall)
    assert clash.status_code == 409
    assert "programme item “ტრანსფერი სასტუმროში”" in clash.get_json()["detail"]
    assert system.snapshot() == before
    listed = system.as_officer("GET", f"/events/{visit}/programme")
    assert listed.get_json()["items"][0]["title"] == {"ka": "ტრანსფერი სასტუმროში"}
    removed = system.as_officer("DELETE", f"/events/{visit}/programme/{item.get_json()['id']}")
    assert removed.status_code == 204
    again = add_item(system, other, "meal", {"lt": "Pietūs"}, **lunch_in_the_hall)
    assert again.status_code == 201


def test_an_unknown_resource_is_a_422(system):
    event = new_event(system)["id"]
    response = book(system, event, str(uuid.uuid4()), **eest("2026-05-04", "10:00", "11:00"))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "resource_id"


# Press and expenses ----------------------------------------------------------------------


def test_accreditations_get_badges_and_the_media_list_read_is_audited(system):
    event = new_event(system, kind="press_conference")["id"]
    ids = []
    for outlet, journalist in (
        ("Dzūkų žinios", "Aušra Kazlauskienė"),
        ("Latgales Laiks", "Māris Kalniņš"),
    ):
        created = system.as_officer(
            "POST",
            f"/events/{event}/accreditations",
            {"outlet": outlet, "journalist": journalist, "email": "press@example.org"},
        )
        assert created.get_json()["status"] == "requested"
        ids.append(created.get_json()["id"])
    badges = [
        system.as_officer(
            "POST", f"/events/{event}/accreditations/{aid}/decision", {"status": "approved"}
        ).get_json()["badge_number"]
        for aid in ids
    ]
    assert badges == ["PRESS-001", "PRESS-002"]
    listed = system.as_officer("GET", f"/events/{event}/accreditations")
    assert [a["outlet"] for a in listed.get_json()["items"]] == ["Dzūkų žinios", "Latgales Laiks"]
    assert len(system.audit("accreditation")) == 2


def test_a_journalist_is_told_each_decision_on_their_accreditation_once(system):
    event = new_event(system, kind="press_conference")["id"]
    created = system.as_officer(
        "POST",
        f"/events/{event}/accreditations",
        {
            "outlet": "ლაგოდეხის ამბები",
            "journalist": "ნინო ბერიძე",
            "email": "nino@example.org",
            "language": "ka",
        },
    )
    url = f"/events/{event}/accreditations/{created.get_json()['id']}/decision"
    for status in ("approved", "approved", "refused"):
        assert system.as_officer("POST", url, {"status": status}).status_code == 200
    approved, refused = (m["payload"] for m in system.outbox("accreditation.decided"))
    assert (approved["status"], approved["badge_number"]) == ("approved", "PRESS-001")
    assert (approved["journalist"], approved["email"], approved["language"]) == (
        "ნინო ბერიძე",
        "nino@example.org",
        "ka",
    )
    assert approved["time_zone"] == system.profile.time_zone
    assert (refused["status"], refused["badge_number"]) == ("refused", None)


def test_representation_expenses_with_approval_and_a_period_report(system):
    event = new_event(system)["id"]
    budget = system.as_officer(
        "PUT", f"/events/{event}/budget", {"lines": {"meals": "600.00", "gifts": "150"}}
    )
    assert budget.status_code == 200, budget.get_json()
    lines = []
    for category, planned in (("meals", "450.50"), ("meals", "120"), ("gifts", "80")):
        created = system.as_officer(
            "POST",
            f"/events/{event}/costs",
            {"category": category, "description": "Vakarienė svečiams", "planned": planned},
        )
        assert created.status_code == 201, created.get_json()
        lines.append(created.get_json()["id"])
    system.as_officer("POST", f"/events/{event}/costs/{lines[0]}/actual", {"actual": "430.00"})
    assert system.as_officer("POST", f"/events/{event}/costs/{lines[0]}/approve").status_code == 403
    approved = system.client.post(
        f"/events/{event}/costs/{lines[0]}/approve", headers=system.headers("director")
    )
    assert approved.get_json()["status"] == "approved"
    assert (
        system.client.post(
            f"/events/{event}/costs/{lines[0]}/reject", headers=system.headers("mayor_office")
        ).status_code
        == 409
    )
    system.client.post(
        f"/events/{event}/costs/{lines[2]}/reject", headers=system.headers("mayor_office")
    )
    expenses = system.as_officer("GET", f"/events/{event}/expenses")
    assert expenses.get_json()["currency"] == "EUR"
    assert {
        t["category"]: (t["budget"], t["planned"], t["actual"])
        for t in expenses.get_json()["totals"]
    } == {"gifts": ("150.00", "0", "0"), "meals": ("600.00", "570.50", "430.00")}

    report = system.client.get(
        "/reports/expenses?from=2026-05-01&to=2026-05-31", headers=system.headers("mayor_office")
    )
    assert [
        (line["category"], line["planned"], line["approved_actual"])
        for line in report.get_json()["items"]
    ] == [("gifts", "0", "0"), ("meals", "570.50", "430.00")]
    csv = system.client.get(
        "/reports/expenses?from=2026-05-01&to=2026-05-31&format=csv",
        headers=system.headers("director"),
    )
    assert csv.mimetype == "text/csv"
    text = csv.data.decode("utf-8")
    assert text.splitlines()[0].startswith("event_id,event_title,starts_at,category")
    assert TITLES["lt"] in text
    assert (
        system.client.get(
            "/reports/expenses?from=2026-06-01&to=2026-05-01", headers=system.headers("director")
        ).status_code
        == 422
    )


# Delegation visits from foreign relations ------------------------------------------------


def visit_payload(**fields: Any) -> dict[str, Any]:
    """Kutaisi's delegation (the catalogue's sample) in June, its purpose and members told."""
    return {
        **sample_payloads()["delegation.visit_approved"],
        "arrives_at": "2026-06-02T18:00:00+03:00",
        "departs_at": "2026-06-05T10:00:00+03:00",
        "language": "ka",
        "purpose": "თანამშრომლობის გეგმა",
        "members": [
            {
                "name": "გიორგი ბერიძე",
                "role": "mayor",
                "language": "ka",
                "email": "g.beridze@example.org",
                "head": True,
            },
            {"name": "ნინო კაპანაძე", "role": "adviser"},
        ],
        "approved_by": "mayor-1",
        "approved_at": "2026-05-20T09:00:00+03:00",
        **fields,
    }


def test_an_approved_visit_becomes_one_draft_event_with_its_delegation(system):
    payload = visit_payload()
    assert system.deliver("delegation.visit_approved", payload).outcome is Outcome.HANDLED
    # The same visit announced again under another message id changes nothing.
    assert system.deliver("delegation.visit_approved", payload).outcome is Outcome.HANDLED
    listed = system.as_officer("GET", "/events?kind=delegation_visit").get_json()["items"]
    [event] = listed
    assert event["status"] == "draft"
    assert event["visit_id"] == payload["visit_id"]
    assert event["title"] == {"ka": "ქუთაისის დელეგაციის ვიზიტი"}
    people = system.as_officer("GET", f"/events/{event['id']}/participants").get_json()["items"]
    assert {
        (p["name"], p["kind"], p["rank"], p["guest_of_honour"], p["country"]) for p in people
    } == {
        ("გიორგი ბერიძე", "guest", "foreign_mayor", True, "GE"),
        ("ნინო კაპანაძე", "guest", "delegation_member", False, "GE"),
    }
    assert system.outbox() == []


def _planned_cost(
    system, budget: str, category: str, description: str, planned: str
) -> tuple[str, str]:
    """A new event budgeting ``budget`` for ``category``, with one cost planned in it; the
    event's id and the cost's."""
    event = new_event(system)["id"]
    system.as_officer("PUT", f"/events/{event}/budget", {"lines": {category: budget}})
    created = system.as_officer(
        "POST",
        f"/events/{event}/costs",
        {"category": category, "description": description, "planned": planned},
    )
    assert created.status_code == 201, created.get_json()
    return event, created.get_json()["id"]


def test_an_over_budget_line_is_flagged_and_needs_an_explicit_approval(system):
    event, gifts = _planned_cost(system, "150", "gifts", "Dovanos delegacijai – ბროწეული", "400")
    expenses = system.as_officer("GET", f"/events/{event}/expenses").get_json()
    assert expenses["over_budget"] == ["gifts"]
    assert expenses["costs"][0]["over_budget"] is True
    silent = system.client.post(
        f"/events/{event}/costs/{gifts}/approve", headers=system.headers("director")
    )
    assert silent.status_code == 409, silent.get_json()
    assert silent.get_json()["errors"][0]["field"] == "over_budget"
    assert silent.get_json()["errors"][0]["reason"] == "over budget: explicit approval needed"
    assert "250" in silent.get_json()["detail"]
    approved = system.client.post(
        f"/events/{event}/costs/{gifts}/approve",
        json={"over_budget": True},
        headers=system.headers("director", subject="dir-7"),
    )
    assert approved.status_code == 200, approved.get_json()
    line = approved.get_json()
    assert (line["status"], line["approved_over_budget"], line["decided_by"]) == (
        "approved",
        True,
        "dir-7",
    )
    assert line["decided_at"].startswith("2026-03-10")


def test_an_actual_after_approval_waits_for_its_own_approval(system):
    event, meals = _planned_cost(system, "600", "meals", "Vakarienė", "500")
    system.client.post(f"/events/{event}/costs/{meals}/approve", headers=system.headers("director"))

    def approved_actual() -> str:
        report = system.client.get(
            "/reports/expenses?from=2026-05-01&to=2026-05-31",
            headers=system.headers("mayor_office"),
        ).get_json()["items"]
        return report[0]["approved_actual"]

    recorded = system.as_officer("POST", f"/events/{event}/costs/{meals}/actual", {"actual": "580"})
    assert recorded.get_json()["actual_status"] == "proposed"
    assert approved_actual() == "0"
    assert (
        system.as_officer("POST", f"/events/{event}/costs/{meals}/actual/approve").status_code
        == 403
    )
    decided = system.client.post(
        f"/events/{event}/costs/{meals}/actual/approve",
        headers=system.headers("mayor_office", subject="mo-2"),
    )
    assert (decided.get_json()["actual_status"], decided.get_json()["actual_decided_by"]) == (
        "approved",
        "mo-2",
    )
    assert approved_actual() == "580.00"
    again = system.client.post(
        f"/events/{event}/costs/{meals}/actual/approve", headers=system.headers("mayor_office")
    )
    assert again.status_code == 409


def test_programme_items_stay_within_their_event_and_a_shorter_event_names_those_left_out(system):
    event = new_event(system)  # 4 May 2026, 10:00-12:00 local
    early = add_item(
        system, event["id"], "meal", {"lt": "Pusryčiai"}, **eest("2026-05-04", "08:00", "09:00")
    )
    assert early.status_code == 422
    assert early.get_json()["errors"][0]["field"] == "starts_at"
    assert early.get_json()["errors"][0]["reason"] == "outside the event"
    assert "2026-05-04 10:00 EEST" in early.get_json()["detail"]
    inside = add_item(
        system,
        event["id"],
        "business_meeting",
        {"ka": "შეხვედრა მერთან"},
        **eest("2026-05-04", "10:30", "11:30"),
    )
    assert inside.status_code == 201, inside.get_json()
    shorter = edit(system, event["id"], {"ends_at": "2026-05-04T11:00:00+03:00"})
    assert shorter.status_code == 409, shorter.get_json()
    assert shorter.get_json()["errors"][0]["reason"] == "programme items outside the event"
    assert "შეხვედრა მერთან (2026-05-04 10:30 EEST" in shorter.get_json()["detail"]


def programme_of(system, event_id: str) -> list[dict[str, Any]]:
    return system.as_officer("GET", f"/events/{event_id}/programme").get_json()["items"]


def test_moving_an_event_moves_its_programme_and_bookings_or_names_the_clash(system):
    hall = resource(system)
    event = new_event(system)["id"]  # 4 May 2026, 10:00-12:00 local
    assert move(system, event, "planned").status_code == 200
    item = add_item(
        system,
        event,
        "business_meeting",
        {"ka": "შეხვედრა მერთან"},
        **eest("2026-05-04", "10:30", "11:30"),
        resource_ids=[hall],
    )
    assert item.status_code == 201, item.get_json()
    # Another event holds the hall on 5 May at 11:00: a move onto it is refused whole.
    other = new_event(system, title={"sq": "Konferencë për shtyp"})["id"]
    assert book(system, other, hall, **eest("2026-05-05", "11:00", "12:00")).status_code == 201
    before = system.snapshot()
    clash = edit(system, event, eest("2026-05-05", "10:00", "12:00"))
    assert clash.status_code == 409, clash.get_json()
    assert (
        "Didžioji salė is already booked by event “Konferencë për shtyp” on 2026-05-05 "
        "from 11:00 to 12:00 (EEST)."
    ) in clash.get_json()["detail"]
    assert system.snapshot() == before
    moved = edit(system, event, eest("2026-05-06", "10:00", "12:00"))
    assert moved.status_code == 200, moved.get_json()
    [line] = programme_of(system, event)
    assert (line["local_starts_at"], line["local_ends_at"]) == (
        "2026-05-06 10:30 EEST",
        "2026-05-06 11:30 EEST",
    )
    assert [b["local_starts_at"] for b in line["bookings"]] == ["2026-05-06 10:30 EEST"]


def test_a_programme_item_is_edited_with_its_bookings_within_the_event(system):
    hall = resource(system)
    event = new_event(system)["id"]  # 4 May 2026, 10:00-12:00 local
    item = add_item(
        system,
        event,
        "meal",
        {"lt": "Kava"},
        **eest("2026-05-04", "10:00", "10:30"),
        resource_ids=[hall],
    ).get_json()["id"]
    other = new_event(system)["id"]
    assert book(system, other, hall, **eest("2026-05-04", "11:30", "12:00")).status_code == 201
    url = f"/events/{event}/programme/{item}"
    outside = system.as_officer("PATCH", url, {"ends_at": "2026-05-04T12:30:00+03:00"})
    assert (outside.status_code, outside.get_json()["errors"][0]["reason"]) == (
        422,
        "outside the event",
    )
    clash = system.as_officer(
        "PATCH",
        url,
        eest("2026-05-04", "11:00", "12:00"),
    )
    assert clash.status_code == 409
    assert "from 11:30 to 12:00 (EEST)" in clash.get_json()["detail"]
    edited = system.as_officer(
        "PATCH",
        url,
        {
            "title": {"lt": "Kava ir pyragas"},
            "place": "Terasa",
            **eest("2026-05-04", "10:30", "11:00"),
        },
    )
    assert edited.status_code == 200, edited.get_json()
    assert (edited.get_json()["title"], edited.get_json()["place"]) == (
        {"lt": "Kava ir pyragas"},
        "Terasa",
    )
    [line] = programme_of(system, event)
    assert [b["local_starts_at"] for b in line["bookings"]] == ["2026-05-04 10:30 EEST"]
    empty = system.as_officer("PATCH", url, {})
    assert empty.status_code == 422
    assert (
        system.client.patch(
            url, json={"place": "Kitur"}, headers=system.headers("mayor_office")
        ).status_code
        == 403
    )


def test_moments_are_answered_in_the_municipality_offset_whatever_the_request_gave(system):
    created = new_event(system, starts_at="2026-05-04T07:00:00Z", ends_at="2026-05-04T09:00:00Z")
    assert (created["starts_at"], created["ends_at"]) == (
        "2026-05-04T10:00:00+03:00",
        "2026-05-04T12:00:00+03:00",
    )
    read = system.as_officer("GET", f"/events/{created['id']}")
    assert moments_not_local(read.get_json(), "Europe/Vilnius") == []
    listed = system.as_officer("GET", "/events").get_json()
    assert moments_not_local(listed, "Europe/Vilnius") == []


# Award ceremonies ------------------------------------------------------------------------


def test_an_award_ceremony_from_nominees_to_certificates(system):
    ceremony = new_event(
        system,
        kind="ceremony",
        title={
            "lt": "Garbės piliečio vardo suteikimo ceremonija",
            "ka": "საპატიო მოქალაქის წოდების მინიჭების ცერემონია",
        },
    )["id"]
    nominees = {}
    for name, language in (("Nino Beridze", "ka"), ("Jonas Jonaitis", "lt")):
        created = system.as_officer(
            "POST",
            f"/events/{ceremony}/nominees",
            {
                "name": name,
                "language": language,
                "nominated_by": "Alytaus miesto taryba",
                "organisation": "Alytaus muzikos mokykla",
                "citation": "Už ilgametį kultūrinį bendradarbiavimą",
            },
        )
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["status"] == "nominated"
        nominees[name] = created.get_json()["id"]
    item = add_item(
        system,
        ceremony,
        "ceremony",
        {"lt": "Apdovanojimų įteikimas"},
        starts_at="2026-05-04T07:30:00+00:00",
        ends_at="2026-05-04T08:00:00+00:00",
    )
    assert item.status_code == 201, item.get_json()

    def decide(reference: str, decided_on: str, awardees: list[str]):
        body = {"reference": reference, "decided_on": decided_on, "awardees": awardees}
        body["body"] = "Alytaus miesto taryba"  # the deciding body, the same in every call
        return system.as_officer("PUT", f"/events/{ceremony}/award-decision", body)

    too_late = decide("T-45", "2026-05-05", [nominees["Nino Beridze"]])
    assert too_late.status_code == 422
    assert too_late.get_json()["errors"][0]["field"] == "decided_on"
    stranger = decide("T-45", "2026-03-12", [str(uuid.uuid4())])
    assert stranger.status_code == 422
    assert stranger.get_json()["errors"][0]["field"] == "awardees"

    decided = decide("T-45", "2026-03-12", [nominees["Nino Beridze"]])
    assert decided.status_code == 200, decided.get_json()
    award = system.as_officer("GET", f"/events/{ceremony}/award").get_json()
    assert award["decision"]["reference"] == "T-45"
    assert [a["name"] for a in award["awardees"]] == ["Nino Beridze"]
    assert {n["name"]: n["status"] for n in award["nominees"]} == {
        "Nino Beridze": "awarded",
        "Jonas Jonaitis": "nominated",
    }
    [line] = award["programme"]
    assert line["local_time"] == "2026-05-04 10:30 EEST – 11:00", "local time, not UTC"
    [certificate] = award["certificates"]
    assert certificate == {
        "certificate_number": "2026-001",
        "awardee": "Nino Beridze",
        "organisation": "Alytaus muzikos mokykla",
        "citation": "Už ilgametį kultūrinį bendradarbiavimą",
        "language": "ka",
        "award": {
            "lt": "Garbės piliečio vardo suteikimo ceremonija",
            "ka": "საპატიო მოქალაქის წოდების მინიჭების ცერემონია",
        },
        "decision_reference": "T-45",
        "decided_on": "2026-03-12",
        "decided_by_body": "Alytaus miesto taryba",
        "presented_on": "2026-05-04",
        "venue": "Rotušė, Didžioji salė",
        "municipality": {"lt": system.profile.name("lt"), "ka": system.profile.name("ka")},
    }
    # Both nominees' data was read twice: with the decision's answer and the award's.
    assert len(system.audit("nominee")) == 4
    [granted] = [m["payload"] for m in system.outbox("award.granted")]
    assert (
        granted["nominee_id"],
        granted["awardee"],
        granted["language"],
        granted["certificate_number"],
        granted["decision_reference"],
        granted["decided_on"],
    ) == (nominees["Nino Beridze"], "Nino Beridze", "ka", "2026-001", "T-45", "2026-03-12")
    assert granted["event_title"]["ka"] == "საპატიო მოქალაქის წოდების მინიჭების ცერემონია"

    # The decision corrected to name both: the first keeps her number, the second follows.
    both = decide("T-45/1", "2026-03-12", list(nominees.values())).get_json()
    assert {c["awardee"]: c["certificate_number"] for c in both["certificates"]} == {
        "Nino Beridze": "2026-001",
        "Jonas Jonaitis": "2026-002",
    }
    assert {c["decision_reference"] for c in both["certificates"]} == {"T-45/1"}
    # Only the newly named awardee is told; the first heard of it with the first decision.
    assert [m["payload"]["awardee"] for m in system.outbox("award.granted")] == [
        "Nino Beridze",
        "Jonas Jonaitis",
    ]


def test_only_a_ceremony_has_nominees(system):
    reception = new_event(system)["id"]
    refused = system.as_officer(
        "POST", f"/events/{reception}/nominees", {"name": "Nino Beridze", "nominated_by": "Taryba"}
    )
    assert refused.status_code == 409
    assert refused.get_json()["errors"][0]["field"] == "kind"
