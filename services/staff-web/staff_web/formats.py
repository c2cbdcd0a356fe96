"""Dates, times and numbers as the person reads them, in the municipality's time zone."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, format_decimal


def local_datetime(value: str | datetime | None, style: str = "medium") -> str:
    """An ISO 8601 instant from a service in the person's locale and the municipality's zone."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment, style)


def local_date(value: str | date | None, style: str = "medium") -> str:
    """An ISO 8601 day (already the municipality's) in the person's locale."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, style)


def number(value: int | float | None) -> str:
    """A number with the locale's digit grouping."""
    return "" if value is None else format_decimal(value)
