"""Assignments: the mayor's and heads' own tasks, the due-soon and overdue timer, work lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.calendar import WorkingCalendar
from chancery.confidentiality import neutral_title
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.declared_days import CalendarSource
from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from routing.directory import name_of, require_member
from routing.models import Assignment, Department, WorkflowLetter
from routing.services import assignment_facts, letter_of

GIVERS = ("mayor", "mayor_office", "director", "deputy_mayor", "department_head")


_BY_DUE_DATE = (Ordering(Assignment.due_date), Ordering(Assignment.id))


@dataclass(frozen=True)
class AssignmentFilters:
    """Which assignments a list shows."""

    department: str | None = None
    executor: str | None = None
    status: str | None = "open"
    due_by: date | None = None
    overdue_on: date | None = None


class Tasks:
    """Assignments and the timer that watches their due dates."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], calendars: CalendarSource,
                 due_soon_working_days: int, clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self._calendars = calendars
        self._calendar = calendars.base
        self._due_soon = due_soon_working_days
        self._clock = clock

    def create(self, title: str, description: str | None, department: str, executor: str | None,
               due_date: date, principal: Principal, correlation_id: str) -> Assignment:
        """An own task (not born from a letter) with an executor and a due date."""
        if not principal.has_any(*GIVERS):
            raise Forbidden(f"Assignments are given by: {', '.join(GIVERS)}.")
        if principal.has_any("department_head") and not principal.has_any(
                "mayor", "mayor_office", "director", "deputy_mayor") and \
                principal.department != department:
            raise Forbidden("A head gives assignments inside their own department.")
        today = self._calendar.local(self._clock()).date()
        if due_date < today:
            raise InvalidInput("The due date is in the past.", field="due_date",
                               reason="before today")
        with self._uow() as uow:
            if uow.session.get(Department, department) is None:
                raise InvalidInput(f"No department {department}.", field="department_code",
                                   reason="unknown department")
            if executor is not None:
                require_member(uow.session, executor, department)
            assignment = Assignment(id=new_id(), title=title, description=description,
                                    department_code=department, executor=executor,
                                    assigned_by=principal.subject, due_date=due_date,
                                    status="open", created_at=self._clock())
            uow.session.add(assignment)
            uow.session.flush()
            uow.emit("assignment.created", 1, {**assignment_facts(assignment, None),
                                               "assigned_by": principal.subject,
                                               "assigned_by_name": name_of(
                                                   uow.session, principal.subject),
                                               "created_at": assignment.created_at},
                     correlation_id)
            uow.commit()
            return assignment

    def finish(self, assignment_id: str, status: str, report: str | None,
               principal: Principal) -> Assignment:
        """Mark an own task done, with the report on what was done, or cancelled (a
        letter's assignment ends with its answer)."""
        if status == "done" and not (report or "").strip():
            raise InvalidInput("A task is reported done with what was done.", field="report",
                               reason="required when done")
        with self._uow() as uow:
            assignment = uow.session.get(Assignment, assignment_id, with_for_update=True)
            if assignment is None:
                raise NotFound(f"No assignment {assignment_id}.")
            if assignment.letter_id is not None:
                raise Conflict("A letter's assignment ends when the letter is answered.")
            if assignment.status != "open":
                raise Conflict(f"The assignment is already {assignment.status}.")
            allowed = principal.subject in (assignment.executor, assignment.assigned_by) or (
                principal.has_any("department_head")
                and principal.department == assignment.department_code)
            if not allowed:
                raise Forbidden("Only the executor, the giver or the department's head may.")
            assignment.status, assignment.completed_at = status, self._clock()
            assignment.report = report
            uow.commit()
            return assignment

    def list(self, filters: AssignmentFilters, principal: Principal, page: PageRequest
             ) -> Page[dict[str, Any]]:
        """A page of assignments by due date; by department, executor; staff see their own
        department's.

        A protected letter's assignment stays in the list (it is the department's
        work and deadline) but whoever lacks the letter's clearance sees a neutral
        title and no description (decision 17). The assignments listed are
        audited as read.
        """
        query = (select(Assignment, WorkflowLetter.confidentiality,
                        WorkflowLetter.registration_number)
                 .outerjoin(WorkflowLetter, WorkflowLetter.id == Assignment.letter_id))
        if not principal.sees_every_department and not principal.has_any(
                "mayor", "director", "deputy_mayor"):
            query = query.where(Assignment.department_code == (principal.department or ""))
        for column, value in ((Assignment.department_code, filters.department),
                              (Assignment.executor, filters.executor),
                              (Assignment.status, filters.status)):
            if value:
                query = query.where(column == value)
        if filters.due_by:
            query = query.where(Assignment.due_date <= filters.due_by)
        if filters.overdue_on:
            query = query.where(Assignment.due_date < filters.overdue_on,
                                Assignment.status == "open")
        with self._uow() as uow:
            rows = fetch_page(uow.session, query, _BY_DUE_DATE, page, scalars=False,
                              key_of=lambda row: (row[0].due_date, row[0].id))
            record_access(uow.session, uow.tables.audit, principal, "list", "assignment",
                          [assignment.id for assignment, _, _ in rows.items])
            uow.commit()
            return rows.map(lambda row: _shown(*row, principal))

    def check_due_dates(self, correlation_id: str) -> tuple[int, int]:
        """Publish ``assignment.due_soon`` and ``assignment.overdue``, once each per assignment.

        Safe with several workers: rows are claimed with ``SKIP LOCKED`` and
        the sent marks commit with the messages.
        """
        today = self._calendar.local(self._clock()).date()
        soon = overdue = 0
        with self._uow() as uow:
            # Declared days count at once: the calendar is read for this run.
            calendar = self._calendars.current(uow.session)
            query = (select(Assignment).where(Assignment.status == "open")
                     .where((Assignment.due_soon_notified_at.is_(None))
                            | (Assignment.overdue_notified_at.is_(None))))
            if uow.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for assignment in uow.session.scalars(query):
                kind = self._reminder(calendar, assignment, today)
                if kind is None:
                    continue
                facts = assignment_facts(assignment, letter_of(uow.session, assignment))
                if kind == "overdue":
                    assignment.overdue_notified_at = self._clock()
                    assignment.due_soon_notified_at = (assignment.due_soon_notified_at
                                                       or assignment.overdue_notified_at)
                    uow.emit("assignment.overdue", 1, {
                        **facts, "days_overdue": (today - assignment.due_date).days},
                        correlation_id)
                    overdue += 1
                else:
                    assignment.due_soon_notified_at = self._clock()
                    uow.emit("assignment.due_soon", 1, {
                        **facts, "working_days_left": calendar.working_days_between(
                            today, assignment.due_date)}, correlation_id)
                    soon += 1
            uow.commit()
        return soon, overdue

    def _reminder(self, calendar: WorkingCalendar, assignment: Assignment,
                  today: date) -> str | None:
        if assignment.due_date < today:
            return None if assignment.overdue_notified_at else "overdue"
        if assignment.due_soon_notified_at:
            return None
        left = calendar.working_days_between(today, assignment.due_date)
        return "due_soon" if left <= self._due_soon else None


def _shown(assignment: Assignment, level: str | None, number: str | None,
           principal: Principal) -> dict[str, Any]:
    """An assignment as ``principal`` may see it (own tasks have no level: normal)."""
    shown = {column.key: getattr(assignment, column.key)
             for column in Assignment.__table__.columns}
    if not principal.cleared_for(level):
        shown["title"] = neutral_title(level, number)
        shown["description"] = None
    return shown
