"""A destruction act reaches foreign relations: invitation letters' people and content go,
their numbers and dates stay (decision 51)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from chancery.personal_data import ERASED_TEXT
from foreign_relations.adapters.models import InboundLetter, Invitation


def _invitation_letter(system) -> dict:
    registered = system.registered_payload(number=f"G-2020-{uuid.uuid4().int % 10**5:05d}")
    system.deliver("letter.registered", registered)
    system.deliver("letter.routed", system.routed_payload(registered))
    return registered


def _destroy(system, *letters: dict) -> None:
    system.deliver(
        "destruction.executed",
        {
            "act_number": uuid.uuid4().int % 10**6 + 1,
            "letter_ids": [letter["letter_id"] for letter in letters],
            "registration_numbers": [letter["registration_number"] for letter in letters],
            "ordered_at": system.clock.now.isoformat(),
        },
    )


def _stored(system, letter_id: str) -> tuple[InboundLetter, Invitation]:
    with system.wiring.unit_of_work() as uow:
        inbound = uow.session.get(InboundLetter, letter_id)
        invitation = uow.session.scalars(
            select(Invitation).where(Invitation.letter_id == letter_id)
        ).one()
        uow.session.expunge_all()
        return inbound, invitation


def test_destruction_empties_the_letters_copies_and_keeps_number_and_dates(system) -> None:
    destroyed, kept = _invitation_letter(system), _invitation_letter(system)
    before_inbound, before_invitation = _stored(system, destroyed["letter_id"])

    _destroy(system, destroyed)

    inbound, invitation = _stored(system, destroyed["letter_id"])
    assert (inbound.sender, inbound.subject, inbound.summary) == (ERASED_TEXT,) * 3
    assert (invitation.title, invitation.inviter, invitation.summary) == (ERASED_TEXT,) * 3
    assert inbound.registration_number == destroyed["registration_number"]
    assert invitation.registration_number == destroyed["registration_number"]
    assert inbound.received_at == before_inbound.received_at
    assert (invitation.received_at, invitation.status, invitation.created_at) == (
        before_invitation.received_at,
        before_invitation.status,
        before_invitation.created_at,
    )
    other_inbound, other_invitation = _stored(system, kept["letter_id"])
    assert other_inbound.sender == "Daugavpils valstspilsētas pašvaldība"
    assert other_invitation.title == "Kvietimas į Daugpilio miesto šventę"
    assert other_invitation.summary == "Kvietimas dalyvauti rugpjūčio 18–20 d."


def test_a_destroyed_letters_sender_is_no_longer_found_for_a_person(system) -> None:
    letter = _invitation_letter(system)
    request = {
        "action": "access",
        "requested_at": system.clock.now.isoformat(),
        "person": {"name": "Daugavpils valstspilsētas pašvaldība", "email": None, "phone": None},
    }
    system.deliver("personal_data.requested", {**request, "request_number": 1})
    _destroy(system, letter)
    system.deliver("personal_data.requested", {**request, "request_number": 2})

    answers = {
        envelope["payload"]["request_number"]: envelope["payload"]["records"]
        for envelope in system.outbox("personal_data.answered")
    }
    assert [r["kind"] for r in answers[1]] == ["invitation_letter"]
    assert answers[2] == []


def test_an_act_without_letters_changes_nothing(system) -> None:
    _invitation_letter(system)
    before = system.snapshot()
    _destroy(system)
    after = system.snapshot()
    assert {name: rows for name, rows in after.items() if name != "inbox"} == {
        name: rows for name, rows in before.items() if name != "inbox"
    }
