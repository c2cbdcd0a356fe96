"""Working calendars and explainable legal deadlines.

A municipality's chancery must answer letters within legal terms that respect its working
hours and its country's public holidays. Term counting follows the civil-code style used in
Lithuania and Latvia:

* a term starts running on the day after the event (here: the receipt of a letter);
* a letter that arrives on a non-working day, or after the office has closed, counts as
  received on the next working day;
* when the last day of a term falls on a non-working day, the term ends on the next
  working day.

Every computation records human-readable steps so the due date can be explained to the
applicant and to an auditor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = ["UNITS", "DeadlineComputation", "Period", "WorkingCalendar"]

# English names regardless of the process locale, which strftime("%A") would follow.
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HOLIDAY_LANGUAGE = "en_US"
UNITS = ("working_days", "calendar_days", "months")


@dataclass(frozen=True)
class Period:
    """A stretch of working time within one day, in the municipality's local time.

    ``start`` is inclusive and ``end`` exclusive; both are naive wall-clock times.
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        """Reject time-zone-aware times and empty or inverted periods."""
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Period times must be naive local wall-clock times")
        if self.start >= self.end:
            raise ValueError(f"Period start {self.start} must be before its end {self.end}")


@dataclass(frozen=True)
class DeadlineComputation:
    """The result of a deadline computation together with its explanation.

    ``counted_from`` is the first day of the term, i.e. the day after the receipt day.
    ``steps`` are English sentences describing how ``due`` was obtained.
    """

    received_at: datetime
    counted_from: date
    amount: int
    unit: str
    due: date
    steps: tuple[str, ...]

    def explanation(self) -> str:
        """Return the steps as one text, one step per line."""
        return "\n".join(self.steps)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready representation (ISO 8601 strings for dates and instants)."""
        return {
            "received_at": self.received_at.isoformat(),
            "counted_from": self.counted_from.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "due": self.due.isoformat(),
            "steps": list(self.steps),
        }


class WorkingCalendar:
    """Working days and hours of one municipality.

    A day is a working day when its weekday has working hours and it is neither a public
    holiday of ``country`` (from the ``holidays`` package) nor one of ``extra_closed_days``.
    """

    def __init__(
        self,
        country: str,
        time_zone: str,
        working_hours: Mapping[int, Sequence[Period]],
        extra_closed_days: Iterable[date] = (),
    ) -> None:
        """Create a calendar.

        ``working_hours`` is keyed by weekday number (0=Monday .. 6=Sunday); a weekday that
        is absent or has no periods is closed. Raises ``ValueError`` for an unknown country
        or time zone, invalid weekdays, overlapping periods or a calendar with no working
        hours at all.
        """
        self.country = country
        self.time_zone = time_zone
        self._tz = _load_zone(time_zone)
        _check_country(country)
        self._hours = _normalise_hours(working_hours)
        self._extra_closed = frozenset(extra_closed_days)
        self._holiday_cache: dict[int, dict[date, str]] = {}

    def __repr__(self) -> str:
        """Show the country and time zone, which identify the calendar in logs."""
        return f"WorkingCalendar(country={self.country!r}, time_zone={self.time_zone!r})"

    # --- days -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Return True when ``day`` has working hours and is not a holiday or closed day."""
        return self.closed_reason(day) is None

    def closed_reason(self, day: date) -> str | None:
        """Explain why ``day`` is not a working day, or return None on a working day.

        A public holiday is reported in preference to the weekday, because it is the more
        informative reason (e.g. "public holiday: Second Day of Christmas" on a Saturday).
        """
        holiday = self._holiday_name(day)
        if holiday is not None:
            return f"public holiday: {holiday}"
        if day in self._extra_closed:
            return "closed by the municipality"
        if not self._hours.get(day.weekday()):
            return _WEEKDAY_NAMES[day.weekday()]
        return None

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``."""
        candidate = day + timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += timedelta(days=1)
        return candidate

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days in the interval (``start``, ``end``]; 0 if end <= start."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    # --- times ----------------------------------------------------------------------------

    def local(self, instant: datetime) -> datetime:
        """Convert an aware instant to the municipality's local time.

        Naive datetimes are rejected with ``ValueError``: guessing their zone would silently
        shift deadlines by a day around midnight.
        """
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"Expected a time-zone-aware datetime, got naive {instant!r}")
        return instant.astimezone(self._tz)

    def working_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """Return the day's working periods as aware local datetimes; [] when closed."""
        if not self.is_working_day(day):
            return []
        return [
            (self._wall_clock(day, period.start), self._wall_clock(day, period.end))
            for period in self._hours[day.weekday()]
        ]

    def is_working_time(self, instant: datetime) -> bool:
        """Return True when ``instant`` falls inside one of the local day's working periods."""
        moment = self.local(instant)
        return any(start <= moment < end for start, end in self.working_periods(moment.date()))

    def receipt_day(self, instant: datetime) -> date:
        """Return the working day on which a letter received at ``instant`` counts as received.

        It is the local date when that is a working day and the letter arrived before the end
        of the day's last working period; otherwise the next working day. A letter arriving
        before opening time counts for that same day: it is in the office when work starts.
        """
        moment = self.local(instant)
        periods = self.working_periods(moment.date())
        if periods and moment < periods[-1][1]:
            return moment.date()
        return self.next_working_day(moment.date())

    # --- deadlines ------------------------------------------------------------------------

    def compute(self, received: datetime, amount: int, unit: str) -> DeadlineComputation:
        """Compute a deadline of ``amount`` ``unit`` (one of ``UNITS``) after ``received``."""
        methods: dict[str, Callable[[datetime, int], DeadlineComputation]] = {
            "working_days": self.add_working_days,
            "calendar_days": self.add_calendar_days,
            "months": self.add_months,
        }
        if unit not in methods:
            raise ValueError(f"Unknown deadline unit {unit!r}; expected one of {UNITS}")
        return methods[unit](received, amount)

    def add_working_days(self, received: datetime, days: int) -> DeadlineComputation:
        """Return the ``days``-th working day after the receipt day.

        Non-working days inside the term are not counted, so the term always ends on a
        working day and no roll-forward is needed.
        """
        _check_amount(days)
        receipt, steps = self._start(received)
        day, counted = receipt, 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
            else:
                steps.append(self._skipped(day))
        steps.append(f"{_ordinal(days)} working day: {_describe(day)}")
        return self._finish(received, receipt, days, "working_days", day, steps)

    def add_calendar_days(self, received: datetime, days: int) -> DeadlineComputation:
        """Return the receipt day plus ``days`` calendar days, moved to a working day.

        Every day counts; only when the last day is not a working day does the term end on
        the next working day.
        """
        _check_amount(days)
        receipt, steps = self._start(received)
        last = receipt + timedelta(days=days)
        steps.append(f"{_ordinal(days)} calendar day: {_describe(last)}")
        due = self._roll_forward(last, steps)
        return self._finish(received, receipt, days, "calendar_days", due, steps)

    def add_months(self, received: datetime, months: int) -> DeadlineComputation:
        """Return the same day of the month ``months`` months after the receipt day.

        When that month is shorter, the term ends on its last day (31 January + 1 month =
        28 or 29 February); a non-working last day moves to the next working day.
        """
        _check_amount(months)
        receipt, steps = self._start(received)
        last, clamped = _add_months(receipt, months)
        unit_name = "month" if months == 1 else "months"
        line = f"{months} {unit_name} after {receipt.isoformat()}: {_describe(last)}"
        if clamped:
            line += f" (the month has no day {receipt.day}; its last day is used)"
        steps.append(line)
        due = self._roll_forward(last, steps)
        return self._finish(received, receipt, months, "months", due, steps)

    # --- internals ------------------------------------------------------------------------

    def _start(self, received: datetime) -> tuple[date, list[str]]:
        """Determine the receipt day and describe how it was obtained."""
        moment = self.local(received)
        steps = [
            f"Received {moment:%Y-%m-%d %H:%M} {self.time_zone} "
            f"({_WEEKDAY_NAMES[moment.weekday()]})"
        ]
        receipt = self.receipt_day(received)
        if receipt != moment.date():
            steps.extend(self._late_receipt_steps(moment, receipt))
        steps.append(
            f"Counting starts the day after receipt: {(receipt + timedelta(days=1)).isoformat()}"
        )
        return receipt, steps

    def _late_receipt_steps(self, moment: datetime, receipt: date) -> list[str]:
        """Explain why a receipt counts for a later working day than its local date."""
        reason = self.closed_reason(moment.date())
        if reason is None:
            closing = self.working_periods(moment.date())[-1][1]
            steps = [f"Received after working hours ended at {closing:%H:%M}"]
        else:
            steps = [f"Received on a non-working day: {reason}"]
        day = moment.date() + timedelta(days=1)
        while day < receipt:
            steps.append(self._skipped(day))
            day += timedelta(days=1)
        steps.append(f"Counts as received on the next working day: {_describe(receipt)}")
        return steps

    def _roll_forward(self, last: date, steps: list[str]) -> date:
        """Move a term's last day to the next working day, recording each skipped day."""
        reason = self.closed_reason(last)
        if reason is None:
            return last
        steps.append(
            f"{last.isoformat()} is not a working day ({reason}); "
            "the deadline moves to the next working day"
        )
        due = self.next_working_day(last)
        day = last + timedelta(days=1)
        while day < due:
            steps.append(self._skipped(day))
            day += timedelta(days=1)
        return due

    def _skipped(self, day: date) -> str:
        """Describe a skipped non-working day without repeating its weekday as the reason."""
        reason = self.closed_reason(day)
        if reason == _WEEKDAY_NAMES[day.weekday()]:
            return f"Skipped {day.isoformat()}: {reason}"
        return f"Skipped {_describe(day)}: {reason}"

    def _finish(
        self,
        received: datetime,
        receipt: date,
        amount: int,
        unit: str,
        due: date,
        steps: list[str],
    ) -> DeadlineComputation:
        """Assemble the computation, closing the steps with the due date."""
        steps.append(f"Due date: {_describe(due)}")
        return DeadlineComputation(
            received_at=received,
            counted_from=receipt + timedelta(days=1),
            amount=amount,
            unit=unit,
            due=due,
            steps=tuple(steps),
        )

    def _holiday_name(self, day: date) -> str | None:
        """Return the public holiday name for ``day``, or None."""
        if day.year not in self._holiday_cache:
            self._holiday_cache[day.year] = self._load_holidays(day.year)
        return self._holiday_cache[day.year].get(day)

    def _load_holidays(self, year: int) -> dict[date, str]:
        """Load one year's public holidays.

        The previous year is loaded too because an observed (substitute) day of a late
        December holiday can fall in January of ``year``.
        """
        source = holidays.country_holidays(
            self.country, years=(year - 1, year), language=_HOLIDAY_LANGUAGE
        )
        return {day: name for day, name in source.items() if day.year == year}

    def _wall_clock(self, day: date, at: time) -> datetime:
        """Return the aware local datetime for wall-clock ``at`` on ``day``.

        The UTC round trip normalises wall-clock times skipped by a DST change (e.g. 03:30
        on a spring-forward night) to the real instant one hour later.
        """
        naive_aware = datetime.combine(day, at, tzinfo=self._tz)
        return naive_aware.astimezone(UTC).astimezone(self._tz)


def _load_zone(time_zone: str) -> ZoneInfo:
    """Return the IANA zone, turning an unknown name into ``ValueError``."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"Unknown time zone {time_zone!r}") from error


def _check_country(country: str) -> None:
    """Raise ``ValueError`` unless the ``holidays`` package knows ``country``."""
    try:
        holidays.country_holidays(country, years=(), language=_HOLIDAY_LANGUAGE)
    except NotImplementedError as error:
        raise ValueError(f"Unknown country {country!r} for public holidays") from error


def _normalise_hours(
    working_hours: Mapping[int, Sequence[Period]],
) -> dict[int, tuple[Period, ...]]:
    """Validate working hours and return them with each day's periods sorted by start."""
    hours: dict[int, tuple[Period, ...]] = {}
    for weekday, periods in working_hours.items():
        if weekday not in range(7):
            raise ValueError(f"Weekday must be 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        ordered = tuple(sorted(periods, key=lambda period: period.start))
        for before, after in pairwise(ordered):
            if after.start < before.end:
                raise ValueError(f"Overlapping periods on weekday {weekday}: {before}, {after}")
        hours[weekday] = ordered
    # Without any working weekday, next_working_day would search forever.
    if not any(hours.values()):
        raise ValueError("working_hours must give at least one weekday working periods")
    return hours


def _check_amount(amount: int) -> None:
    """Require a term of at least one unit."""
    if amount < 1:
        raise ValueError(f"The term must be at least 1, got {amount}")


def _add_months(day: date, months: int) -> tuple[date, bool]:
    """Add months keeping the day of month, clamped to the target month's last day.

    Returns the date and whether clamping happened.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = _days_in_month(year, month)
    return date(year, month, min(day.day, last_day)), day.day > last_day


def _days_in_month(year: int, month: int) -> int:
    """Return the number of days in a month."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def _describe(day: date) -> str:
    """Format a date with its English weekday, e.g. "2026-12-28 (Monday)"."""
    return f"{day.isoformat()} ({_WEEKDAY_NAMES[day.weekday()]})"


def _ordinal(number: int) -> str:
    """Return the English ordinal of a positive number: 1st, 2nd, 3rd, 11th, 21st ..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
