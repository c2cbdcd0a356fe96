"""An official's week of reception slots, as the desk and the public pages both show it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from staff_web import desks, municipality
from staff_web.i18n import closed_days
from staff_web.security import api


def week_of_slots(path: str, monday: date) -> dict[str, Any]:
    """The week of ``monday`` read from protocol-events' ``path`` (the desk's slots or the
    public free ones): its days, the slots by day, the closed days and the neighbouring
    weeks' Mondays, as the week templates take them."""
    days = desks.week_of(monday)
    found = api().get(
        "protocol_events", path, {"from": days[0].isoformat(), "to": days[-1].isoformat()}
    )
    return {
        "days": days,
        "slots": desks.by_day(found["slots"], "starts_at", municipality.zone()),
        "closed": closed_days(found["closed_days"]),
        "previous": (days[0] - timedelta(days=7)).isoformat(),
        "following": (days[0] + timedelta(days=7)).isoformat(),
    }
