"""Officials, their reception hours and slots."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from marshmallow import RAISE

from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from protocol_events.http.answers import officials_use_case, reasons_in_every_language
from protocol_events.http.schemas.events import CalendarQuery
from protocol_events.http.schemas.officials import (
    FeedOut,
    HoursIn,
    OfficialIn,
    OfficialOut,
    OfficialPatch,
    SlotQuery,
    SlotsOut,
    WindowOut,
)
from protocol_events.permissions import (
    OFFICIAL_READERS,
    ORGANISERS,
    RECEPTION_STAFF,
)

officials = Resource(
    "officials",
    __name__,
    "Officials who hold reception hours, their hours and slots.",
    readers=OFFICIAL_READERS,
)
ONE = "/<uuid:official_id>"


def _official_body(official: Any, hours: list[Any]) -> dict[str, Any]:
    body = {
        c: getattr(official, c)
        for c in (
            "id",
            "name",
            "position",
            "staff_subject",
            "addressee_kind",
            "place",
            "email",
            "active",
        )
    }
    return {**body, "hours": hours}


@officials.creation(OfficialIn, OfficialOut, roles=ORGANISERS, idempotent=False)
def create_official(data: dict[str, Any]) -> Any:
    """Add an official who holds reception hours (position per language)."""
    return _official_body(officials_use_case().create_official(data), [])


@officials.listing(PageQuery, OfficialOut)
def list_officials(query: dict[str, Any]) -> Any:
    """Officials and their weekly reception hours, by name."""
    return answer_page(
        [_official_body(o, hours) for o, hours in officials_use_case().officials()], query
    )


@officials.reading(ONE, OfficialOut)
def read_official(official_id: Any) -> Any:
    """One official and their weekly reception hours."""
    return _official_body(*officials_use_case().official(str(official_id)))


@officials.action(ONE, OfficialPatch, OfficialOut, roles=ORGANISERS, method="PATCH")
def update_official(data: dict[str, Any], official_id: Any) -> Any:
    """Change an official."""
    officials_use_case().update_official(str(official_id), data)
    return _official_body(*officials_use_case().official(str(official_id)))


# The answer is a list of windows (a schema with many=True), which Resource.action does not take.
@officials.operation(
    "PUT",
    f"{ONE}/hours",
    ORGANISERS,
    officials.blueprint.arguments(HoursIn()),
    officials.blueprint.response(200, WindowOut(many=True)),
)
def set_hours(data: dict[str, Any], official_id: Any) -> Any:
    """Replace the official's weekly reception hours."""
    return officials_use_case().set_hours(str(official_id), data["hours"])


@officials.reading(f"{ONE}/slots", SlotsOut, roles=RECEPTION_STAFF, query=SlotQuery)
def official_slots(query: dict[str, Any], official_id: Any) -> dict[str, Any]:
    """Slots from ``from`` to ``to`` (at most 93 days) with which are free, and the
    reception days the office is closed, with why."""
    plan, taken = officials_use_case().slots(str(official_id), query["start"], query["end"])
    return {
        "slots": [
            {"starts_at": s.starts_at, "ends_at": s.ends_at, "free": s.starts_at not in taken}
            for s in plan.slots
        ],
        "closed_days": [
            {
                "day": day,
                "reason": reason,
                "reasons": reasons_in_every_language(plan.closed_details.get(day)),
            }
            for day, reason in plan.closed_days
        ],
    }


# A POST whose arguments come from the query string, which Resource.action does not take.
@officials.operation(
    "POST",
    f"{ONE}/feed",
    ORGANISERS,
    officials.blueprint.arguments(CalendarQuery(), location="query", unknown=RAISE),
    officials.blueprint.response(201, FeedOut),
)
def issue_feed(query: dict[str, Any], official_id: Any) -> dict[str, str]:
    """A new secret calendar-feed URL for the official (the previous one stops working);
    ``?lang=`` puts the language of its entries into the URL."""
    token = officials_use_case().issue_feed_token(str(official_id))
    base = current_app.extensions["public_url"] or request.host_url.rstrip("/")
    language = f"?lang={query['lang']}" if query.get("lang") else ""
    return {"url": f"{base}/feeds/{token}.ics{language}", "token": token}
