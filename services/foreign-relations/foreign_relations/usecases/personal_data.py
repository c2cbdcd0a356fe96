"""What foreign-relations holds about a person, erasing and restricting it (people's rights,
decision 60).

A person is a traveller on a trip, a member of a visiting delegation, a
partner city's contact or the sender of an invitation letter. Erasing deletes
a partner's contact and empties a past visit's delegate (the visit keeps its
number of members); a traveller is kept with the trip's accounting, an
upcoming visit's delegate until the visit is over, an invitation's sender as
part of its letter's case file. Restricting (GDPR Art. 18) marks a returned
trip's traveller, a past visit's delegate and a partner's contact (who then
leaves the partner's contact list): they are only stored. A trip or visit not
over yet and an invitation letter go on, saying why.

A destruction act executed by intake (``destruction.executed``, decision 51)
empties the copies foreign relations keeps of its invitation letters: what
intake and routing said about the letter (its sender, subject and summary) and
the invitation made from it (its title, inviter and summary). The registration
number, the dates, the status and the decision stay, the record that the
invitation came and was handled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from chancery.messages.contracts.intake import DestructionExecutedV1
from chancery.personal_data import ERASED_TEXT, PROCESSING_GOES_ON, Person, ended, outcome, record
from chancery.retention import PurgeRule, pseudonymised
from chancery.shapes import same_named
from foreign_relations.adapters.models import (
    InboundLetter,
    Invitation,
    PartnerContact,
    Traveller,
    Trip,
    Visit,
)

KEEP_TRAVEL = (
    "A travel record: the trip's per diems and expenses are accounting documents, "
    "kept for the trip's case file retention in the file plan."
)
KEEP_UPCOMING_VISIT = "The visit has not ended yet: its delegation list is still in use."
KEEP_TRIP_NOT_BACK = "The trip has not returned yet: its delegation list is still in use."
# Word for word as routing says it of a letter's workflow: one reason, one translation.
KEEP_LETTER = (
    "Part of the letter's case file, kept for the file plan's retention period "
    "and erased with the file by its destruction act."
)
# What a subject-access record shows of each row, in this order (a traveller's with the trip).
TRAVELLER_FIELDS = (
    "name",
    "position",
    "head",
    "passport_expires_on",
    "trip",
    "departs_on",
    "returns_on",
    "restricted_at",
)
CONTACT_FIELDS = ("name", "position", "email", "phone", "restricted_at")
LETTER_FIELDS = ("sender", "subject", "summary")


def gather(session: Session, person: Person) -> list[dict[str, Any]]:
    """The person's trips, visits, partner contacts and invitation letters."""
    records = [
        record(
            "traveller",
            _trip_reference((traveller, trip)),
            same_named(
                traveller,
                TRAVELLER_FIELDS,
                trip=trip.title,
                departs_on=trip.departs_on,
                returns_on=trip.returns_on,
            ),
        )
        for traveller, trip in _travels(session, person)
    ]
    records += [
        record(
            "visit_member",
            _visit_reference(visit),
            {**member, "visit": visit.title, "arrives_at": visit.arrives_at},
        )
        for visit, member in _delegates(session, person)
    ]
    records += [
        record("partner_contact", contact.name, same_named(contact, CONTACT_FIELDS))
        for contact in _contacts(session, person)
    ]
    records += [
        record(
            "invitation_letter",
            letter.registration_number,
            same_named(letter, LETTER_FIELDS),
            letter.confidentiality,
        )
        for letter in _letters(session, person)
    ]
    return records


def erase(session: Session, person: Person, now: datetime) -> list[dict[str, Any]]:
    """Erase contacts and past visits' delegates; keep travel records and letters (why)."""
    outcomes = [
        outcome("traveller", _trip_reference(travel), False, KEEP_TRAVEL)
        for travel in _travels(session, person)
    ]
    for visit, reference in _past_visits(session, person, now, outcomes):
        _change_member(
            visit, person, lambda member: {"name": ERASED_TEXT, "head": member.get("head", False)}
        )
        outcomes.append(outcome("visit_member", reference, True))
    for contact in _contacts(session, person):
        session.delete(contact)
        outcomes.append(outcome("partner_contact", contact.name, True))
    outcomes += [
        outcome("invitation_letter", letter.registration_number, False, KEEP_LETTER)
        for letter in _letters(session, person)
    ]
    return outcomes


def restrict(session: Session, person: Person, now: datetime) -> list[dict[str, Any]]:
    """Mark returned travellers, past delegates and contacts restricted; say why the rest
    goes on."""
    outcomes: list[dict[str, Any]] = []
    returned = ended(
        _travels(session, person),
        "traveller",
        _trip_reference,
        lambda travel: travel[1].returns_on >= now.date(),
        KEEP_TRIP_NOT_BACK,
        outcomes,
    )
    for (traveller, _), reference in returned:
        traveller.restricted_at = traveller.restricted_at or now
        outcomes.append(outcome("traveller", reference, True, action="restrict"))
    for visit, reference in _past_visits(session, person, now, outcomes):
        _change_member(visit, person, lambda member: {"restricted_at": now.isoformat(), **member})
        outcomes.append(outcome("visit_member", reference, True, action="restrict"))
    for contact in _contacts(session, person):
        contact.restricted_at = contact.restricted_at or now
        outcomes.append(outcome("partner_contact", contact.name, True, action="restrict"))
    outcomes += [
        outcome(
            "invitation_letter", letter.registration_number, False, PROCESSING_GOES_ON, "restrict"
        )
        for letter in _letters(session, person)
    ]
    return outcomes


def _past_visits(
    session: Session, person: Person, now: datetime, outcomes: list[dict[str, Any]]
) -> Iterator[tuple[Visit, str]]:
    """The visits the person was a delegate of that are over (each once); an upcoming one
    is kept."""
    return ended(
        {visit.id: visit for visit, _ in _delegates(session, person)}.values(),
        "visit_member",
        _visit_reference,
        lambda visit: visit.departs_at > now,
        KEEP_UPCOMING_VISIT,
        outcomes,
    )


def _change_member(
    visit: Visit, person: Person, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """The person's entries among the visit's delegates replaced by ``change``'s."""
    visit.members = [
        change(member) if person.matches(member.get("name"), member.get("email")) else member
        for member in visit.members
    ]


def _trip_reference(travel: tuple[Traveller, Trip]) -> str:
    _, trip = travel
    return f"{trip.departs_on.isoformat()} {trip.city}"


def _visit_reference(visit: Visit) -> str:
    return f"{visit.arrives_at.date().isoformat()} {visit.city}"


def _travels(session: Session, person: Person) -> list[tuple[Traveller, Trip]]:
    return [
        (traveller, trip)
        for traveller, trip in session.execute(
            select(Traveller, Trip)
            .join(Trip, Trip.id == Traveller.trip_id)
            .order_by(Trip.departs_on)
        )
        if person.is_named(traveller.name)
    ]


def _delegates(session: Session, person: Person) -> list[tuple[Visit, dict[str, Any]]]:
    return [
        (visit, member)
        for visit in session.scalars(select(Visit).order_by(Visit.arrives_at))
        for member in visit.members
        if person.matches(member.get("name"), member.get("email"))
    ]


def _contacts(session: Session, person: Person) -> list[PartnerContact]:
    return [
        contact
        for contact in session.scalars(select(PartnerContact).order_by(PartnerContact.name))
        if person.matches(contact.name, contact.email, contact.phone)
    ]


def _letters(session: Session, person: Person) -> list[InboundLetter]:
    return [
        letter
        for letter in session.scalars(
            select(InboundLetter).order_by(InboundLetter.registration_number)
        )
        if person.mentioned_in(letter.sender)
    ]


def pseudonymised_travellers(keep: timedelta) -> PurgeRule:
    """Travellers of trips that returned ``keep`` ago become ``traveller <id>``.

    Once the accounting documents' retention is over, the trip (its city,
    dates, per diems and report) stays for the history of the partnership;
    who travelled and their passport's validity do not.
    """
    return pseudonymised(
        "pseudonymised_travellers",
        keep,
        Traveller,
        lambda cutoff: Traveller.trip_id.in_(
            select(Trip.id).where(Trip.returns_on < cutoff.date())
        ),
        "name",
        "traveller",
        passport_expires_on=None,
    )


def destroy_letter_contents(session: Session, payload: DestructionExecutedV1) -> int:
    """Empty the act's letters' copies and their invitations; return the invitations emptied."""
    ids = [str(letter_id) for letter_id in payload.letter_ids]
    if not ids:
        return 0
    session.execute(
        update(InboundLetter)
        .where(InboundLetter.letter_id.in_(ids))
        .values(sender=ERASED_TEXT, subject=ERASED_TEXT, summary=ERASED_TEXT)
    )
    emptied = session.execute(
        update(Invitation)
        .where(Invitation.letter_id.in_(ids))
        .values(
            title=ERASED_TEXT,
            inviter=ERASED_TEXT,
            summary=ERASED_TEXT,
            version=Invitation.version + 1,
        )
    )
    return cast(CursorResult[Any], emptied).rowcount
