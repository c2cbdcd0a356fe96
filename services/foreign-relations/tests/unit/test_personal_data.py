"""People's rights: foreign-relations gathers a traveller's trips, keeps them, erases delegates,
restricts what has ended."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from chancery.clock import utcnow
from chancery.personal_data import PROCESSING_GOES_ON
from chancery.processing import activities
from foreign_relations.adapters.models import Base, Traveller, Trip, Visit
from foreign_relations.usecases.personal_data import KEEP_TRIP_NOT_BACK, KEEP_UPCOMING_VISIT


def _stored_trip(
    system,
    traveller: str,
    title: str,
    city: str,
    country: str,
    departs_on: date,
    status: str,
    **details,
) -> Traveller:
    """A trip of ``traveller`` written straight to the database (three days away), its row."""
    with system.wiring.unit_of_work() as uow:
        trip = Trip(
            id=str(uuid.uuid4()),
            title=title,
            city=city,
            country=country,
            departs_on=departs_on,
            returns_on=departs_on + timedelta(days=3),
            status=status,
            created_at=utcnow(),
        )
        uow.session.add(trip)
        uow.session.flush()
        row = Traveller(id=str(uuid.uuid4()), trip_id=trip.id, name=traveller, **details)
        uow.session.add(row)
        uow.commit()
    return row


def _trip(system, traveller: str) -> None:
    _stored_trip(
        system,
        traveller,
        "Darbo vizitas į Kutaisį",
        "Kutaisi",
        "GE",
        date(2025, 9, 1),
        "completed",
        position="mero patarėja",
        head=False,
    )


def _visit(system, arrives_at: datetime, *names: str) -> str:
    visit_id = str(uuid.uuid4())
    with system.wiring.unit_of_work() as uow:
        uow.session.add(
            Visit(
                id=visit_id,
                title="Delegacija iš Tartu",
                city="Tartu",
                country="EE",
                arrives_at=arrives_at,
                departs_at=arrives_at + timedelta(days=2),
                status="approved",
                members=[{"name": name, "head": index == 0} for index, name in enumerate(names)],
                created_at=utcnow(),
            )
        )
        uow.commit()
    return visit_id


def test_access_finds_the_persons_trip(system) -> None:
    _trip(system, "Aistė Vaitkutė")
    _trip(system, "Tomas Jankauskas")
    [travel] = system.ask_about_a_person("access", name="Aistė Vaitkutė")["records"]
    assert (travel["kind"], travel["reference"]) == ("traveller", "2025-09-01 Kutaisi")
    assert travel["data"]["trip"] == "Darbo vizitas į Kutaisį"


def test_erase_keeps_the_travel_record_and_empties_a_past_visits_delegate(system) -> None:
    _trip(system, "Mari Tamm")
    past = _visit(system, datetime(2025, 4, 2, 9, 0, tzinfo=UTC), "Jaan Kask", "Mari Tamm")
    answer = system.ask_about_a_person("erase", name="Mari Tamm")
    outcomes = {entry["kind"]: entry for entry in answer["outcomes"]}
    assert outcomes["traveller"]["outcome"] == "kept"
    assert "accounting" in outcomes["traveller"]["reason"]
    assert outcomes["visit_member"]["outcome"] == "erased"
    with system.wiring.unit_of_work() as uow:
        visit = uow.session.get(Visit, past)
        assert visit is not None
        assert [member["name"] for member in visit.members] == ["Jaan Kask", "—"]


def test_travellers_are_pseudonymised_once_the_accounting_retention_is_over(system) -> None:
    _trip(system, "Arta Krasniqi")
    traveller = _stored_trip(
        system,
        "Arta Krasniqi",
        "Vizitë në Tiranë",
        "Tirana",
        "AL",
        date(2012, 5, 2),
        "completed",
        passport_expires_on=date(2015, 1, 1),
    )
    assert system.wiring.purge()["pseudonymised_travellers"] == 1
    [recent] = system.ask_about_a_person("access", name="Arta Krasniqi")["records"]
    assert recent["reference"] == "2025-09-01 Kutaisi"
    with system.wiring.unit_of_work() as uow:
        gone = uow.session.get(Traveller, traveller.id)
        assert gone is not None
        assert (gone.name, gone.passport_expires_on) == (f"traveller {traveller.id[:8]}", None)


def test_the_declared_processing_names_tables_foreign_relations_keeps() -> None:
    declared = {table for activity in activities("foreign-relations") for table in activity.tables}
    assert declared
    assert declared <= set(Base.metadata.tables)


def _trip_ahead(system, traveller: str) -> None:
    departs = utcnow().date() + timedelta(days=20)
    _stored_trip(
        system, traveller, "Vizitë në Gjirokastër", "Gjirokastër", "AL", departs, "approved"
    )


def _restricted_travellers(system) -> dict[str, bool]:
    with system.wiring.unit_of_work() as uow:
        return {
            f"{trip.city}/{traveller.name}": traveller.restricted_at is not None
            for traveller, trip in uow.session.execute(
                select(Traveller, Trip).join(Trip, Trip.id == Traveller.trip_id)
            )
        }


def test_restrict_marks_a_returned_traveller_and_a_past_delegate_and_says_why_not_others(
    system,
) -> None:
    _trip(system, "Eka Beridze")
    _trip_ahead(system, "Eka Beridze")
    _trip(system, "Tomas Jankauskas")
    past = _visit(system, datetime(2025, 4, 2, 9, 0, tzinfo=UTC), "Jaan Kask", "Eka Beridze")
    upcoming = _visit(system, utcnow() + timedelta(days=10), "Eka Beridze")

    outcomes = system.ask_about_a_person("restrict", name="Eka Beridze")["outcomes"]

    assert sorted((entry["kind"], entry["outcome"]) for entry in outcomes) == [
        ("traveller", "kept"),
        ("traveller", "restricted"),
        ("visit_member", "kept"),
        ("visit_member", "restricted"),
    ]
    assert {entry["reason"] for entry in outcomes if entry["outcome"] == "kept"} == {
        KEEP_TRIP_NOT_BACK,
        KEEP_UPCOMING_VISIT,
    }
    assert _restricted_travellers(system) == {
        "Kutaisi/Eka Beridze": True,
        "Gjirokastër/Eka Beridze": False,
        "Kutaisi/Tomas Jankauskas": False,
    }
    with system.wiring.unit_of_work() as uow:
        members = uow.session.get(Visit, past).members
        assert [(m["name"], "restricted_at" in m) for m in members] == [
            ("Jaan Kask", False),
            ("Eka Beridze", True),
        ]
        assert "restricted_at" not in uow.session.get(Visit, upcoming).members[0]
    [returned] = [
        r
        for r in system.ask_about_a_person("access", name="Eka Beridze")["records"]
        if r["kind"] == "traveller" and r["data"].get("restricted_at")
    ]
    assert returned["reference"] == "2025-09-01 Kutaisi"


def test_a_restricted_partner_contact_leaves_the_contact_list(system) -> None:
    contact = {
        "name": "Nino Beridze",
        "email": f"nino.{uuid.uuid4().hex[:6]}@example.org",
        "language": "ka",
    }
    partner = system.post(
        "/partners",
        {
            "city": "თელავი",
            "country": "GE",
            "relationship": "partner",
            "languages": ["ka"],
            "contacts": [contact, {"name": "Giorgi Lomidze", "language": "ka"}],
        },
    ).get_json()

    [restricted] = system.ask_about_a_person("restrict", email=contact["email"])["outcomes"]

    assert (restricted["kind"], restricted["outcome"]) == ("partner_contact", "restricted")
    listed = system.get(f"/partners/{partner['id']}/contacts").get_json()["items"]
    assert [item["name"] for item in listed] == ["Giorgi Lomidze"]
    [found] = system.ask_about_a_person("access", email=contact["email"])["records"]
    assert found["data"]["name"] == "Nino Beridze"
    assert found["data"]["restricted_at"]


def test_restrict_lets_an_invitation_letter_go_on_and_says_why(system) -> None:
    registered = system.registered_payload()
    system.deliver("letter.registered", registered)
    [kept] = system.ask_about_a_person("restrict", name="Daugavpils valstspilsētas pašvaldība")[
        "outcomes"
    ]
    assert (kept["kind"], kept["reference"], kept["outcome"]) == (
        "invitation_letter",
        registered["registration_number"],
        "kept",
    )
    assert kept["reason"] == PROCESSING_GOES_ON
