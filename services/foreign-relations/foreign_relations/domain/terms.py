"""Terms and deadlines: agreements ending, project deadlines and translations coming due."""

from __future__ import annotations

from datetime import date

from chancery.calendar import WorkingCalendar

PROJECT_STATUSES = ("idea", "preparing", "applied", "approved", "rejected", "running", "closed")


def days_left(until: date, today: date) -> int:
    """Calendar days from ``today`` to ``until`` (negative when past)."""
    return (until - today).days


def within_lead_time(until: date | None, today: date, lead_days: int) -> bool:
    """True when ``until`` lies from today up to ``lead_days`` days ahead."""
    return until is not None and 0 <= days_left(until, today) <= lead_days


def working_day_horizon(calendar: WorkingCalendar, today: date, working_days: int) -> date:
    """The day ``working_days`` working days after ``today`` (today itself for 0)."""
    horizon = today
    for _ in range(working_days):
        horizon = calendar.next_working_day(horizon)
    return horizon


def needs_expiry_warning(
    ends_on: date | None, warned_for: date | None, today: date, lead_days: int
) -> bool:
    """Whether the agreement term ending ``ends_on`` should be warned about now.

    Once per term: ``warned_for`` is the end date already warned about, so a
    renewal (a new end date) may warn again.
    """
    return within_lead_time(ends_on, today, lead_days) and warned_for != ends_on
