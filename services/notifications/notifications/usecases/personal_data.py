"""What notifications holds about a person, and erasing it (people's rights, decision 60);
what it destroys when intake executes a destruction act.

Found by the person's e-mail or phone as a recipient, or their name in a
notice's text; the senders' contacts remembered from ``letter.registered``;
their preferences. Erasing empties a notice's recipient and texts (its kind,
status and dates stay, as after a destruction act), deletes the contact and
keeps a preference: an opt-out is the person's objection and must outlive
the erasure, or the notices would start again. Restricting opts every
address of the person out of all notices the law does not require.

A destruction act deletes the sender's contact; the notices about the letters
(found by their registration number in the text) keep their status and dates
but lose their recipient, subject and text; staff feed items about them lose
their text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select
from sqlalchemy.orm import Session

from chancery.messages.contracts.intake import DestructionExecutedV1
from chancery.personal_data import ERASED_TEXT, Person, outcome, record
from chancery.shapes import same_named
from notifications.adapters.models import Delivery, FeedItem, LetterContact, Preference

KEEP_OBJECTION = (
    "An opt-out is the person's objection to notices (GDPR Art. 21); it is "
    "kept so that they are not contacted again."
)
# What a subject-access record shows of each row, in this order.
CONTACT_FIELDS = ("name", "email", "phone", "language", "subject")
DELIVERY_FIELDS = (
    "recipient",
    "channel",
    "language",
    "status",
    "subject",
    "text",
    "created_at",
    "delivered_at",
)
PREFERENCE_FIELDS = ("recipient", "language", "channel", "opted_out")


def gather(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every notice, sender's contact and preference about the person."""
    records = [
        record(
            "letter_contact",
            contact.registration_number,
            same_named(contact, CONTACT_FIELDS),
            contact.confidentiality,
        )
        for contact in _contacts(session, person)
    ]
    records += [
        record("delivery", _delivery_reference(delivery), same_named(delivery, DELIVERY_FIELDS))
        for delivery in _deliveries(session, person)
    ]
    records += [
        record("preference", preference.recipient, same_named(preference, PREFERENCE_FIELDS))
        for preference in _preferences(session, person)
    ]
    return records


def erase(session: Session, person: Person, _now: datetime) -> list[dict[str, Any]]:
    """Erase the notices' recipients and texts and the contacts; keep preferences (why).

    What is erased is gone, so unlike a restriction it records no moment.
    """
    outcomes = []
    for contact in _contacts(session, person):
        session.delete(contact)
        outcomes.append(outcome("letter_contact", contact.registration_number, True))
    deliveries = _deliveries(session, person)
    outcomes += [
        outcome("delivery", _delivery_reference(delivery), True) for delivery in deliveries
    ]
    empty_deliveries(session, deliveries, "erased", ERASED_TEXT)
    outcomes += [
        outcome("preference", preference.recipient, False, KEEP_OBJECTION)
        for preference in _preferences(session, person)
    ]
    return outcomes


def restrict(session: Session, person: Person, now: datetime) -> list[dict[str, Any]]:
    """Opt each of the person's addresses out of every notice the law does not require."""
    addresses = {value for value in (person.email, person.phone) if value}
    for contact in _contacts(session, person):
        addresses.update(value for value in (contact.email, contact.phone) if value)
    outcomes = []
    for address in sorted(addresses):
        preference = session.get(Preference, address)
        if preference is None:
            preference = Preference(recipient=address, opted_out=[], updated_at=now)
            session.add(preference)
        if "all" not in preference.opted_out:
            preference.opted_out, preference.updated_at = [*preference.opted_out, "all"], now
        outcomes.append(outcome("preference", address, True, action="restrict"))
    return outcomes


def _delivery_reference(delivery: Delivery) -> str:
    return f"{delivery.kind} {delivery.created_at.date().isoformat()}"


def _addresses(person: Person) -> list[str]:
    return [value.casefold() for value in (person.email, person.phone) if value]


def _contacts(session: Session, person: Person) -> list[LetterContact]:
    candidates = session.scalars(
        select(LetterContact).where(
            or_(
                _equal_folded(LetterContact.email, person.email),
                _equal_folded(LetterContact.name, person.name),
                _phone_like(LetterContact.phone, person),
            )
        )
    )
    return [
        contact
        for contact in candidates
        if person.matches(contact.name, contact.email, contact.phone)
    ]


def _deliveries(session: Session, person: Person) -> list[Delivery]:
    terms = [value for value in (person.name, person.email) if value]
    candidates = session.scalars(
        select(Delivery)
        .where(
            or_(
                func.lower(Delivery.recipient).in_(_addresses(person)),
                _phone_like(Delivery.recipient, person),
                *[Delivery.text.icontains(term, autoescape=True) for term in terms],
                *[Delivery.subject.icontains(term, autoescape=True) for term in terms],
            )
        )
        .order_by(Delivery.created_at)
    )
    return [
        delivery
        for delivery in candidates
        if person.matches(email=delivery.recipient, phone=delivery.recipient)
        or person.mentioned_in(delivery.subject, delivery.text)
    ]


def _preferences(session: Session, person: Person) -> list[Preference]:
    return [
        preference
        for preference in session.scalars(
            select(Preference).where(
                or_(
                    func.lower(Preference.recipient).in_(_addresses(person)),
                    _phone_like(Preference.recipient, person),
                )
            )
        )
        if person.matches(email=preference.recipient, phone=preference.recipient)
    ]


def _phone_like(column: Any, person: Person) -> ColumnElement[bool]:
    # A number is stored as typed (spaces, dashes anywhere): its last two digits narrow the
    # rows (a hundredth of them), the person's matching decides.
    digits = "".join(ch for ch in person.phone or "" if ch.isdigit())
    return column.contains(digits[-2:], autoescape=True) if len(digits) >= 6 else false()


def _equal_folded(column: Any, value: str | None) -> ColumnElement[bool]:
    return func.lower(column) == value.lower() if value else false()


DESTROYED_TEXT = "—"


def destroy_letter_contents(session: Session, payload: DestructionExecutedV1) -> int:
    """Forget the act's letters' senders and notice texts; return the notices emptied."""
    ids = [str(letter_id) for letter_id in payload.letter_ids]
    numbers = list(payload.registration_numbers)
    if ids:
        session.execute(delete(LetterContact).where(LetterContact.letter_id.in_(ids)))
    if not numbers:
        return 0
    deliveries = list(
        session.scalars(
            select(Delivery).where(
                or_(
                    *[Delivery.text.contains(number, autoescape=True) for number in numbers],
                    *[Delivery.subject.contains(number, autoescape=True) for number in numbers],
                )
            )
        )
    )
    empty_deliveries(session, deliveries, "destroyed", DESTROYED_TEXT)
    return len(deliveries)


def empty_deliveries(session: Session, deliveries: list[Delivery], marker: str, blank: str) -> None:
    """Empty ``deliveries`` and their feed items, keeping their state and dates.

    The recipient is part of the unique key (cause, recipient, channel), so each emptied
    delivery gets a placeholder of its own (``<marker>:<id>``) rather than one shared blank.
    """
    for delivery in deliveries:
        delivery.recipient = f"{marker}:{delivery.id}"
        delivery.subject = delivery.text = delivery.html = blank
        delivery.attachments, delivery.secrets, delivery.last_error = [], None, None
    if deliveries:
        for item in session.scalars(
            select(FeedItem).where(
                FeedItem.delivery_id.in_([delivery.id for delivery in deliveries])
            )
        ):
            item.title = item.body = blank
