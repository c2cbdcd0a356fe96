"""Reception-hours slots: an official's weekly hours laid onto the working calendar.

A slot exists where the official's weekly reception window, the
municipality's working periods of that day (lunch break, short Friday and the
working day shortened before a public holiday included) and the working
calendar (public holidays, transferred working Saturdays, days declared by
government decision) all allow it. Slots are laid out
from the start of each part of the window that lies in working time, so a
window broken by lunch continues right after it, and a slot never runs past
the end of a working period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chancery.calendar import WorkingCalendar


@dataclass(frozen=True)
class ReceptionWindow:
    """One weekly reception window of an official (``weekday`` 0 = Monday)."""

    weekday: int
    start: time
    end: time
    slot_minutes: int
    valid_from: date | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError("weekday must be 0 (Monday) .. 6 (Sunday)")
        if self.start >= self.end:
            raise ValueError("a reception window must start before it ends")
        if not 5 <= self.slot_minutes <= 240:
            raise ValueError("a slot lasts 5 to 240 minutes")

    def applies(self, day: date) -> bool:
        """Whether the window holds on ``day`` (its weekday and validity dates)."""
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class Slot:
    """A bookable span, as aware datetimes in the municipality's time zone."""

    starts_at: datetime
    ends_at: datetime


@dataclass
class SlotPlan:
    """The slots of a date range and the reception days that fell on closed days, with why
    (in English, and as structured data for other languages: ``closed_details``)."""

    slots: list[Slot] = field(default_factory=list)
    closed_days: list[tuple[date, str]] = field(default_factory=list)
    closed_details: dict[date, dict[str, Any]] = field(default_factory=dict)


class DayPeriods:
    """The calendar's working periods per day, computed once per day.

    Many officials share a municipality's days: the holiday lookup and the
    time-zone arithmetic then run once per day instead of once per official.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.zone = ZoneInfo(calendar.time_zone)
        self._periods: dict[date, list[tuple[datetime, datetime]]] = {}

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's working periods (aware, local); [] on a closed day."""
        found = self._periods.get(day)
        if found is None:
            found = self._periods[day] = self.calendar.working_periods(day)
        return found


def generate_slots(
    days: DayPeriods, windows: Sequence[ReceptionWindow], first: date, last: date
) -> SlotPlan:
    """The slots of ``windows`` from ``first`` to ``last`` (both included), in time order."""
    plan = SlotPlan()
    by_weekday: dict[int, list[ReceptionWindow]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    day = first
    while day <= last:
        todays = [w for w in by_weekday.get(day.weekday(), ()) if w.applies(day)]
        if todays:
            periods = days.periods(day)
            if not periods:
                plan.closed_days.append((day, days.calendar.closed_reason(day) or "closed"))
                detail = days.calendar.closed_reason_detail(day)
                if detail is not None:
                    plan.closed_details[day] = detail
            for window in todays:
                plan.slots.extend(_window_slots(days.zone, window, day, periods))
        day += timedelta(days=1)
    plan.slots.sort(key=lambda slot: slot.starts_at)
    return plan


def _window_slots(
    zone: ZoneInfo, window: ReceptionWindow, day: date, periods: Iterable[tuple[datetime, datetime]]
) -> list[Slot]:
    opens = datetime.combine(day, window.start, tzinfo=zone)
    closes = datetime.combine(day, window.end, tzinfo=zone)
    step = timedelta(minutes=window.slot_minutes)
    slots = []
    for period_start, period_end in periods:
        start, end = max(opens, period_start), min(closes, period_end)
        while start + step <= end:
            slots.append(Slot(start, start + step))
            start += step
    return slots


def is_slot(plan: SlotPlan, starts_at: datetime) -> Slot | None:
    """The slot of ``plan`` starting at ``starts_at`` (any zone), or None."""
    return next((slot for slot in plan.slots if slot.starts_at == starts_at), None)
