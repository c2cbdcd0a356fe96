"""Municipality profiles: one YAML file per municipality, validated on load.

A deployment serves one municipality, chosen by ``CHANCERY_PROFILE`` (a
shipped profile's code, or a path to a file). The profile gives the name,
country, languages, time zone, working hours and the calendar's legal rules
(shortened days, closed-day arrival, days declared by government decision),
registers and their number formats, departments, legal deadlines (each with its
source), endorsement and routing rules.

The package itself is pure (the profile's values and their rules), so a service's
domain may take a :class:`Profile`; :mod:`chancery.profiles.loading` reads and validates
the YAML files.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from typing import Any

from chancery.calendar import DayException, Period, WorkingCalendar

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = ("working_days", "calendar_days", "months")


class ProfileError(Exception):
    """A profile that cannot be used, with the reasons."""


def number_parts(template: str, year: int) -> list[str | int]:
    """A number format split into literal text (the year filled in) and the sequence's width.

    ``"R-{year}-{seq:05d}"`` in 2026 gives ``["R-2026-", 5]``. Only ``{year}``
    and ``{seq}`` (optionally ``:d`` or ``:0Nd``) are allowed, exactly once
    each, and no ``/``, quote or backslash, so a number is safe in a URL and
    in JSON, and the database can compose it too.
    """
    parts: list[str | int] = []
    seen: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"not a valid template: {exc}") from exc
    for literal, name, spec, conversion in parsed:
        if any(ch in literal for ch in '/"\\'):
            raise ValueError("must not contain a slash, a quote or a backslash")
        if literal:
            parts.append(literal)
        if name is None:
            continue
        seen.append(name)
        if conversion or name not in ("year", "seq") or not re.fullmatch(r"(0?\d*)?d?", spec or ""):
            raise ValueError(
                f"only {{year}} and {{seq}} or {{seq:0Nd}} are allowed, not {{{name}}}"
            )
        if name == "year":
            parts.append(format(year, spec or ""))
        else:
            width = (spec or "").rstrip("d").lstrip("0")
            parts.append(int(width) if width else 0)
    if sorted(seen) != ["seq", "year"]:
        raise ValueError("needs {year} and {seq}, once each")
    return parts


@dataclass(frozen=True)
class Register:
    """A protocol book: its code, direction, number format and the kinds it takes."""

    code: str
    direction: str
    names: dict[str, str]
    number_format: str
    kinds: tuple[str, ...]

    def format_number(self, year: int, seq: int) -> str:
        """The registration number of the ``seq``-th item of ``year``."""
        return self.number_format.format(year=year, seq=seq)

    def number_parts(self, year: int) -> list[str | int]:
        """Literal text and the sequence's zero-padding width (see :func:`number_parts`)."""
        return number_parts(self.number_format, year)


@dataclass(frozen=True)
class Department:
    """A department or administrative (territorial) unit."""

    code: str
    kind: str
    names: dict[str, str]
    parent: str | None
    email: str | None


@dataclass(frozen=True)
class DeadlineRule:
    """A legal answer deadline for some letter kinds, effective for receipts in a date range."""

    kinds: tuple[str, ...]
    amount: int
    unit: str
    effective_from: date
    effective_until: date | None
    extension: dict[str, Any] | None
    source: str

    def applies(self, kind: str, received: date) -> bool:
        """True for ``kind`` received on ``received``."""
        return (
            kind in self.kinds
            and self.effective_from <= received
            and (self.effective_until is None or received <= self.effective_until)
        )


@dataclass(frozen=True)
class Profile:
    """A validated municipality profile."""

    code: str
    names: dict[str, str]
    country: str
    languages: tuple[str, ...]
    time_zone: str
    working_hours: dict[int, tuple[Period, ...]]
    registers: tuple[Register, ...]
    departments: tuple[Department, ...]
    deadline_rules: tuple[DeadlineRule, ...]
    forwarding_deadlines: tuple[dict[str, Any], ...]
    due_soon_working_days: int
    endorsement: tuple[dict[str, Any], ...]
    routing_rules: tuple[dict[str, Any], ...]
    offices: dict[str, str]
    short_day: dict[str, Any] | None = None
    arrival: dict[str, Any] | None = None
    declared_days: tuple[DayException, ...] = ()

    @property
    def default_language(self) -> str:
        """The municipality's own language (the first listed)."""
        return self.languages[0]

    def name(self, language: str) -> str:
        """The municipality's name in ``language``, falling back to its own language."""
        return self.names.get(language) or self.names[self.default_language]

    def calendar(self, declared: tuple[DayException, ...] = ()) -> WorkingCalendar:
        """The working calendar: these hours, the country's public holidays and transfers,
        the profile's declared days and then ``declared`` (e.g. the days operators added),
        the shortened days and the arrival rule."""
        return WorkingCalendar(
            self.country,
            self.time_zone,
            self.working_hours,
            exceptions=(*self.declared_days, *declared),
            short_day_minutes=self.short_day["minutes"] if self.short_day else 0,
            arrival=self.arrival["counts_from"] if self.arrival else "next_working_day",
        )

    def forwarding_deadline(self, received: date) -> dict[str, Any]:
        """The forwarding term in force for a letter received on ``received``.

        Raises ``LookupError`` when no term covers that date.
        """
        for term in self.forwarding_deadlines:
            if term["effective_from"] <= received and (
                term["effective_until"] is None or received <= term["effective_until"]
            ):
                return term
        raise LookupError(f"no forwarding term in force on {received}")

    def register_for(self, direction: str, kind: str) -> Register:
        """The register that takes ``kind`` items in ``direction``."""
        for register in self.registers:
            if register.direction == direction and kind in register.kinds:
                return register
        raise LookupError(f"no {direction} register takes {kind}")

    def department(self, code: str) -> Department | None:
        """The department with ``code``, if the profile has it."""
        return next((d for d in self.departments if d.code == code), None)

    def deadline_rule(self, kind: str, received: date) -> DeadlineRule | None:
        """The legal deadline rule in force for ``kind`` received on ``received``."""
        return next((r for r in self.deadline_rules if r.applies(kind, received)), None)
