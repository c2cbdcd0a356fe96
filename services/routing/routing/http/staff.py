"""Routing's HTTP views of the one staff directory: parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.http.schemas import staff as schemas
from routing.permissions import STAFF, STAFF_KEEPERS
from routing.usecases.staff import Directory

staff = Resource("staff", __name__, "The one staff directory of the municipality's people.")
_staff = use_case("staff", Directory)


@staff.listing(
    schemas.StaffQuery, schemas.StaffMemberOut, roles=STAFF, marks=(personal_data("staff_member"),)
)
def list_staff(query: dict[str, Any]) -> Any:
    """The directory by name: a department's people (``?department=``), the active ones
    (``?active=true``) to choose an executor from, a search (``?q=`` in names, e-mail
    addresses and positions, ignoring case and diacritics)."""
    asked = page_request(query)
    return page_response(
        _staff().people(
            principal(), asked, query.get("department"), query.get("active"), query.get("text")
        ),
        asked,
    )


@staff.action(
    "/<string:subject>",
    schemas.StaffMemberIn,
    schemas.StaffMemberOut,
    roles=STAFF_KEEPERS,
    method="PUT",
)
def save_staff_member(data: dict[str, Any], subject: str) -> Any:
    """Add a person (``subject`` is the sign-in subject) or replace their entry; announced
    as ``staff.member_changed``. A person who leaves is kept with ``active: false``."""
    return _staff().save(subject, data, principal(), g.correlation_id)
