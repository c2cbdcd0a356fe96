"""What routing holds about a person, and why it keeps it (people's rights, decision 60).

Routing knows people only by what the letters' subjects and the tasks' texts
say about them, and its own staff directory. Both are kept when erasure is
asked: a letter's workflow is part of its case file, erased with the file
by a destruction act once its retention ends (decision 51); the directory
is an employment record. When intake executes a destruction act
(``destruction.executed``), the act's letters lose their contents here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from chancery.messages.contracts.intake import DestructionExecutedV1
from chancery.personal_data import Person, outcome, record
from chancery.shapes import same_named
from routing.adapters.models import Assignment, StaffMember, WorkflowLetter

KEEP_WORKFLOW = (
    "Part of the letter's case file, kept for the file plan's retention period "
    "and erased with the file by its destruction act."
)
KEEP_DIRECTORY = "An employment record, kept while the person works here."
DESTROYED_TEXT = "—"
Row = TypeVar("Row", WorkflowLetter, Assignment)
# What a subject-access record shows of each row, in this order ("department": its code).
LETTER_FIELDS = ("subject", "sender_organisation", "status", "department", "received_at")
ASSIGNMENT_FIELDS = ("title", "description", "report", "department", "status", "due_date")
STAFF_FIELDS = ("name", "email", "phone", "department", "roles")


def gather(session: Session, person: Person) -> list[dict[str, Any]]:
    """The letters and assignments that mention the person and their directory entry."""
    records = [
        record(
            "letter",
            letter.registration_number,
            same_named(letter, LETTER_FIELDS, department=letter.department_code),
            letter.confidentiality,
        )
        for letter in _letters(session, person)
    ]
    records += [
        record(
            "assignment",
            f"{assignment.title} {assignment.due_date.isoformat()}",
            same_named(assignment, ASSIGNMENT_FIELDS, department=assignment.department_code),
        )
        for assignment in _assignments(session, person)
    ]
    records += [
        record(
            "staff_member",
            member.name,
            same_named(member, STAFF_FIELDS, department=member.department_code),
        )
        for member in _staff(session, person)
    ]
    return records


def erase(session: Session, person: Person, _now: datetime) -> list[dict[str, Any]]:
    """Nothing routing holds may be erased on request: each record says why (at any time)."""
    return [
        outcome(
            entry["kind"],
            entry["reference"],
            False,
            KEEP_DIRECTORY if entry["kind"] == "staff_member" else KEEP_WORKFLOW,
        )
        for entry in gather(session, person)
    ]


def _terms(person: Person) -> list[str]:
    return [value for value in (person.name, person.email, person.phone) if value]


def _letters(session: Session, person: Person) -> list[WorkflowLetter]:
    return _mentioning(
        session,
        person,
        WorkflowLetter,
        (WorkflowLetter.subject, WorkflowLetter.sender_organisation),
        WorkflowLetter.registration_number,
    )


def _assignments(session: Session, person: Person) -> list[Assignment]:
    return _mentioning(
        session,
        person,
        Assignment,
        (Assignment.title, Assignment.description, Assignment.report),
        Assignment.created_at,
    )


def _mentioning(
    session: Session,
    person: Person,
    model: type[Row],
    texts: tuple[InstrumentedAttribute[Any], ...],
    order: InstrumentedAttribute[Any],
) -> list[Row]:
    """The rows of ``model`` whose ``texts`` mention the person, in ``order``.

    The database narrows the rows by any of the person's terms in any of the texts; the
    person's own matching (case and Unicode folded, phone digits) decides.
    """
    terms = _terms(person)
    if not terms:
        return []
    candidates = session.scalars(
        select(model)
        .where(or_(*[text.icontains(term, autoescape=True) for term in terms for text in texts]))
        .order_by(order)
    )
    return [
        row
        for row in candidates
        if person.mentioned_in(*(getattr(row, text.key) for text in texts))
    ]


def _staff(session: Session, person: Person) -> list[StaffMember]:
    return [
        member
        for member in session.scalars(select(StaffMember).order_by(StaffMember.name))
        if person.matches(member.name, member.email, member.phone)
    ]


def destroy_letter_contents(session: Session, payload: DestructionExecutedV1) -> int:
    """Empty the subject and sender's organisation of the act's letters; keep the rest.

    The number, dates, status, department and deadline stay: the workflow's
    record that the letter was handled. Returns how many letters were changed.
    """
    ids = [str(letter_id) for letter_id in payload.letter_ids]
    if not ids:
        return 0
    done = session.execute(
        update(WorkflowLetter)
        .where(WorkflowLetter.id.in_(ids))
        .values(
            subject=DESTROYED_TEXT, sender_organisation=None, version=WorkflowLetter.version + 1
        )
    )
    return cast(CursorResult[Any], done).rowcount  # an UPDATE's result is a cursor's
