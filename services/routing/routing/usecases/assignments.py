"""Assignments: the mayor's and heads' own tasks, the due-soon and overdue timer, work lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from chancery.audited import record_access_in
from chancery.calendar import WorkingCalendar
from chancery.clock import utcnow
from chancery.confidentiality import neutral_title
from chancery.db import existing, new_id
from chancery.declared_days import CalendarSource
from chancery.errors import Conflict, Forbidden, InvalidInput, TooManyRequests
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from chancery.usecase import UseCase
from routing.adapters.models import Assignment, Department, WorkflowLetter
from routing.adapters.repositories import (
    AssignmentFilters,
    assignments_page,
    letter_of,
    name_of,
    require_member,
)
from routing.permissions import GIVERS, LEADERSHIP, REMINDERS

# Execution control: the mayor's office reminds an executor by hand ("remind now")...
# ...at most once in this while per assignment, so a double click is not a second notice.
REMIND_INTERVAL = timedelta(hours=1)


@dataclass(eq=False)
class Assignments(UseCase):
    """Assignments and the timer that watches their due dates."""

    calendars: CalendarSource
    due_soon_working_days: int
    clock: Callable[[], datetime] = utcnow

    def create(
        self,
        title: str,
        description: str | None,
        department: str,
        executor: str | None,
        due_date: date,
        principal: Principal,
        correlation_id: str,
    ) -> Assignment:
        """An own task (not born from a letter) with an executor and a due date."""
        if not principal.has_any(*GIVERS):
            raise Forbidden(f"Assignments are given by: {', '.join(GIVERS)}.")
        if (
            principal.has_any("department_head")
            and not principal.has_any(*LEADERSHIP)
            and principal.department != department
        ):
            raise Forbidden("A head gives assignments inside their own department.")
        today = self.calendars.base.local(self.clock()).date()
        if due_date < today:
            raise InvalidInput(
                "The due date is in the past.", field="due_date", reason="before today"
            )
        with self.transaction() as uow:
            if uow.session.get(Department, department) is None:
                raise InvalidInput(
                    f"No department {department}.",
                    field="department_code",
                    reason="unknown department",
                )
            if executor is not None:
                require_member(uow.session, executor, department)
            assignment = Assignment(
                id=new_id(),
                title=title,
                description=description,
                department_code=department,
                executor=executor,
                assigned_by=principal.subject,
                due_date=due_date,
                status="open",
                created_at=self.clock(),
            )
            uow.session.add(assignment)
            uow.session.flush()
            uow.emit(
                "assignment.created",
                1,
                {
                    **assignment_facts(assignment, None),
                    "assigned_by": principal.subject,
                    "assigned_by_name": name_of(uow.session, principal.subject),
                    "created_at": assignment.created_at,
                },
                correlation_id,
            )
            return assignment

    def finish(
        self, assignment_id: str, status: str, report: str | None, principal: Principal
    ) -> Assignment:
        """Mark an own task done, with the report on what was done, or cancelled (a
        letter's assignment ends with its answer)."""
        if status == "done" and not (report or "").strip():
            raise InvalidInput(
                "A task is reported done with what was done.",
                field="report",
                reason="required when done",
            )
        with self.transaction() as uow:
            assignment = existing(
                uow.session, Assignment, assignment_id, f"No assignment {assignment_id}.", lock=True
            )
            if assignment.letter_id is not None:
                raise Conflict("A letter's assignment ends when the letter is answered.")
            if assignment.status != "open":
                raise Conflict(f"The assignment is already {assignment.status}.")
            allowed = principal.subject in (assignment.executor, assignment.assigned_by) or (
                principal.has_any("department_head")
                and principal.department == assignment.department_code
            )
            if not allowed:
                raise Forbidden("Only the executor, the giver or the department's head may.")
            assignment.status, assignment.completed_at = status, self.clock()
            assignment.report = report
            return assignment

    def remind(self, assignment_id: str, principal: Principal, correlation_id: str) -> Assignment:
        """Remind the executor of an open assignment now (``assignment.reminded``), recorded
        on the assignment; a second reminder within :data:`REMIND_INTERVAL` is refused."""
        if not principal.has_any(*REMINDERS):
            raise Forbidden(f"Reminders are sent by: {', '.join(REMINDERS)}.")
        with self.transaction() as uow:
            assignment = existing(
                uow.session, Assignment, assignment_id, f"No assignment {assignment_id}.", lock=True
            )
            if assignment.status != "open":
                raise Conflict(f"The assignment is already {assignment.status}.")
            if assignment.executor is None:
                raise Conflict("Nobody is named to do it yet: there is nobody to remind.")
            now = self.clock()
            if assignment.last_reminded_at is not None:
                wait = assignment.last_reminded_at + REMIND_INTERVAL - now
                if wait > timedelta(0):
                    raise TooManyRequests(
                        f"The executor was reminded at {assignment.last_reminded_at:%H:%M} "
                        f"UTC; the next reminder can go in {_minutes(wait)} minutes.",
                        retry_after=int(wait.total_seconds()) + 1,
                    )
            assignment.last_reminded_at = now
            assignment.reminder_count = (assignment.reminder_count or 0) + 1
            uow.session.flush()
            uow.emit(
                "assignment.reminded",
                1,
                {
                    **assignment_facts(assignment, letter_of(uow.session, assignment)),
                    "reminded_by": principal.subject,
                    "reminded_by_name": name_of(uow.session, principal.subject),
                    "reminded_at": now,
                    "reminder_count": assignment.reminder_count,
                },
                correlation_id,
            )
            return assignment

    def list(
        self, filters: AssignmentFilters, principal: Principal, page: PageRequest
    ) -> Page[dict[str, Any]]:
        """A page of assignments by due date; by department, executor; staff see their own
        department's.

        A protected letter's assignment stays in the list (it is the department's
        work and deadline) but whoever lacks the letter's clearance sees a neutral
        title and no description (decision 17). The assignments listed are
        audited as read.
        """
        with self.transaction() as uow:
            rows = assignments_page(uow.session, filters, principal, page)
            listed = [assignment.id for assignment, _, _ in rows.items]
            record_access_in(uow, principal, "list", "assignment", listed)
            return rows.map(lambda row: _shown(row[0], row[1], row[2], principal))

    def check_due_dates(self, correlation_id: str) -> tuple[int, int]:
        """Publish ``assignment.due_soon`` and ``assignment.overdue``, once each per assignment.

        Safe with several workers: rows are claimed with ``SKIP LOCKED`` and
        the sent marks commit with the messages.
        """
        today = self.calendars.base.local(self.clock()).date()
        soon = overdue = 0
        with self.transaction() as uow:
            # Declared days count at once: the calendar is read for this run.
            calendar = self.calendars.current(uow.session)
            query = (
                select(Assignment)
                .where(Assignment.status == "open")
                .where(
                    (Assignment.due_soon_notified_at.is_(None))
                    | (Assignment.overdue_notified_at.is_(None))
                )
            )
            if uow.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for assignment in uow.session.scalars(query):
                kind = self._reminder(calendar, assignment, today)
                if kind is None:
                    continue
                facts = assignment_facts(assignment, letter_of(uow.session, assignment))
                if kind == "overdue":
                    assignment.overdue_notified_at = self.clock()
                    assignment.due_soon_notified_at = (
                        assignment.due_soon_notified_at or assignment.overdue_notified_at
                    )
                    uow.emit(
                        "assignment.overdue",
                        1,
                        {**facts, "days_overdue": (today - assignment.due_date).days},
                        correlation_id,
                    )
                    overdue += 1
                else:
                    assignment.due_soon_notified_at = self.clock()
                    uow.emit(
                        "assignment.due_soon",
                        1,
                        {
                            **facts,
                            "working_days_left": calendar.working_days_between(
                                today, assignment.due_date
                            ),
                        },
                        correlation_id,
                    )
                    soon += 1
        return soon, overdue

    def _reminder(
        self, calendar: WorkingCalendar, assignment: Assignment, today: date
    ) -> str | None:
        if assignment.due_date < today:
            return None if assignment.overdue_notified_at else "overdue"
        if assignment.due_soon_notified_at:
            return None
        left = calendar.working_days_between(today, assignment.due_date)
        return "due_soon" if left <= self.due_soon_working_days else None


def _minutes(wait: timedelta) -> int:
    """Whole minutes, rounded up (never "0 minutes" while some remain)."""
    return -(-int(wait.total_seconds()) // 60)


def _shown(
    assignment: Assignment, level: str | None, number: str | None, principal: Principal
) -> dict[str, Any]:
    """An assignment as ``principal`` may see it (own tasks have no level: normal)."""
    shown = {column.key: getattr(assignment, column.key) for column in Assignment.__table__.columns}
    shown["registration_number"] = number
    if not principal.cleared_for(level):
        shown["title"] = neutral_title(level, number)
        shown["description"] = None
    return shown


def assignment_facts(assignment: Assignment, letter: WorkflowLetter | None) -> dict[str, Any]:
    """The fields every assignment message carries (``letter`` for its number and level)."""
    return {
        "assignment_id": assignment.id,
        "letter_id": assignment.letter_id,
        "registration_number": letter.registration_number if letter else None,
        "title": assignment.title,
        "department_code": assignment.department_code,
        "executor": assignment.executor,
        "due_date": assignment.due_date,
        "instructions": assignment.description,
        "confidentiality": letter.confidentiality if letter else "normal",
    }
