"""Intake's queries beyond ``session.get``: the reader's visibility and a search's criteria
on a query of letters, the protocol book's orders, the scans' texts, the open case files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import false

from chancery.confidentiality import readable_levels
from chancery.errors import InvalidInput
from chancery.keyset import order_of
from chancery.principal import Principal
from intake.adapters.models import CaseFile, Letter
from intake.domain import file_plan


@dataclass(frozen=True)
class LetterFilters:
    """Search criteria for the protocol book."""

    direction: str | None = None
    kind: str | None = None
    status: str | None = None
    addressee: str | None = None
    department: str | None = None
    register: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    text: str | None = None


# The protocol book's orders; the id makes every position unique (numbers repeat per register).
LETTER_ORDERS = {
    "-registered": order_of(Letter.registered_at.desc(), Letter.sequence.desc(), Letter.id.desc()),
    "registered": order_of(Letter.registered_at, Letter.sequence, Letter.id),
}
NEWEST_FIRST = (Letter.registered_at.desc(), Letter.sequence.desc(), Letter.id.desc())


def visible(query: Select, principal: Principal) -> Select:
    """``query`` of letters narrowed to those ``principal`` may see (level and department)."""
    query = query.where(Letter.confidentiality.in_(readable_levels(principal.roles)))
    return department_scope(query, principal)


def department_scope(query: Select, principal: Principal) -> Select:
    """``query`` of letters narrowed to the principal's department's (unless it sees all)."""
    if principal.sees_every_department:
        return query
    if not principal.department:
        # As in access.can_read; a NUL sentinel would cut SQLite's LIKE pattern short.
        return query.where(false())
    department = principal.department
    return query.where(
        or_(
            Letter.department_code == department,
            Letter.addressee_department_code == department,
            Letter.copy_departments.contains(f",{department},", autoescape=True),
        )
    )


def filtered(query: Select, filters: LetterFilters, time_zone: str) -> Select:
    """``query`` of letters narrowed to ``filters`` (days in the municipality's ``time_zone``)."""
    exact = {
        Letter.direction: filters.direction,
        Letter.kind: filters.kind,
        Letter.status: filters.status,
        Letter.addressee_kind: filters.addressee,
        Letter.department_code: filters.department,
        Letter.register_code: filters.register,
    }
    for field, value in exact.items():
        if value:
            query = query.where(field == value)
    if filters.registered_from:
        query = query.where(Letter.registered_at >= day_start(filters.registered_from, time_zone))
    if filters.registered_to:
        query = query.where(
            Letter.registered_at < day_start(filters.registered_to + timedelta(days=1), time_zone)
        )
    return query


def day_start(day: date, time_zone: str) -> datetime:
    """The instant ``day`` begins in ``time_zone``."""
    return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(time_zone))


def stores_person_key(session: Session) -> bool:
    """Whether a letter's writer stores its ``person_key``: on SQLite; on PostgreSQL the
    database derives it from the correspondent (a generated column, decision 0087)."""
    return session.get_bind().dialect.name != "postgresql"


def open_file(session: Session, year: int, code: str) -> CaseFile:
    """The open case file ``code`` of ``year``; a made-up or closed one is refused (422)."""
    case_file = session.scalar(select(CaseFile).where(CaseFile.year == year, CaseFile.code == code))
    if case_file is None:
        raise InvalidInput(
            f"The file plan of {year} has no case file {code}.",
            field="file_reference",
            reason="not in the file plan",
        )
    if case_file.closed_at is not None:
        raise InvalidInput(
            f"Case file {code} of {year} is closed.",
            field="file_reference",
            reason="the file is closed",
        )
    return case_file


def proposed_file(session: Session, year: int, department: str | None, kind: str) -> str | None:
    """The open case file of ``year`` a letter of ``department`` and ``kind`` goes to.

    Only files without sub-files are proposed: a heading groups files, it holds no letters.
    """
    if department is None:
        return None
    headings = select(CaseFile.parent_code).where(
        CaseFile.year == year, CaseFile.parent_code.is_not(None)
    )
    choices = [
        file_plan.FileChoice(code, owner, tuple(kinds.split()))
        for code, owner, kinds in session.execute(
            select(CaseFile.code, CaseFile.department_code, CaseFile.kinds).where(
                CaseFile.year == year,
                CaseFile.department_code == department,
                CaseFile.closed_at.is_(None),
                CaseFile.code.not_in(headings),
            )
        )
    ]
    return file_plan.propose(choices, department, kind)
