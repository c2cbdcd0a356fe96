"""Routing's queries beyond ``session.get``: the work lists (keyset pages), the active
rules, a letter's open assignment and the directory's look-ups."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlalchemy.orm import Session

from chancery.confidentiality import readable_levels
from chancery.db import Q, where_equal
from chancery.errors import InvalidInput
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from routing.adapters.models import (
    Assignment,
    Department,
    RoutingRule,
    StaffMember,
    WorkflowLetter,
)
from routing.domain import workflow
from routing.domain.rules import Rule
from routing.permissions import WHOLE_TOWN


@dataclass(frozen=True)
class LetterFilters:
    """What a department's or executor's work list shows."""

    department: str | None = None
    status: str | None = None
    executor: str | None = None
    due_before: date | None = None
    overdue_on: date | None = None
    triage: bool = False


# Work lists' orders; undated letters sort last (a date no letter is due on), the id is unique.
UNDATED = date(9999, 12, 31)
_DUE = func.coalesce(WorkflowLetter.due_date, UNDATED)
LETTER_ORDERS = {
    "due": (
        Ordering(_DUE),
        Ordering(WorkflowLetter.registration_number),
        Ordering(WorkflowLetter.id),
    ),
    "number": (Ordering(WorkflowLetter.registration_number), Ordering(WorkflowLetter.id)),
}
_LETTER_KEYS = {
    "due": lambda row: (row.due_date or UNDATED, row.registration_number, row.id),
    "number": lambda row: (row.registration_number, row.id),
}


def letters_page(
    session: Session, filters: LetterFilters, principal: Principal, page: PageRequest
) -> Page[WorkflowLetter]:
    """A page of the letters ``principal`` may see that match ``filters``, by due date
    (``due``) or registration number (``number``)."""
    query = select(WorkflowLetter).where(
        WorkflowLetter.confidentiality.in_(readable_levels(principal.roles))
    )
    if not principal.sees_every_department:
        own = principal.department or ""
        query = query.where(
            or_(
                WorkflowLetter.department_code == own,
                WorkflowLetter.copy_departments.contains(f",{own},", autoescape=True),
            )
        )
    if filters.triage:
        query = query.where(
            WorkflowLetter.status == "registered", WorkflowLetter.department_code.is_(None)
        )
    open_statuses = WorkflowLetter.status.in_(workflow.OPEN_STATUSES)
    query = _work_narrowed(query, WorkflowLetter, filters, filters.due_before, open_statuses)
    order = page.sort or "due"
    return fetch_page(session, query, LETTER_ORDERS[order], page, key_of=_LETTER_KEYS[order])


@dataclass(frozen=True)
class AssignmentFilters:
    """Which assignments a list shows."""

    department: str | None = None
    executor: str | None = None
    status: str | None = "open"
    due_by: date | None = None
    overdue_on: date | None = None


_BY_DUE_DATE = (Ordering(Assignment.due_date), Ordering(Assignment.id))


def assignments_page(
    session: Session, filters: AssignmentFilters, principal: Principal, page: PageRequest
) -> Page[Row[tuple[Assignment, str | None, str | None]]]:
    """A page of assignments by due date, each with its letter's level and number (``None``
    for an own task); staff see their own department's."""
    query = select(
        Assignment, WorkflowLetter.confidentiality, WorkflowLetter.registration_number
    ).outerjoin(WorkflowLetter, WorkflowLetter.id == Assignment.letter_id)
    if not principal.sees_every_department and not principal.has_any(*WHOLE_TOWN):
        query = query.where(Assignment.department_code == (principal.department or ""))
    query = _work_narrowed(query, Assignment, filters, filters.due_by, Assignment.status == "open")
    return fetch_page(
        session,
        query,
        _BY_DUE_DATE,
        page,
        scalars=False,
        key_of=lambda row: (row[0].due_date, row[0].id),
    )


class _WorkFilters(Protocol):
    """What letters' and assignments' lists are both narrowed by."""

    @property
    def department(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def executor(self) -> str | None: ...
    @property
    def overdue_on(self) -> date | None: ...


def _work_narrowed(
    query: Q,
    work: type[WorkflowLetter] | type[Assignment],
    filters: _WorkFilters,
    due_by: date | None,
    still_open: ColumnElement[bool],
) -> Q:
    """``query`` narrowed to the ``work`` of the filters' department, status and executor,
    due by ``due_by``, overdue on the filters' day (due before it and ``still_open``): each
    that is given."""
    query = where_equal(
        query,
        (work.department_code, filters.department),
        (work.status, filters.status),
        (work.executor, filters.executor),
    )
    if due_by:
        query = query.where(work.due_date <= due_by)
    if filters.overdue_on:
        query = query.where(work.due_date < filters.overdue_on, still_open)
    return query


def active_rules(session: Session) -> list[Rule]:
    """The active rules in their order."""
    rows = session.execute(
        select(
            RoutingRule.id,
            RoutingRule.position,
            RoutingRule.name,
            RoutingRule.match,
            RoutingRule.responsible,
            RoutingRule.copies,
            RoutingRule.deadline,
        )
        .where(RoutingRule.active)
        .order_by(RoutingRule.position)
    )
    return [
        _compiled_rule(
            r.id,
            r.position,
            r.name,
            json.dumps(r.match, sort_keys=True),
            r.responsible,
            tuple(r.copies),
            json.dumps(r.deadline),
        )
        for r in rows
    ]


@functools.lru_cache(maxsize=4096)
def _compiled_rule(
    rule_id: str,
    position: int,
    name: str,
    match: str,
    responsible: str,
    copies: tuple[str, ...],
    deadline: str,
) -> Rule:
    """A rule with its word patterns compiled, reused while its row stays the same."""
    return Rule(
        id=rule_id,
        position=position,
        name=name,
        match=json.loads(match),
        responsible=responsible,
        copies=copies,
        deadline=json.loads(deadline),
    )


def is_active_department(session: Session, code: str) -> bool:
    """Whether ``code`` is a department that is still active."""
    department = session.get(Department, code)
    return department is not None and department.active


def open_assignment(session: Session, row: WorkflowLetter) -> Assignment | None:
    """The letter's open assignment (``None`` once it is finished or before routing)."""
    return session.scalars(
        select(Assignment).where(Assignment.letter_id == row.id, Assignment.status == "open")
    ).first()


def letter_of(session: Session, assignment: Assignment) -> WorkflowLetter | None:
    """The letter an assignment was born from (``None`` for an own task)."""
    if assignment.letter_id is None:
        return None
    return session.get(WorkflowLetter, assignment.letter_id)


def require_member(
    session: Session, subject: str, department: str | None, field: str = "executor"
) -> StaffMember:
    """The directory's active member ``subject`` of ``department``, or 422 naming ``field``."""
    person = session.get(StaffMember, subject)
    if person is None:
        raise InvalidInput(
            f"{subject} is not in the staff directory.",
            field=field,
            reason="not in the staff directory",
        )
    if not person.active:
        raise InvalidInput(
            f"{person.name} is no longer active.", field=field, reason="not an active member"
        )
    if person.department_code != department:
        raise InvalidInput(
            f"{person.name} is not a member of {department}.",
            field=field,
            reason=f"not a member of {department}",
        )
    return person


def name_of(session: Session, subject: str) -> str | None:
    """The directory's name for ``subject`` (``None`` for a system or an unknown subject)."""
    person = session.get(StaffMember, subject)
    return person.name if person is not None else None
