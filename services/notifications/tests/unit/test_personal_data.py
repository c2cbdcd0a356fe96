"""People's rights: notifications gathers and erases what it holds about a person."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from chancery.clock import utcnow
from chancery.processing import activities
from notifications.adapters.models import Base, LetterContact, Preference


def _request(number: int, action: str, **person: str | None) -> dict[str, Any]:
    return {
        "request_number": number,
        "action": action,
        "requested_at": utcnow().isoformat(),
        "person": {"name": None, "email": None, "phone": None, **person},
    }


def _answer(system, number: int) -> dict[str, Any]:
    with system.wiring.engine.connect() as conn:
        rows = conn.execute(select(system.wiring.tables.outbox.c.body)).scalars()
        answers = [json.loads(body) for body in rows]
    [found] = [
        body["payload"]
        for body in answers
        if body["type"] == "personal_data.answered" and body["payload"]["request_number"] == number
    ]
    return found


def test_access_gathers_the_persons_contact_and_notices_and_nobody_elses(system, events) -> None:
    sender, other = events.citizen("lt"), events.citizen("lv")
    letter = events.registered(sender)
    system.publish("letter.registered", letter)
    system.publish("letter.registered", events.registered(other))
    system.publish("personal_data.requested", _request(7, "access", email=sender["email"]))
    part = _answer(system, 7)
    kinds = sorted(entry["kind"] for entry in part["records"])
    assert kinds == ["delivery", "letter_contact"], part
    contact = next(entry for entry in part["records"] if entry["kind"] == "letter_contact")
    assert contact["reference"] == letter["registration_number"]
    assert contact["data"]["name"] == sender["name"]
    assert not part["truncated"]
    assert other["email"] not in json.dumps(part)


def test_erase_empties_the_notice_deletes_the_contact_and_keeps_the_opt_out(system, events) -> None:
    sender = events.citizen("ka")
    cause = system.publish("letter.registered", events.registered(sender))
    [notice] = system.caused_by(cause)
    with system.wiring.unit_of_work() as uow:
        uow.session.add(
            Preference(recipient=sender["email"], opted_out=["letter.routed"], updated_at=utcnow())
        )
        uow.commit()
    system.publish("personal_data.requested", _request(8, "erase", email=sender["email"]))
    outcomes = {entry["kind"]: entry for entry in _answer(system, 8)["outcomes"]}
    assert outcomes["delivery"]["outcome"] == "erased"
    assert outcomes["letter_contact"]["outcome"] == "erased"
    assert outcomes["preference"]["outcome"] == "kept"
    assert "Art. 21" in outcomes["preference"]["reason"]
    erased = system.delivery(notice.id)
    assert (erased.recipient, erased.text) == (f"erased:{notice.id}", "—")
    assert erased.status == notice.status
    with system.wiring.unit_of_work() as uow:
        assert (
            uow.session.scalars(
                select(LetterContact).where(LetterContact.email == sender["email"])
            ).first()
            is None
        )


def test_the_declared_processing_names_tables_notifications_keeps() -> None:
    declared = {table for activity in activities("notifications") for table in activity.tables}
    assert declared
    assert declared <= set(Base.metadata.tables)


def test_restriction_opts_every_address_of_the_person_out_of_optional_notices(
    system, events
) -> None:
    sender = events.citizen("sq", phone=True)
    system.publish("letter.registered", events.registered(sender))
    system.publish("personal_data.requested", _request(9, "restrict", name=sender["name"]))
    outcomes = _answer(system, 9)["outcomes"]
    assert {(entry["reference"], entry["outcome"]) for entry in outcomes} == {
        (sender["email"], "restricted"),
        (sender["phone"], "restricted"),
    }
    with system.wiring.unit_of_work() as uow:
        preference = uow.session.get(Preference, sender["email"])
        assert preference is not None
        assert preference.opted_out == ["all"]
