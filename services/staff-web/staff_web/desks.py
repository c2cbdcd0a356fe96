"""Plain rules behind the protocol, reception and foreign-relations desks.

Pages address events, officials and partner cities by what people know (a
date and a name), never by a service's UUID: :func:`slug` makes the name part,
the pages resolve it by listing the service's rows for that date or name.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo


def slug(text: str) -> str:
    """A name as an address part: lower case, letters of any script kept, the rest dashes.

    Latin diacritics are dropped (``Kutaisi``, ``Šiauliai`` -> ``siauliai``); Georgian and
    other scripts stay as they are (browsers show them, URLs percent-encode them).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "-", kept).strip("-") or "-"


def folded(text: str) -> str:
    """Text for searching: case and diacritics ignored."""
    return slug(text).replace("-", " ")


def title_in(titles: Mapping[str, str], languages: Sequence[str]) -> str:
    """A multilingual title in the first of ``languages`` it has (else any)."""
    for language in languages:
        if titles.get(language):
            return titles[language]
    return next(iter(titles.values()), "")


def event_slug(event: Mapping[str, Any], first_language: str) -> str:
    """An event's name in its address: its title in the municipality's language."""
    return slug(title_in(event.get("title") or {}, [first_language, "en"]))


def local_day(moment: str, zone: ZoneInfo) -> date:
    """The municipality's day of an ISO 8601 instant."""
    return datetime.fromisoformat(moment).astimezone(zone).date()


def local_moment(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A day and a wall-clock time in the municipality's zone."""
    return datetime.combine(day, clock, tzinfo=zone)


def parse_local(text: str, zone: ZoneInfo) -> datetime | None:
    """A ``datetime-local`` field's value (``2027-05-04T10:00``) in the municipality's zone."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def local_input(moment: str, zone: ZoneInfo) -> str:
    """An ISO 8601 instant as a ``datetime-local`` field's value in the municipality's zone
    (what :func:`parse_local` reads back)."""
    return datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month as weeks from Monday; days outside it are ``None``."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[day if day.month == month else None for day in week] for week in weeks]


def week_of(day: date) -> list[date]:
    """Monday to Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def parse_month(text: str | None, today: date) -> tuple[int, int]:
    """``YYYY-MM`` (else this month)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if found and 1 <= int(found.group(2)) <= 12:
        return int(found.group(1)), int(found.group(2))
    return today.year, today.month


def parse_day(text: str | None, today: date) -> date:
    """``YYYY-MM-DD`` (else today)."""
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return today


def shift_month(year: int, month: int, by: int) -> str:
    """The ``YYYY-MM`` ``by`` months away."""
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def by_day(
    rows: Iterable[Mapping[str, Any]], key: str, zone: ZoneInfo
) -> dict[date, list[Mapping[str, Any]]]:
    """Rows grouped by the municipality's day of their ``key`` instant, in time order."""
    grouped: dict[date, list[Mapping[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: row[key]):
        grouped.setdefault(local_day(row[key], zone), []).append(row)
    return grouped


def over_budget_lines(expenses: Mapping[str, Any]) -> set[str]:
    """The ids of cost lines over their category's budget and not yet approved as such."""
    return {
        cost["id"]
        for cost in expenses.get("costs") or []
        if cost.get("over_budget") and not cost.get("approved_over_budget")
    }


def seating_svg(places: Sequence[Mapping[str, Any]], label: str) -> str:
    """The seating plan drawn from the precedence engine's order, as inline SVG.

    The first place is the middle of the table; the next places alternate to its
    right and left, as protocol seats them. Each seat carries its reason as a
    ``<title>`` (the page lists the reasons as text too, for readers without a mouse).
    """
    seat_width, gap = 120, 12
    row: list[Mapping[str, Any]] = []
    for index, place in enumerate(places):
        if index % 2 == 1:
            row.append(place)
        else:
            row.insert(0, place)
    width = max(len(row), 1) * (seat_width + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="seating" '
        f'viewBox="0 0 {width} 150" aria-label="{escape(label)}">',
        f'<rect x="{gap}" y="95" width="{width - 2 * gap}" height="40" rx="6" class="table"/>',
    ]
    for column, place in enumerate(row):
        x = gap + column * (seat_width + gap)
        parts.append(
            f'<g class="seat"><title>{escape(str(place.get("reason") or ""))}</title>'
            f'<rect x="{x}" y="10" width="{seat_width}" height="70" rx="8"/>'
            f'<text x="{x + seat_width // 2}" y="38" text-anchor="middle" '
            f'class="position">{int(place["position"])}</text>'
            f'<text x="{x + seat_width // 2}" y="62" text-anchor="middle">'
            f"{escape(_short(str(place.get('name') or ''), 16))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
