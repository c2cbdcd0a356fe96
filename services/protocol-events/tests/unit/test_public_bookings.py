"""Residents' own bookings over HTTP with no token: hold, confirmation, expiry, one live
booking per contact and official, rate limits, the link's token."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import icalendar
from sqlalchemy import select

from protocol_events.adapters.models import Appointment

HOURS = [{"weekday": 4, "start": "14:00", "end": "16:00", "slot_minutes": 20}]
# Friday 13 March 2026 (the clock stands on Tuesday the 10th).
SLOT = "2026-03-13T14:00:00+02:00"
OTHER_SLOT = "2026-03-13T14:20:00+02:00"
WEEK = "from=2026-03-09&to=2026-03-15"


def official(system, **fields: Any) -> str:
    return system.add_official(
        {
            "name": f"Rimantas Vaitkūnas {uuid.uuid4().hex[:6]}",
            "staff_subject": "mayor-rv",
            "position": {"lt": "Meras", "sq": "Kryetar", "en": "Mayor"},
            "email": "meras@example.org",
            "place": "Rotušės a. 1, 201 kab.",
            **fields,
        },
        HOURS,
    )


def request_booking(
    system,
    official_id: str,
    starts_at: str = SLOT,
    email: str | None = None,
    client: str = "192.0.2.10",
    **visitor: Any,
):
    person = {
        "name": "Arbër Hoxha",
        "email": email or f"arber-{uuid.uuid4().hex[:8]}@example.org",
        "language": "sq",
        **visitor,
    }
    return system.client.post(
        "/public/bookings",
        environ_base={"REMOTE_ADDR": client},
        json={
            "official_id": official_id,
            "starts_at": starts_at,
            "topic": "Për ndriçimin e rrugës Žalgirio",
            "visitor": person,
        },
    )


def link_token(system) -> str:
    """The token of the newest confirmation link sent (as notifications receives it)."""
    url = system.outbox("appointment.confirmation_requested")[-1]["payload"]["confirmation_url"]
    assert url.startswith("http://127.0.0.1:8000/public/receptions/booking/")
    return url.rsplit("/", 1)[1]


def free_starts(system, official_id: str) -> list[str]:
    response = system.client.get(f"/public/officials/{official_id}/slots?{WEEK}")
    assert response.status_code == 200, response.get_json()
    return [slot["starts_at"] for slot in response.get_json()["slots"]]


def test_anyone_reads_officials_public_names_and_free_slots_only(system):
    official_id = official(system)
    listed = system.client.get("/public/officials").get_json()["items"]
    assert listed == [
        {
            "id": official_id,
            "name": listed[0]["name"],
            "position": {"lt": "Meras", "sq": "Kryetar", "en": "Mayor"},
            "place": "Rotušės a. 1, 201 kab.",
        }
    ]
    assert SLOT in free_starts(system, official_id)
    assert request_booking(system, official_id).status_code == 202
    slots = system.client.get(f"/public/officials/{official_id}/slots?{WEEK}").get_json()
    assert SLOT not in [s["starts_at"] for s in slots["slots"]]
    assert set(slots["slots"][0]) == {"starts_at", "ends_at"}  # nothing of who holds others
    assert system.client.get(f"/public/officials/{uuid.uuid4()}/slots?{WEEK}").status_code == 404
    too_long = system.client.get(
        f"/public/officials/{official_id}/slots?from=2026-03-01&to=2026-05-01"
    )
    assert too_long.status_code == 422


def test_a_held_slot_is_confirmed_by_the_link_and_only_then_the_official_is_told(system):
    official_id = official(system)
    held = request_booking(system, official_id)
    assert held.status_code == 202, held.get_json()
    assert held.get_json()["status"] == "pending"
    assert "token" not in str(held.get_json())
    assert system.outbox("appointment.booked") == []
    token = link_token(system)
    message = system.outbox("appointment.confirmation_requested")[-1]["payload"]
    assert message["visitor"]["language"] == "sq"
    assert message["expires_at"].startswith("2026-03-10T08:00:00")  # 30 minutes

    confirmed = system.client.post(f"/public/bookings/{token}/confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["status"] == "booked"
    booked = system.outbox("appointment.booked")
    assert len(booked) == 1
    assert booked[0]["payload"]["booked_by"] == "public"
    again = system.client.post(f"/public/bookings/{token}/confirm")
    assert again.status_code == 200
    assert len(system.outbox("appointment.booked")) == 1

    calendar = system.client.get(f"/public/bookings/{token}/calendar.ics?lang=sq")
    assert calendar.status_code == 200
    [entry] = icalendar.Calendar.from_ical(calendar.data).walk("VEVENT")
    assert str(entry["SUMMARY"]).startswith("Pritja e qytetarëve: takim — Rimantas")
    view = system.client.get(f"/public/bookings/{token}").get_json()
    assert view["topic"] == "Për ndriçimin e rrugës Žalgirio"


def test_an_unconfirmed_hold_expires_and_frees_its_slot(system):
    official_id = official(system)
    assert request_booking(system, official_id).status_code == 202
    token = link_token(system)
    system.clock.advance(minutes=29)
    assert SLOT not in free_starts(system, official_id)
    system.clock.advance(minutes=2)
    assert SLOT in free_starts(system, official_id)
    late = system.client.post(f"/public/bookings/{token}/confirm")
    assert late.status_code == 409
    assert late.get_json()["errors"][0]["reason"] == "expired, not pending"
    # Someone else takes the freed slot at once, before the timer marks the hold expired.
    assert request_booking(system, official_id).status_code == 202
    assert system.appointments.expire_holds() == 0
    system.clock.advance(minutes=31)
    assert system.appointments.expire_holds() == 1


def test_one_live_booking_per_contact_and_official(system):
    official_id = official(system)
    assert request_booking(system, official_id, email="Nino.Beridze@example.org").status_code == 202
    token = link_token(system)
    assert system.client.post(f"/public/bookings/{token}/confirm").status_code == 200
    second = request_booking(system, official_id, OTHER_SLOT, email="NINO.Beridze@example.org")
    assert second.status_code == 409, second.get_json()
    assert second.get_json()["errors"][0]["reason"] == ("one live booking per contact and official")
    # Another official is another matter.
    assert (
        request_booking(system, official(system), email="nino.beridze@example.org").status_code
        == 202
    )
    system.clock.advance(hours=1, seconds=1)  # past the per-contact window
    assert (
        request_booking(
            system, official_id, OTHER_SLOT, email="nino.beridze@example.org"
        ).status_code
        == 409
    )
    # A cancelled booking is no longer live.
    assert system.client.post(f"/public/bookings/{token}/cancel").status_code == 200
    assert (
        request_booking(
            system, official_id, OTHER_SLOT, email="nino.beridze@example.org"
        ).status_code
        == 202
    )


def test_the_same_phone_however_written_is_one_contact(system):
    official_id = official(system)

    def by_phone(starts_at: str, phone: str):
        return system.client.post(
            "/public/bookings",
            json={
                "official_id": official_id,
                "starts_at": starts_at,
                "topic": "Ndriçimi",
                "visitor": {"name": "Arbër Hoxha", "phone": phone, "language": "sq"},
            },
        )

    assert by_phone(SLOT, "+355 69 000 0000").status_code == 202
    assert by_phone(OTHER_SLOT, "+355 (69) 000-0000").status_code == 409
    # With an e-mail address given too, the e-mail is the contact.
    assert (
        request_booking(system, official_id, OTHER_SLOT, phone="+355690000000").status_code == 202
    )


def test_requests_are_limited_per_contact_and_per_client(system):
    official_id = official(system)
    for _ in range(3):
        assert request_booking(
            system, official_id, email="arta@example.org", client="192.0.2.20"
        ).status_code in (202, 409)
    refused = request_booking(system, official_id, email="arta@example.org", client="192.0.2.21")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.content_type == "application/problem+json"

    for _ in range(10 - 3):
        assert request_booking(system, official_id, client="192.0.2.20").status_code != 429
    assert request_booking(system, official_id, client="192.0.2.20").status_code == 429
    assert request_booking(system, official_id, client="192.0.2.22").status_code != 429
    system.clock.advance(hours=1, seconds=1)
    assert request_booking(system, official_id, client="192.0.2.20").status_code != 429


def test_the_link_token_cancels_and_is_kept_only_as_a_digest(system):
    official_id = official(system)
    assert request_booking(system, official_id).status_code == 202
    token = link_token(system)
    assert system.client.post(f"/public/bookings/{token}/confirm").status_code == 200
    appointments = system.snapshot()["appointments"]
    assert token not in str(appointments)
    assert hashlib.sha256(token.encode()).hexdigest() in str(appointments)
    assert system.client.post(f"/public/bookings/{token[:-1]}x/cancel").status_code == 404
    cancelled = system.client.post(f"/public/bookings/{token}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert [m["payload"]["cancelled_by"] for m in system.outbox("appointment.cancelled")] == [
        "public"
    ]
    assert SLOT in free_starts(system, official_id)
    assert system.client.post(f"/public/bookings/{token}/cancel").status_code == 409
    assert system.client.get(f"/public/bookings/{token}/calendar.ics").status_code == 409
    with system.wiring.engine.connect() as connection:
        assert connection.scalar(select(Appointment.booked_by)) == "public"


def test_a_taken_slot_is_refused_in_words_and_staff_booking_counts(system):
    official_id = official(system)
    staff = system.book(
        official_id, SLOT, {"name": "Ona Žemaitytė", "email": "ona@example.org"}, "Dėl gatvės"
    )
    assert staff.status_code == 201
    taken = request_booking(system, official_id)
    assert taken.status_code == 409
    assert "already booked" in taken.get_json()["detail"]
    same_person = request_booking(system, official_id, OTHER_SLOT, email="ona@example.org")
    assert same_person.get_json()["errors"][0]["reason"] == (
        "one live booking per contact and official"
    )


def test_a_clerk_cancelling_an_unconfirmed_hold_frees_the_slot_and_tells_nobody(system):
    official_id = official(system)
    assert request_booking(system, official_id).status_code == 202
    clerk = system.headers("registrar")
    [held] = system.client.get(
        f"/appointments?official_id={official_id}", headers=clerk
    ).get_json()["items"]
    assert held["status"] == "pending"
    early = system.client.post(
        f"/appointments/{held['id']}/visits", headers=clerk, json={"action": "arrived"}
    )
    assert early.status_code == 409, "nobody arrives for an unconfirmed hold"
    cancelled = system.client.post(
        f"/appointments/{held['id']}/cancel", headers=clerk, json={"reason": "Dublikatas"}
    )
    assert cancelled.status_code == 200
    assert system.outbox("appointment.cancelled") == []
    assert SLOT in free_starts(system, official_id)
