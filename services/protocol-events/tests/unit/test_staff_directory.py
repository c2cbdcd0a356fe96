"""Officials follow the one staff directory (decision 31): ``staff.member_changed`` from
routing replaces their name, position, e-mail and activity, and leaves protocol's own
place, addressee kind and reception hours as they were."""

from __future__ import annotations

import uuid

from chancery.messages.consumer import Outcome
from chancery.messages.envelope import Envelope

OFFICER = ("protocol_officer",)
HOURS = [{"weekday": 1, "start": "15:00", "end": "17:00", "slot_minutes": 30}]


def _official(system, subject: str) -> str:
    return system.add_official(
        {
            "name": "Ilze Ozoliņa",
            "staff_subject": subject,
            "addressee_kind": "deputy_mayor",
            "position": {"lv": "Mēra vietniece"},
            "place": "Rātslaukums 1, 12. kabinets",
            "email": "ilze.old@example.org",
        },
        HOURS,
    )


def _member_changed(system, subject: str, **entry) -> Outcome:
    payload = {
        "subject": subject,
        "name": "Ilze Ozoliņa-Bērziņa",
        "department_code": "MAYOR",
        "roles": ["deputy_mayor"],
        "positions": {
            "lv": "Mēra pirmā vietniece",
            "ka": "მერის პირველი მოადგილე",
            "en": "First deputy mayor",
        },
        "email": "ilze.ozolina@example.org",
        "phone": None,
        "language": "lv",
        "active": True,
        "changed_at": "2026-03-10T09:00:00+02:00",
        **entry,
    }
    body = Envelope(
        type="staff.member_changed",
        version=1,
        producer="routing",
        payload=payload,
        correlation_id=f"c-{uuid.uuid4().hex[:10]}",
    )
    return system.handling.handle(body.to_json().encode()).outcome


def _read(system, official_id: str) -> dict:
    return system.client.get(
        f"/officials/{official_id}", headers=system.headers(*OFFICER)
    ).get_json()


def test_a_directory_change_renames_the_official_and_keeps_the_protocol_fields(system):
    subject = f"ilze-{uuid.uuid4().hex[:8]}"
    official_id = _official(system, subject)

    assert _member_changed(system, subject) is Outcome.HANDLED

    official = _read(system, official_id)
    assert official["name"] == "Ilze Ozoliņa-Bērziņa"
    assert official["position"] == {
        "lv": "Mēra pirmā vietniece",
        "ka": "მერის პირველი მოადგილე",
        "en": "First deputy mayor",
    }
    assert official["email"] == "ilze.ozolina@example.org"
    assert official["active"] is True
    assert official["place"] == "Rātslaukums 1, 12. kabinets"
    assert official["addressee_kind"] == "deputy_mayor"
    assert [(h["weekday"], h["start"]) for h in official["hours"]] == [(1, "15:00")]


def test_a_person_who_leaves_the_directory_is_no_longer_an_active_official(system):
    subject = f"ilze-{uuid.uuid4().hex[:8]}"
    official_id = _official(system, subject)

    assert _member_changed(system, subject, active=False, positions={}) is Outcome.HANDLED

    official = _read(system, official_id)
    assert official["active"] is False
    # An entry without positions keeps the title the public booking page shows.
    assert official["position"] == {"lv": "Mēra vietniece"}


def test_a_change_of_someone_who_is_no_official_changes_no_official(system):
    official_id = _official(system, f"ilze-{uuid.uuid4().hex[:8]}")
    before = system.snapshot()["officials"]

    assert _member_changed(system, f"clerk-{uuid.uuid4().hex[:8]}") is Outcome.HANDLED

    assert system.snapshot()["officials"] == before
    assert _read(system, official_id)["name"] == "Ilze Ozoliņa"
