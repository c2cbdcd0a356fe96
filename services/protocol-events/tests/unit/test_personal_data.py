"""People's rights: protocol-events gathers a visitor's appointments and erases past ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from chancery.clock import utcnow
from chancery.processing import activities
from protocol_events.adapters.models import Appointment, Base, Official, VisitEntry


def _book(system, visitor: str, email: str, starts_at: datetime) -> str:
    appointment_id = str(uuid.uuid4())
    with system.wiring.unit_of_work() as uow:
        official = Official(
            id=str(uuid.uuid4()),
            name="Nerijus Cesiulis",
            position={"lt": "meras"},
            addressee_kind="mayor",
        )
        uow.session.add(official)
        uow.session.flush()
        uow.session.add(
            Appointment(
                id=appointment_id,
                official_id=official.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=15),
                topic="Dėl kiemo remonto",
                visitor_name=visitor,
                visitor_email=email,
                status="booked",
                booked_by="registrar-1",
                booked_at=starts_at - timedelta(days=3),
            )
        )
        uow.session.flush()
        uow.session.add(
            VisitEntry(
                appointment_id=appointment_id,
                action="arrived",
                at=starts_at,
                recorded_by="registrar-1",
            )
        )
        uow.commit()
    return appointment_id


def _ask_and_keep_the_upcoming(system, right: str, email: str, past_outcome: str) -> None:
    """Ask ``right`` for ``email``'s bookings: the past one comes out ``past_outcome``, the
    upcoming one is kept, and the answer says why."""
    outcomes = system.ask_about_a_person(right, email=email)["outcomes"]
    assert sorted(entry["outcome"] for entry in outcomes) == sorted([past_outcome, "kept"])
    [kept] = [entry for entry in outcomes if entry["outcome"] == "kept"]
    assert "upcoming booking" in kept["reason"]


def test_access_finds_the_visitors_appointment_with_its_visits(system) -> None:
    email = f"ruta.{uuid.uuid4().hex[:6]}@example.org"
    _book(system, "Rūta Šimkienė", email, datetime(2025, 5, 6, 8, 0, tzinfo=UTC))
    _book(system, "Petras Kazlauskas", "petras@example.org", datetime(2025, 5, 6, 9, 0, tzinfo=UTC))
    answer = system.ask_about_a_person("access", name="rūta šimkienė")
    [found] = answer["records"]
    assert found["kind"] == "appointment"
    assert found["data"]["visitor_email"] == email
    assert found["data"]["visits"][0]["action"] == "arrived"
    assert "Nerijus Cesiulis" in found["reference"]


def test_erase_empties_a_past_appointment_and_keeps_an_upcoming_one(system) -> None:
    email = f"ilze.{uuid.uuid4().hex[:6]}@example.org"
    past = _book(system, "Ilze Bērziņa", email, datetime(2025, 5, 6, 8, 0, tzinfo=UTC))
    _book(system, "Ilze Bērziņa", email, utcnow() + timedelta(days=30))
    _ask_and_keep_the_upcoming(system, "erase", email, "erased")
    with system.wiring.unit_of_work() as uow:
        erased = uow.session.get(Appointment, past)
        assert erased is not None
        assert (erased.visitor_name, erased.visitor_email, erased.topic) == ("—", None, "—")
        assert erased.status == "booked"


def test_visitors_are_pseudonymised_once_their_period_is_over(system) -> None:
    email = f"arber.{uuid.uuid4().hex[:6]}@example.org"
    old = _book(system, "Arbër Hoxha", email, utcnow() - timedelta(days=800))
    recent = _book(system, "Arbër Hoxha", email, utcnow() - timedelta(days=30))
    counts = system.wiring.purge()
    assert counts["pseudonymised_visitors"] == 1
    with system.wiring.unit_of_work() as uow:
        gone = uow.session.get(Appointment, old)
        kept = uow.session.get(Appointment, recent)
        assert gone is not None
        assert kept is not None
        assert (gone.visitor_name, gone.visitor_email, gone.topic) == (
            f"visitor {old[:8]}",
            None,
            "—",
        )
        assert (kept.visitor_name, kept.visitor_email) == ("Arbër Hoxha", email)
    assert system.wiring.purge()["pseudonymised_visitors"] == 0


def test_the_declared_processing_names_tables_protocol_events_keeps() -> None:
    declared = {table for activity in activities("protocol-events") for table in activity.tables}
    assert declared
    assert declared <= set(Base.metadata.tables)


def test_restrict_marks_a_past_appointment_and_keeps_an_upcoming_one_going(system) -> None:
    email = f"nino.{uuid.uuid4().hex[:6]}@example.org"
    past = _book(system, "ნინო ბერიძე", email, datetime(2025, 5, 6, 8, 0, tzinfo=UTC))
    upcoming = _book(system, "ნინო ბერიძე", email, utcnow() + timedelta(days=30))
    other = _book(
        system, "Petras Kazlauskas", "petras@example.org", datetime(2025, 5, 6, 9, 0, tzinfo=UTC)
    )
    _ask_and_keep_the_upcoming(system, "restrict", email, "restricted")
    with system.wiring.unit_of_work() as uow:
        restricted = uow.session.get(Appointment, past)
        assert restricted.restricted_at is not None
        assert restricted.visitor_name == "ნინო ბერიძე"  # stored, not erased
        assert uow.session.get(Appointment, upcoming).restricted_at is None
        assert uow.session.get(Appointment, other).restricted_at is None
    [found] = [
        r
        for r in system.ask_about_a_person("access", email=email)["records"]
        if r["data"].get("restricted_at")
    ]
    assert found["reference"].startswith("2025-05-06")


def test_a_restricted_appointment_is_listed_only_for_the_dpo_and_not_handed_over(system) -> None:
    email = f"elira.{uuid.uuid4().hex[:6]}@example.org"
    restricted = _book(system, "Elira Krasniqi", email, datetime(2025, 5, 6, 8, 0, tzinfo=UTC))
    other = _book(
        system, "Petras Kazlauskas", "petras@example.org", datetime(2025, 5, 6, 9, 0, tzinfo=UTC)
    )
    system.ask_about_a_person("restrict", name="Elira Krasniqi")

    def listed(*roles: str) -> set[str]:
        response = system.client.get("/appointments", headers=system.headers(*roles))
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]}

    assert listed("registrar") == {other}
    assert listed("data_protection_officer") == {restricted, other}
    log = system.client.get(
        "/appointments/visitor-log?day=2025-05-06", headers=system.headers("registrar")
    ).get_json()["items"]
    assert [entry["appointment_id"] for entry in log] == [other]
    handed = system.client.post(
        f"/appointments/{restricted}/hand-over",
        json={"kind": "application"},
        headers=system.headers("registrar"),
    )
    assert handed.status_code == 409
    assert [(e["field"], e["reason"]) for e in handed.get_json()["errors"]] == [
        ("restricted_at", "restricted")
    ]
    assert system.outbox("letter.submitted") == []
