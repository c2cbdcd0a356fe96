"""Execution control reports: on-time rate, handling time, open and overdue letters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from chancery.auth import Principal
from chancery.calendar import WorkingCalendar
from chancery.db import UnitOfWork, utcnow
from routing.models import WorkflowLetter
from routing.workflow import OPEN_STATUSES


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


def report_lines(letters: Iterable[WorkflowLetter], start: date, end: date, today: date,
                 local_date: Callable[[datetime], date]) -> list[ReportLine]:
    """Per department and month of answer: answered, on time, average days; open and overdue now.

    A letter is on time when it was answered on or before its due date; the
    handling time runs from receipt to answer in calendar days. Open and
    overdue counts are as of ``today`` and appear on the current month's line.
    """
    groups: dict[tuple[str, str], dict[str, list]] = defaultdict(
        lambda: {"days": [], "on_time": [], "open": [], "overdue": []})
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
        lines.append(ReportLine(
            department=department, month=month, answered=answered, on_time=on_time,
            on_time_rate=round(on_time / answered, 3) if answered else None,
            average_days=round(sum(group["days"]) / answered, 1) if answered else None,
            open=len(group["open"]), overdue=len(group["overdue"])))
    return lines


class Reports:
    """Reports over the workflow's letters."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], calendar: WorkingCalendar,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self._calendar = calendar
        self._clock = clock

    def deadlines(self, start: date, end: date, reader: Principal) -> list[ReportLine]:
        """The report for answers given between ``start`` and ``end`` and what is open now.

        Lines are counts, the same for every reader who may see them (protected
        letters are counted, never described); whoever reads only their own
        department (a head) gets only that department's lines.
        """
        query = select(WorkflowLetter).where(WorkflowLetter.department_code.is_not(None))
        if not reader.sees_every_department and not reader.has_any("mayor", "director"):
            query = query.where(WorkflowLetter.department_code == (reader.department or ""))
        with self._uow() as uow:
            letters = list(uow.session.scalars(query))
        today = self._calendar.local(self._clock()).date()
        return report_lines(letters, start, end, today,
                            lambda moment: self._calendar.local(moment).date())
