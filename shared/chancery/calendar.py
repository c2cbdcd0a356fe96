"""Working calendars and explainable legal deadlines.

A municipality's chancery must answer letters within legal terms that respect its working
hours and its country's public holidays. Term counting follows the civil-code style used in
all four countries:

* a term starts running on the day after the event (here: the receipt of a letter);
* a letter that arrives on a non-working day, or after the office has closed, counts as
  received on the next working day, unless the country's law counts from the arrival date
  (``arrival="arrival_day"``, set per profile with its legal source);
* when the last day of a term falls on a non-working day, the term ends on the next
  working day.

The working calendar knows the country's public holidays and its transferred working days
(a working Saturday that makes up for a bridge day off, from the ``holidays`` package), the
days off and extra working days declared by government decision (:class:`DayException`,
from the profile or added by an operator at run time), and the working day before a public
holiday that is shortened by law (``short_day_minutes``).

Every computation records its steps as structured data (a code and its values, see
:mod:`chancery.explanations`), so the due date can be explained to the applicant and to an
auditor in their own language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "ARRIVAL_RULES",
    "UNITS",
    "DayException",
    "DeadlineComputation",
    "Period",
    "WorkingCalendar",
]

_HOLIDAY_LANGUAGE = "en_US"
UNITS = ("working_days", "calendar_days", "months")
# Whether a letter that arrives on a closed day (or after hours) starts its term from the
# next working day or from its arrival date.
ARRIVAL_RULES = ("next_working_day", "arrival_day")
# The holidays package names a bridge day off "Day off (substituted from MM/DD/YYYY)",
# the date being the weekend day worked instead.
_SUBSTITUTED = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")

Step = dict[str, Any]


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
class DayException:
    """A day off, or an extra working day, declared by government decision.

    ``working`` is False for a day off and True for an extra working day (e.g. a Saturday
    worked to make up for a bridge day). ``reason`` and ``decree`` (the decision's
    reference) explain the day in deadline explanations. An extra working day works the
    hours of weekday ``hours_of`` (0 = Monday), by default the first weekday with hours.
    """

    day: date
    working: bool
    reason: str
    decree: str | None = None
    hours_of: int | None = None


@dataclass(frozen=True)
class DeadlineComputation:
    """The result of a deadline computation together with its explanation.

    ``counted_from`` is the first day of the term, i.e. the day after the receipt day.
    ``steps`` are structured steps (``{"code": ..., values}``) describing how ``due`` was
    obtained; :func:`chancery.explanations.render` turns them into sentences.
    """

    received_at: datetime
    counted_from: date
    amount: int
    unit: str
    due: date
    steps: tuple[Step, ...]
    country: str = ""

    def lines(self, language: str = "en") -> list[str]:
        """The steps as sentences in ``language`` (lt, lv, ka, sq or en)."""
        from chancery.explanations import render

        return render(self.steps, language, self.country)

    def explanation(self, language: str = "en") -> str:
        """Return the steps as one text, one step per line."""
        return "\n".join(self.lines(language))

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready representation (ISO 8601 strings for dates and instants)."""
        return {
            "received_at": self.received_at.isoformat(),
            "counted_from": self.counted_from.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "due": self.due.isoformat(),
            "country": self.country,
            "steps": [dict(step) for step in self.steps],
        }


class WorkingCalendar:
    """Working days and hours of one municipality.

    A day is a working day when it is declared a working day (a :class:`DayException` with
    ``working=True``, or a transferred working Saturday the ``holidays`` package knows), or
    when its weekday has working hours and it is neither a public holiday of ``country``
    nor a declared day off nor one of ``extra_closed_days``.
    """

    def __init__(
        self,
        country: str,
        time_zone: str,
        working_hours: Mapping[int, Sequence[Period]],
        extra_closed_days: Iterable[date] = (),
        exceptions: Iterable[DayException] = (),
        short_day_minutes: int = 0,
        arrival: str = "next_working_day",
    ) -> None:
        """Create a calendar.

        ``working_hours`` is keyed by weekday number (0=Monday .. 6=Sunday); a weekday that
        is absent or has no periods is closed. ``short_day_minutes`` shortens the last
        working period of the working day before a public holiday (Lithuania and Latvia:
        60). ``arrival`` is one of :data:`ARRIVAL_RULES`. Raises ``ValueError`` for an
        unknown country or time zone, invalid weekdays, overlapping periods, a calendar
        with no working hours at all, or an unknown arrival rule.
        """
        self.country = country
        self.time_zone = time_zone
        self._tz = _load_zone(time_zone)
        _check_country(country)
        self._hours = _normalise_hours(working_hours)
        self._extra_closed = frozenset(extra_closed_days)
        self._exceptions = {exception.day: exception for exception in exceptions}
        if short_day_minutes < 0:
            raise ValueError("short_day_minutes must not be negative")
        self.short_day_minutes = short_day_minutes
        if arrival not in ARRIVAL_RULES:
            raise ValueError(f"Unknown arrival rule {arrival!r}; expected one of {ARRIVAL_RULES}")
        self.arrival = arrival
        self._holiday_cache: dict[int, _Year] = {}

    def __repr__(self) -> str:
        """Show the country and time zone, which identify the calendar in logs."""
        return f"WorkingCalendar(country={self.country!r}, time_zone={self.time_zone!r})"

    def with_exceptions(self, exceptions: Iterable[DayException]) -> WorkingCalendar:
        """This calendar with more declared days (later ones win for the same date).

        Cheap: the holiday tables already loaded are shared, so a service can build the
        calendar of the moment (profile + the days stored by operators) per computation.
        """
        merged = WorkingCalendar.__new__(WorkingCalendar)
        merged.__dict__.update(self.__dict__)
        merged._exceptions = {
            **self._exceptions,
            **{exception.day: exception for exception in exceptions},
        }
        return merged

    @property
    def exceptions(self) -> tuple[DayException, ...]:
        """The declared days off and extra working days, by date."""
        return tuple(self._exceptions[day] for day in sorted(self._exceptions))

    # --- days -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Return True when ``day`` is a working day (see the class docstring)."""
        return self.closed_reason_detail(day) is None

    def closed_reason(self, day: date) -> str | None:
        """Explain in English why ``day`` is not a working day, or return None on a working day.

        A public holiday is reported in preference to the weekday, because it is the more
        informative reason (e.g. "public holiday: Second Day of Christmas" on a Saturday).
        """
        from chancery.explanations import render_reason

        reason = self.closed_reason_detail(day)
        return None if reason is None else render_reason(reason, "en", self.country)

    def closed_reason_detail(self, day: date) -> dict[str, Any] | None:
        """Why ``day`` is not a working day, as structured data (``{"kind": ...}``), or None.

        Kinds: ``declared`` (a day off by government decision, with reason and decree),
        ``holiday`` (with its English name), ``municipality`` (closed by the municipality)
        and ``weekday`` (a weekday without working hours).
        """
        exception = self._exceptions.get(day)
        if exception is not None:
            if exception.working:
                return None
            return {
                "kind": "declared",
                "day": day.isoformat(),
                "reason": exception.reason,
                "decree": exception.decree,
            }
        year = self._year(day.year)
        holiday = year.holidays.get(day)
        if holiday is not None:
            return {"kind": "holiday", "day": day.isoformat(), "name": holiday}
        if day in self._extra_closed:
            return {"kind": "municipality", "day": day.isoformat()}
        if day in year.transferred or self._hours.get(day.weekday()):
            return None
        return {"kind": "weekday", "weekday": day.weekday()}

    def transferred_from(self, day: date) -> date | None:
        """For a weekend day worked to make up for a bridge day off, that day off."""
        return self._year(day.year).transferred.get(day)

    def is_short_day(self, day: date) -> bool:
        """True for a working day shortened by law: the next day is a public holiday."""
        if not self.short_day_minutes or not self.is_working_day(day):
            return False
        following = day + timedelta(days=1)
        return following in self._year(following.year).public

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
        """Return the day's working periods as aware local datetimes; [] when closed.

        On a shortened day the last period ends ``short_day_minutes`` earlier (a period
        that would vanish is dropped).
        """
        periods = self._periods_of(day)
        if not periods:
            return []
        spans = [
            (self._wall_clock(day, period.start), self._wall_clock(day, period.end))
            for period in periods
        ]
        if self.is_short_day(day):
            start, end = spans[-1]
            end -= timedelta(minutes=self.short_day_minutes)
            spans = spans[:-1] + ([(start, end)] if end > start else [])
        return spans

    def is_working_time(self, instant: datetime) -> bool:
        """Return True when ``instant`` falls inside one of the local day's working periods."""
        moment = self.local(instant)
        return any(start <= moment < end for start, end in self.working_periods(moment.date()))

    def receipt_day(self, instant: datetime) -> date:
        """Return the day on which a letter received at ``instant`` counts as received.

        Under the ``next_working_day`` rule it is the local date when that is a working day
        and the letter arrived before the end of the day's last working period (shortened
        days included); otherwise the next working day. A letter arriving before opening
        time counts for that same day: it is in the office when work starts. Under the
        ``arrival_day`` rule it is always the local date of arrival.
        """
        moment = self.local(instant)
        if self.arrival == "arrival_day":
            return moment.date()
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
        return self._count(received, receipt, days, "working_days", steps)

    def add_calendar_days(self, received: datetime, days: int) -> DeadlineComputation:
        """Return the receipt day plus ``days`` calendar days, moved to a working day.

        Every day counts; only when the last day is not a working day does the term end on
        the next working day.
        """
        _check_amount(days)
        receipt, steps = self._start(received)
        return self._count(received, receipt, days, "calendar_days", steps)

    def add_months(self, received: datetime, months: int) -> DeadlineComputation:
        """Return the same day of the month ``months`` months after the receipt day.

        When that month is shorter, the term ends on its last day (31 January + 1 month =
        28 or 29 February); a non-working last day moves to the next working day.
        """
        _check_amount(months)
        receipt, steps = self._start(received)
        return self._count(received, receipt, months, "months", steps)

    def extend_from_due(
        self, received: datetime, due: date, amount: int, unit: str
    ) -> DeadlineComputation:
        """A further term of ``amount`` ``unit`` counted from the day after ``due``.

        The explanation starts from the current due date, not from a receipt.
        """
        if unit not in UNITS:
            raise ValueError(f"Unknown deadline unit {unit!r}; expected one of {UNITS}")
        _check_amount(amount)
        steps: list[Step] = [
            {"code": "extension_from_due", "day": due.isoformat()},
            {"code": "counting_continues", "day": (due + timedelta(days=1)).isoformat()},
        ]
        return self._count(received, due, amount, unit, steps)

    # --- internals ------------------------------------------------------------------------

    def _count(
        self, received: datetime, start: date, amount: int, unit: str, steps: list[Step]
    ) -> DeadlineComputation:
        """Count ``amount`` ``unit`` from the day after ``start`` and close the steps."""
        if unit == "working_days":
            day, counted = start, 0
            while counted < amount:
                day += timedelta(days=1)
                if self.is_working_day(day):
                    counted += 1
                    self._note_extra_working_day(day, steps)
                else:
                    steps.append(self._skipped(day))
            steps.append({"code": "nth_working_day", "n": amount, "day": day.isoformat()})
            due = day
        elif unit == "calendar_days":
            last = start + timedelta(days=amount)
            steps.append({"code": "nth_calendar_day", "n": amount, "day": last.isoformat()})
            due = self._roll_forward(last, steps)
        else:
            last, clamped = _add_months(start, amount)
            steps.append(
                {
                    "code": "months_after",
                    "n": amount,
                    "from": start.isoformat(),
                    "day": last.isoformat(),
                    "clamped": clamped,
                }
            )
            due = self._roll_forward(last, steps)
        steps.append({"code": "due", "day": due.isoformat()})
        return DeadlineComputation(
            received_at=self.local(received),
            counted_from=start + timedelta(days=1),
            amount=amount,
            unit=unit,
            due=due,
            steps=tuple(steps),
            country=self.country,
        )

    def _note_extra_working_day(self, day: date, steps: list[Step]) -> None:
        """Record a counted day that is a working day only by transfer or decision."""
        exception = self._exceptions.get(day)
        if exception is not None and exception.working:
            steps.append(
                {
                    "code": "declared_working_day",
                    "day": day.isoformat(),
                    "reason": exception.reason,
                    "decree": exception.decree,
                }
            )
            return
        replaced = self.transferred_from(day)
        if replaced is not None:
            steps.append(
                {
                    "code": "transferred_working_day",
                    "day": day.isoformat(),
                    "replaces": replaced.isoformat(),
                }
            )

    def _start(self, received: datetime) -> tuple[date, list[Step]]:
        """Determine the receipt day and describe how it was obtained."""
        moment = self.local(received)
        steps: list[Step] = [
            {
                "code": "received",
                "at": moment.strftime("%Y-%m-%d %H:%M"),
                "zone": self.time_zone,
                "weekday": moment.weekday(),
            }
        ]
        receipt = self.receipt_day(received)
        if receipt != moment.date():
            steps.extend(self._late_receipt_steps(moment, receipt))
        elif self.arrival == "arrival_day" and not self.is_working_time(received):
            steps.append({"code": "arrival_day_counts", "day": receipt.isoformat()})
        steps.append({"code": "counting_starts", "day": (receipt + timedelta(days=1)).isoformat()})
        return receipt, steps

    def _late_receipt_steps(self, moment: datetime, receipt: date) -> list[Step]:
        """Explain why a receipt counts for a later working day than its local date."""
        reason = self.closed_reason_detail(moment.date())
        if reason is None:
            closing = self.working_periods(moment.date())[-1][1]
            steps: list[Step] = [
                {
                    "code": "after_hours",
                    "closing": f"{closing:%H:%M}",
                    "shortened": self.is_short_day(moment.date()),
                }
            ]
        else:
            steps = [{"code": "closed_arrival", "reason": reason}]
        day = moment.date() + timedelta(days=1)
        while day < receipt:
            steps.append(self._skipped(day))
            day += timedelta(days=1)
        steps.append({"code": "counts_as_received", "day": receipt.isoformat()})
        return steps

    def _roll_forward(self, last: date, steps: list[Step]) -> date:
        """Move a term's last day to the next working day, recording each skipped day."""
        reason = self.closed_reason_detail(last)
        if reason is None:
            return last
        steps.append({"code": "rolls_forward", "day": last.isoformat(), "reason": reason})
        due = self.next_working_day(last)
        day = last + timedelta(days=1)
        while day < due:
            steps.append(self._skipped(day))
            day += timedelta(days=1)
        return due

    def _skipped(self, day: date) -> Step:
        """A skipped non-working day with its reason."""
        return {"code": "skipped", "day": day.isoformat(), "reason": self.closed_reason_detail(day)}

    def _periods_of(self, day: date) -> tuple[Period, ...]:
        """The day's working periods before any shortening; () on a closed day."""
        if not self.is_working_day(day):
            return ()
        own = self._hours.get(day.weekday())
        if own:
            return own
        exception = self._exceptions.get(day)
        replaced = self.transferred_from(day)
        if exception is not None and exception.hours_of is not None:
            weekday = exception.hours_of
        elif replaced is not None:
            weekday = replaced.weekday()
        else:
            weekday = -1
        if self._hours.get(weekday):
            return self._hours[weekday]
        # A worked weekend day without a named pattern works the first weekday's hours.
        return next(periods for _, periods in sorted(self._hours.items()) if periods)

    def _year(self, year: int) -> _Year:
        """The public holidays and transferred working days of ``year``, loaded once."""
        if year not in self._holiday_cache:
            self._holiday_cache[year] = _load_year(self.country, year)
        return self._holiday_cache[year]

    def _wall_clock(self, day: date, at: time) -> datetime:
        """Return the aware local datetime for wall-clock ``at`` on ``day``.

        The UTC round trip normalises wall-clock times skipped by a DST change (e.g. 03:30
        on a spring-forward night) to the real instant one hour later.
        """
        naive_aware = datetime.combine(day, at, tzinfo=self._tz)
        return naive_aware.astimezone(UTC).astimezone(self._tz)


@dataclass(frozen=True)
class _Year:
    """One year of a country's calendar from the ``holidays`` package.

    ``holidays`` has every closed day with its English name (bridge days off included),
    ``public`` only the public holidays proper (a bridge day off does not shorten the day
    before it), ``transferred`` maps each worked weekend day to the day off it replaces.
    """

    holidays: dict[date, str]
    public: frozenset[date]
    transferred: dict[date, date]


def _load_year(country: str, year: int) -> _Year:
    """Load one year; the previous year too, for a late-December holiday observed in January."""
    source = holidays.country_holidays(
        country, years=(year - 1, year, year + 1), language=_HOLIDAY_LANGUAGE
    )
    days = {day: name for day, name in source.items() if day.year == year}
    transferred: dict[date, date] = {}
    bridge_days = set()
    for day, name in source.items():
        found = _SUBSTITUTED.search(name)
        if found:
            bridge_days.add(day)
            month, dom, yr = (int(part) for part in found.groups())
            if yr == year:
                transferred[date(yr, month, dom)] = day
    return _Year(
        holidays=days,
        public=frozenset(d for d in days if d not in bridge_days),
        transferred=transferred,
    )


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
