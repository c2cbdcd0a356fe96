"""Execution control reports: on-time rate, handling time, open and overdue letters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from chancery.calendar import WorkingCalendar
from chancery.clock import utcnow
from chancery.principal import Principal
from chancery.usecase import UseCase
from routing.adapters.models import Assignment, WorkflowLetter
from routing.domain.workflow import OPEN_STATUSES
from routing.permissions import WHOLE_TOWN_REPORTS

# Open work due within this many calendar days counts as due soon on the dashboard.
DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class ReportLine:
    """One department's month."""

    department: str
    month: str
    answered: int
    on_time: int
    on_time_rate: float | None
    average_days: float | None
    open: int
    overdue: int


def report_lines(
    letters: Iterable[WorkflowLetter],
    start: date,
    end: date,
    today: date,
    local_date: Callable[[datetime], date],
) -> list[ReportLine]:
    """Per department and month of answer: answered, on time, average days; open and overdue now.

    A letter is on time when it was answered on or before its due date; the
    handling time runs from receipt to answer in calendar days. Open and
    overdue counts are as of ``today`` and appear on the current month's line.
    """
    groups: dict[tuple[str, str], dict[str, list]] = defaultdict(
        lambda: {"days": [], "on_time": [], "open": [], "overdue": []}
    )
    current_month = today.strftime("%Y-%m")
    for letter in letters:
        department = letter.department_code or "—"
        if letter.answered_at is not None:
            answered_on = local_date(letter.answered_at)
            if not start <= answered_on <= end:
                continue
            group = groups[(department, answered_on.strftime("%Y-%m"))]
            group["days"].append((answered_on - local_date(letter.received_at)).days)
            group["on_time"].append(letter.due_date is None or answered_on <= letter.due_date)
        elif letter.status in OPEN_STATUSES:
            group = groups[(department, current_month)]
            group["open"].append(letter.id)
            if letter.due_date is not None and letter.due_date < today:
                group["overdue"].append(letter.id)
    lines = []
    for (department, month), group in sorted(groups.items()):
        answered = len(group["days"])
        on_time = sum(group["on_time"])
        lines.append(
            ReportLine(
                department=department,
                month=month,
                answered=answered,
                on_time=on_time,
                on_time_rate=round(on_time / answered, 3) if answered else None,
                average_days=round(sum(group["days"]) / answered, 1) if answered else None,
                open=len(group["open"]),
                overdue=len(group["overdue"]),
            )
        )
    return lines


@dataclass(frozen=True)
class DueLine:
    """One department's open letters and assignments, overdue and due soon, as of today."""

    department: str
    letters_overdue: int
    letters_due_soon: int
    assignments_overdue: int
    assignments_due_soon: int


def _urgency(due: date | None, today: date) -> str | None:
    if due is None:
        return None
    if due < today:
        return "overdue"
    return "due_soon" if (due - today).days <= DUE_SOON_DAYS else None


def due_lines(
    letters: Iterable[WorkflowLetter], assignments: Iterable[Assignment], today: date
) -> list[DueLine]:
    """Per department: open letters and open assignments overdue, and due within
    :data:`DUE_SOON_DAYS` days. Departments with open work and nothing urgent get a line
    of zeros; counts only, whoever reads them."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, items in (("letters", letters), ("assignments", assignments)):
        for item in items:
            row = counts[item.department_code or "—"]
            urgency = _urgency(item.due_date, today)
            if urgency:
                row[f"{kind}_{urgency}"] += 1
    return [
        DueLine(
            department=department,
            **{
                name: row[name]
                for name in (
                    "letters_overdue",
                    "letters_due_soon",
                    "assignments_overdue",
                    "assignments_due_soon",
                )
            },
        )
        for department, row in sorted(counts.items())
    ]


@dataclass(eq=False)
class Reports(UseCase):
    """Reports over the workflow's letters."""

    calendar: WorkingCalendar
    clock: Callable[[], datetime] = utcnow

    def deadlines(self, start: date, end: date, reader: Principal) -> list[ReportLine]:
        """The report for answers given between ``start`` and ``end`` and what is open now.

        Lines are counts, the same for every reader who may see them (protected
        letters are counted, never described); whoever reads only their own
        department (a head) gets only that department's lines.
        """
        query = select(WorkflowLetter).where(WorkflowLetter.department_code.is_not(None))
        if not self._sees_every_department(reader):
            query = query.where(WorkflowLetter.department_code == (reader.department or ""))
        with self.reading() as uow:
            letters = list(uow.session.scalars(query))
        today = self.calendar.local(self.clock()).date()
        return report_lines(
            letters, start, end, today, lambda moment: self.calendar.local(moment).date()
        )

    def due(self, reader: Principal) -> list[DueLine]:
        """Open letters and assignments overdue and due soon per department, as of today
        (scoped as :meth:`deadlines`: a head gets the own department's line)."""
        letters = select(WorkflowLetter).where(
            WorkflowLetter.department_code.is_not(None), WorkflowLetter.status.in_(OPEN_STATUSES)
        )
        tasks = select(Assignment).where(Assignment.status == "open")
        if not self._sees_every_department(reader):
            letters = letters.where(WorkflowLetter.department_code == (reader.department or ""))
            tasks = tasks.where(Assignment.department_code == (reader.department or ""))
        with self.reading() as uow:
            found = (list(uow.session.scalars(letters)), list(uow.session.scalars(tasks)))
        return due_lines(*found, self.calendar.local(self.clock()).date())

    @staticmethod
    def _sees_every_department(reader: Principal) -> bool:
        return reader.sees_every_department or reader.has_any(*WHOLE_TOWN_REPORTS)
