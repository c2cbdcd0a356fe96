"""Routing's HTTP views of days off and working days declared by government decision:
parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.paging import answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.http.schemas import calendar as schemas
from routing.permissions import OPERATORS, STAFF
from routing.usecases.calendar import DeclaredDays

calendar = Resource(
    "calendar", __name__, "Days off and working days declared by government decision."
)
_calendar = use_case("calendar", DeclaredDays)


@calendar.listing(schemas.CalendarQuery, schemas.DeclaredDayOut, roles=STAFF, path="/days")
def list_declared_days(query: dict[str, Any]) -> Any:
    """Declared days off and working days (the profile's and the operators'), by date."""
    return answer_page(
        _calendar().days(query.pop("start"), query.pop("end")), query, lambda day: (day["day"],)
    )


@calendar.action(
    "/days", schemas.DeclaredDayIn, schemas.DeclaredDayOut, roles=OPERATORS, status=201
)
def declare_day(data: dict[str, Any]) -> Any:
    """Declare a day off (or an extra working day) by government decision, with the reason
    and the decree; every service counts it from now on, without a restart."""
    return _calendar().declare(data, principal(), g.correlation_id)
