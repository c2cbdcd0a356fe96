"""Reception hours over HTTP on SQLite: slots, bookings, the visitor log, reminders, feeds."""

from __future__ import annotations

import uuid
from typing import Any

import icalendar

from chancery_testing import sample_payloads
from protocol_events.config import load_settings

OFFICER = ("protocol_officer",)
FRIDAY_SLOT = "2026-03-13T15:20:00+02:00"
HOURS = [
    {"weekday": 0, "start": "13:00", "end": "16:00", "slot_minutes": 20},
    {"weekday": 2, "start": "09:00", "end": "11:00", "slot_minutes": 30},
    {"weekday": 4, "start": "14:00", "end": "16:00", "slot_minutes": 20},
]
VISITORS = {
    "lt": {"name": "Ona Žemaitytė", "email": "ona.zemaityte@example.org", "language": "lt"},
    "lv": {"name": "Jānis Bērziņš", "phone": "+371 2000 0000", "language": "lv"},
    "ka": {"name": "ნინო ბერიძე", "email": "nino.beridze@example.org", "language": "ka"},
    "sq": {"name": "Arbër Hoxha", "phone": "+355 69 000 0000", "language": "sq"},
}


# Intake's announcement of a letter registered from a reception (its letter id set per test).
LETTER_REGISTERED = {
    **sample_payloads()["letter.registered"],
    "registration_number": "P-2026-00042",
    "channel": "in_person",
}


def official(system, **fields: Any) -> str:
    return system.add_official(
        {
            "name": "Rimantas Vaitkūnas",
            "staff_subject": "mayor-rv",
            "position": {"lt": "Meras", "ka": "მერი", "en": "Mayor"},
            "place": "Rotušės a. 1, 201 kab.",
            **fields,
        },
        HOURS,
    )


def book(
    system,
    official_id: str,
    starts_at: str = FRIDAY_SLOT,
    language: str = "lt",
    key: str | None = None,
    subject: str | None = None,
    topic: str | None = None,
):
    headers = system.headers("registrar", subject=subject or "clerk-1")
    if key:
        headers["Idempotency-Key"] = key
    return system.book(
        official_id,
        starts_at,
        VISITORS[language],
        topic or "Dėl gatvės apšvietimo Žalgirio gatvėje",
        headers,
    )


def test_slots_follow_the_working_calendar(system):
    official_id = official(system)
    response = system.client.get(
        f"/officials/{official_id}/slots?from=2026-03-09&to=2026-03-15",
        headers=system.headers("registrar"),
    )
    body = response.get_json()
    starts = [s["starts_at"] for s in body["slots"]]
    assert "2026-03-09T13:00:00+02:00" in starts
    assert not any(s.startswith("2026-03-11") for s in starts)  # a public holiday
    assert [s for s in starts if s.startswith("2026-03-13")][-1] == FRIDAY_SLOT  # short Friday
    assert [(d["day"], d["reason"].startswith("public holiday")) for d in body["closed_days"]] == [
        ("2026-03-11", True)
    ]
    assert all(s["free"] for s in body["slots"])
    too_long = system.client.get(
        f"/officials/{official_id}/slots?from=2026-03-01&to=2026-09-01",
        headers=system.headers("registrar"),
    )
    assert too_long.status_code == 422


def test_a_booking_is_announced_once_and_a_retry_with_its_key_books_nothing_new(system):
    official_id = official(system)
    first = book(system, official_id, key="k-1")
    assert first.status_code == 201, first.get_json()
    again = book(system, official_id, key="k-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    [booked] = system.outbox("appointment.booked")
    assert booked["payload"]["visitor"]["name"] == "Ona Žemaitytė"
    assert booked["payload"]["official_position"]["ka"] == "მერი"
    assert booked["payload"]["starts_at"] == FRIDAY_SLOT
    other_body = book(system, official_id, key="k-1", language="ka")
    assert other_body.status_code == 422
    slots = system.client.get(
        f"/officials/{official_id}/slots?from=2026-03-13&to=2026-03-13",
        headers=system.headers("registrar"),
    ).get_json()["slots"]
    assert [s["free"] for s in slots if s["starts_at"] == FRIDAY_SLOT] == [False]


def test_a_taken_slot_is_a_409_and_a_cancelled_one_can_be_booked_again(system):
    official_id = official(system)
    first = book(system, official_id)
    before = system.snapshot()
    taken = book(system, official_id, language="lv", subject="clerk-2")
    assert taken.status_code == 409
    assert taken.get_json()["errors"][0]["reason"] == "slot already booked"
    assert system.snapshot() == before
    cancelled = system.client.post(
        f"/appointments/{first.get_json()['id']}/cancel",
        json={"reason": "Gyventoja negali atvykti"},
        headers=system.headers("system"),
    )
    assert cancelled.get_json()["status"] == "cancelled"
    [message] = system.outbox("appointment.cancelled")
    assert message["payload"]["reason"] == "Gyventoja negali atvykti"
    assert book(system, official_id, language="lv").status_code == 201
    twice = system.client.post(
        f"/appointments/{first.get_json()['id']}/cancel",
        json={"reason": "x"},
        headers=system.headers("registrar"),
    )
    assert twice.status_code == 409


def test_only_real_slots_within_the_horizon_can_be_booked(system):
    official_id = official(system)
    for starts_at, reason in (
        ("2026-03-13T15:40:00+02:00", "not a reception slot"),
        ("2026-03-11T09:00:00+02:00", "not a reception slot"),
        ("2026-03-09T13:00:00+02:00", "in the past"),
        ("2027-03-12T14:00:00+02:00", "beyond the booking horizon"),
    ):
        refused = book(system, official_id, starts_at=starts_at)
        assert refused.status_code == 422, starts_at
        assert refused.get_json()["errors"][0]["reason"] == reason
    holiday = book(system, official_id, starts_at="2026-03-11T09:00:00+02:00")
    assert "public holiday" in holiday.get_json()["detail"]
    unknown = book(system, str(uuid.uuid4()))
    assert unknown.status_code == 404
    no_contact = system.book(official_id, FRIDAY_SLOT, {"name": "Nobody"}, "x")
    assert no_contact.status_code == 422
    assert no_contact.get_json()["errors"][0]["field"] == "visitor.email"
    assert (
        system.client.post(
            "/appointments", headers=system.headers("mayor_office"), json={}
        ).status_code
        == 403
    )


def test_every_language_survives_the_round_trip(system):
    official_id = official(system)
    slots = [
        "2026-03-16T13:00:00+02:00",
        "2026-03-16T13:20:00+02:00",
        "2026-03-16T13:40:00+02:00",
        "2026-03-16T14:00:00+02:00",
    ]
    topics = {
        "lt": "Dėl šaligatvio remonto",
        "lv": "Par ielas apgaismojumu Ķīšezera ielā",
        "ka": "ქუჩის განათების შესახებ",
        "sq": "Për ndriçimin e rrugës së shkollës",
    }
    for (language, topic), slot in zip(topics.items(), slots, strict=True):
        assert (
            book(system, official_id, starts_at=slot, language=language, topic=topic).status_code
            == 201
        )
    listed = system.client.get(
        f"/appointments?official_id={official_id}&day=2026-03-16",
        headers=system.headers("registrar", subject="reader-1"),
    )
    assert [(a["topic"], a["visitor"]["name"]) for a in listed.get_json()["items"]] == [
        (topics[lang], VISITORS[lang]["name"]) for lang in topics
    ]
    assert {(actor, action) for actor, action, _ in system.audit("appointment")} == {
        ("reader-1", "list")
    }


def test_the_visitor_log_records_who_came_when(system):
    official_id = official(system)
    appointment = book(system, official_id).get_json()["id"]
    no_show = book(
        system, official_id, starts_at="2026-03-13T15:00:00+02:00", language="sq"
    ).get_json()["id"]
    system.clock.advance(days=3, hours=5, minutes=50)  # Friday 13 March, 15:20 local
    for action in ("arrived", "seen", "left"):
        logged = system.client.post(
            f"/appointments/{appointment}/visits",
            json={"action": action},
            headers=system.headers("registrar"),
        )
        assert logged.get_json()["status"] == action
        system.clock.advance(minutes=10)
    system.client.post(
        f"/appointments/{no_show}/visits",
        json={"action": "no_show"},
        headers=system.headers("registrar"),
    )
    late = system.client.post(
        f"/appointments/{no_show}/visits",
        json={"action": "arrived"},
        headers=system.headers("registrar"),
    )
    assert late.status_code == 409
    assert "no_show" in late.get_json()["detail"]
    log = system.client.get(
        "/appointments/visitor-log?day=2026-03-13",
        headers=system.headers("registrar", subject="door-1"),
    ).get_json()["items"]
    assert [(e["visitor_name"], e["action"]) for e in log] == [
        ("Ona Žemaitytė", "arrived"),
        ("Ona Žemaitytė", "seen"),
        ("Ona Žemaitytė", "left"),
        ("Arbër Hoxha", "no_show"),
    ]
    assert {(e["official_name"], e["local_at"]) for e in log if e["action"] == "arrived"} == {
        ("Rimantas Vaitkūnas", "2026-03-13 15:20 EET")
    }
    read = system.client.get(f"/appointments/{appointment}", headers=system.headers("registrar"))
    assert [e["action"] for e in read.get_json()["log"]] == ["arrived", "seen", "left"]
    assert read.get_json()["official_name"] == "Rimantas Vaitkūnas"
    assert read.get_json()["local_starts_at"].endswith(" EET")
    assert ("door-1", "read") in {(a, b) for a, b, _ in system.audit("visitor_log")}


def test_no_show_and_arrival_are_refused_before_their_time(system):
    official_id = official(system)
    appointment = book(system, official_id, starts_at="2026-03-13T15:00:00+02:00").get_json()
    system.clock.advance(days=3, hours=5)  # Friday 13 March, 14:30 local: half an hour early
    for action, reason in (
        ("no_show", "no_show before the slot starts"),
        ("arrived", "arrived before 15 minutes before the slot"),
    ):
        early = system.client.post(
            f"/appointments/{appointment['id']}/visits",
            json={"action": action},
            headers=system.headers("registrar"),
        )
        assert early.status_code == 409, early.get_json()
        assert (
            early.get_json()["errors"][0]["field"],
            early.get_json()["errors"][0]["reason"],
        ) == ("action", reason)
        assert "2026-03-13 15:00" in early.get_json()["detail"]
    system.clock.advance(minutes=20)  # 14:50: early enough to wait, too early to be absent
    assert (
        system.client.post(
            f"/appointments/{appointment['id']}/visits",
            json={"action": "no_show"},
            headers=system.headers("registrar"),
        ).status_code
        == 409
    )
    arrived = system.client.post(
        f"/appointments/{appointment['id']}/visits",
        json={"action": "arrived"},
        headers=system.headers("registrar"),
    )
    assert arrived.get_json()["status"] == "arrived"


def test_a_reminder_is_published_once_within_the_lead_time(system):
    official_id = official(system)
    book(system, official_id)
    assert system.appointments.send_reminders("c-1") == 0  # three days ahead
    system.clock.advance(days=2, hours=8)  # Thursday 17:30 local: 22 hours before
    assert system.appointments.send_reminders("c-2") == 1
    assert system.appointments.send_reminders("c-3") == 0
    [reminder] = system.outbox("appointment.reminder_due")
    assert reminder["payload"]["hours_before"] == 24
    assert reminder["payload"]["visitor"]["language"] == "lt"


def test_a_topic_that_is_a_letter_is_handed_to_intake_once(system):
    official_id = official(system, addressee_kind="mayor")
    appointment = book(
        system, official_id, language="ka", topic="განცხადება ქუჩის განათების შესახებ"
    ).get_json()["id"]
    for _ in range(2):
        handed = system.client.post(
            f"/appointments/{appointment}/hand-over",
            json={"kind": "application"},
            headers=system.headers("registrar"),
        )
        assert handed.status_code == 200, handed.get_json()
    [command] = system.outbox("letter.submitted")
    payload = command["payload"]
    assert payload["idempotency_key"] == f"protocol-events:appointment:{appointment}"
    assert payload["channel"] == "in_person"
    assert payload["language"] == "ka"
    assert payload["subject"] == "განცხადება ქუჩის განათების შესახებ"
    assert payload["sender"]["name"] == "ნინო ბერიძე"
    assert payload["addressee"] == {"kind": "mayor", "name": "Rimantas Vaitkūnas"}
    assert handed.get_json()["intake_key"] == payload["idempotency_key"]

    # Intake's announcement of the registration names the key: the number is noted.
    letter_id = str(uuid.uuid4())
    registered = {
        **LETTER_REGISTERED,
        "letter_id": letter_id,
        "source_reference": payload["idempotency_key"],
    }
    system.deliver("letter.registered", registered)
    system.deliver(
        "letter.registered",
        {
            **LETTER_REGISTERED,
            "letter_id": str(uuid.uuid4()),
            "registration_number": "P-2026-00099",
        },
    )
    noted = system.client.get(
        f"/appointments/{appointment}", headers=system.headers("registrar")
    ).get_json()
    assert (noted["letter_id"], noted["registration_number"]) == (letter_id, "P-2026-00042")


def test_an_officials_feed_lists_events_and_appointments_without_visitors(system):
    official_id = official(system)
    book(system, official_id)
    event = system.new_event(
        kind="ceremony",
        protocol_level="municipal",
        title={"lt": "Garbės piliečio ceremonija", "sq": "Ceremonia e Qytetarit Nderi"},
        starts_at="2026-03-20T15:00:00+02:00",
        ends_at="2026-03-20T16:00:00+02:00",
    )
    system.client.post(
        f"/events/{event['id']}/participants",
        headers=system.headers(*OFFICER),
        json={
            "kind": "internal",
            "name": "Rimantas Vaitkūnas",
            "rank": "mayor",
            "official_id": official_id,
            "host": True,
        },
    )
    system.client.post(
        f"/events/{event['id']}/status",
        json={"status": "planned"},
        headers=system.headers(*OFFICER),
    )
    issued = system.client.post(
        f"/officials/{official_id}/feed", headers=system.headers(*OFFICER)
    ).get_json()
    assert issued["url"] == f"https://chancery.example.org/feeds/{issued['token']}.ics"
    feed = system.client.get(f"/feeds/{issued['token']}.ics")
    assert feed.status_code == 200
    parsed = icalendar.Calendar.from_ical(feed.data)
    summaries = sorted(str(v["summary"]) for v in parsed.walk("VEVENT"))
    assert summaries == ["Garbės piliečio ceremonija", "Gyventojų priėmimas: vizitas"]
    assert "Žemaitytė" not in feed.data.decode("utf-8")
    albanian = icalendar.Calendar.from_ical(
        system.client.get(f"/feeds/{issued['token']}.ics?lang=sq").data
    )
    assert sorted(str(v["summary"]) for v in albanian.walk("VEVENT")) == [
        "Ceremonia e Qytetarit Nderi",
        "Pritja e qytetarëve: takim",
    ]
    # Georgian: the ceremony has no Georgian title, so the municipality's Lithuanian one.
    georgian = icalendar.Calendar.from_ical(
        system.client.get(f"/feeds/{issued['token']}.ics?lang=ka").data
    )
    assert sorted(str(v["summary"]) for v in georgian.walk("VEVENT")) == [
        "Garbės piliečio ceremonija",
        "მოქალაქეთა მიღება: ვიზიტი",
    ]
    assert system.client.get(f"/feeds/{issued['token']}.ics?lang=xx").status_code == 422
    in_albanian = system.client.post(
        f"/officials/{official_id}/feed?lang=sq", headers=system.headers(*OFFICER)
    ).get_json()
    assert in_albanian["url"].endswith(f"/feeds/{in_albanian['token']}.ics?lang=sq")
    issued = system.client.post(
        f"/officials/{official_id}/feed", headers=system.headers(*OFFICER)
    ).get_json()
    # A new token retires the old one.
    system.client.post(f"/officials/{official_id}/feed", headers=system.headers(*OFFICER))
    assert system.client.get(f"/feeds/{issued['token']}.ics").status_code == 404
    assert system.client.get("/feeds/short.ics").status_code == 404


def test_officials_are_listed_with_their_hours_in_every_language(system):
    official_id = official(
        system, name="Ilze Ozoliņa", position={"lv": "Mēra vietniece", "sq": "Zëvendëskryetare"}
    )
    listed = system.client.get("/officials", headers=system.headers("registrar")).get_json()[
        "items"
    ]
    [found] = [o for o in listed if o["id"] == official_id]
    assert found["name"] == "Ilze Ozoliņa"
    assert found["position"] == {"lv": "Mēra vietniece", "sq": "Zëvendëskryetare"}
    assert found["hours"][0] == {
        "weekday": 0,
        "start": "13:00",
        "end": "16:00",
        "slot_minutes": 20,
        "valid_from": None,
        "valid_until": None,
    }
    bad = system.client.put(
        f"/officials/{official_id}/hours",
        json={
            "hours": [
                {"weekday": 7, "start": "13:00", "end": "16:00", "slot_minutes": 20},
                {"weekday": 1, "start": "16:00", "end": "13:00", "slot_minutes": 20},
            ]
        },
        headers=system.headers(*OFFICER),
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"hours.0.weekday", "hours.1.end"}


def test_the_demo_data_loads_once(system):
    from protocol_events.demo import load_demo_data

    assert load_demo_data(system.wiring) == 5
    assert load_demo_data(system.wiring) == 0
    events = system.client.get("/events", headers=system.headers(*OFFICER)).get_json()["items"]
    assert {e["kind"] for e in events} == {"delegation_visit", "press_conference", "ceremony"}


def test_an_unconfigured_instance_links_its_feed_to_the_address_it_was_reached_at(system):
    official_id = official(system)
    assert (
        load_settings({"DATABASE_URL": "sqlite://", "BROKER_URL": "memory://"}).public_url is None
    )
    system.app.extensions["public_url"] = None  # as bootstrapped without the setting
    issued = system.client.post(
        f"/officials/{official_id}/feed",
        base_url="https://priimamasis.alytus.example",
        headers=system.headers(*OFFICER),
    ).get_json()
    assert issued["url"] == (f"https://priimamasis.alytus.example/feeds/{issued['token']}.ics")
