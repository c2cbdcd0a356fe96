"""A destruction act executed in intake: notifications forgets the sender and the notices' texts."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from notifications.adapters.models import Delivery, LetterContact


def test_destruction_forgets_the_sender_and_empties_the_notices_about_the_letter(
    system, events
) -> None:
    letter = events.registered(events.citizen("lt"))
    other = events.registered(events.citizen("lv"))
    cause = system.publish("letter.registered", letter)
    other_cause = system.publish("letter.registered", other)
    [notice] = system.caused_by(cause)
    assert letter["registration_number"] in notice.text
    system.publish(
        "destruction.executed",
        {
            "act_number": 1,
            "letter_ids": [letter["letter_id"]],
            "registration_numbers": [letter["registration_number"]],
            "ordered_at": "2032-01-12T10:00:00+02:00",
        },
    )
    emptied = system.delivery(notice.id)
    assert (emptied.subject, emptied.text, emptied.html) == ("—", "—", "—")
    assert emptied.recipient == f"destroyed:{notice.id}"
    assert letter["sender"]["email"] not in emptied.recipient
    assert emptied.status == notice.status
    with system.wiring.unit_of_work() as uow:
        contacts = set(uow.session.scalars(select(LetterContact.letter_id)))
        kept = list(uow.session.scalars(select(Delivery).where(Delivery.cause == other_cause)))
    assert letter["letter_id"] not in contacts
    assert other["letter_id"] in contacts
    assert other["registration_number"] in kept[0].text


def test_a_destruction_of_letters_notifications_never_knew_is_handled(system) -> None:
    system.publish(
        "destruction.executed",
        {
            "act_number": 2,
            "letter_ids": [str(uuid.uuid4())],
            "registration_numbers": ["G-2020-99999"],
            "ordered_at": "2032-01-12T10:00:00+02:00",
        },
    )
