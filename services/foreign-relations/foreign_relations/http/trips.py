"""Outgoing trips over HTTP: planned, checked, moved on to the report."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, stored_response, use_case, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from chancery.http.security import principal
from chancery.idempotency import StoredResponse
from foreign_relations.http.answers import idempotent, listed_page
from foreign_relations.http.schemas import StatusQuery
from foreign_relations.http.schemas import trips as schemas
from foreign_relations.permissions import (
    OFFICER,
    OFFICER_OR_DECIDERS,
    PERSONAL_DATA_READERS,
    READERS,
)
from foreign_relations.usecases.trips import TripFile, Trips

trips = Resource(
    "trips",
    __name__,
    "Outgoing delegations: checklist, passports, per diems, report.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:trip_id>"

_trips = use_case("trips", Trips)


def _trip_body(file: TripFile) -> dict[str, Any]:
    body = schemas.TripOut().dump(file.trip)
    body["members"] = schemas.TravellerOut(many=True).dump(file.travellers)
    body["passports"] = schemas.PassportOut(many=True).dump(file.passports)
    body["per_diem"] = schemas.PerDiemOut().dump(file.per_diem)
    body["budget_total"] = str(file.budget_total)
    body["missing"] = file.missing
    body["ready_to_leave"] = not file.missing
    return body


@trips.listing(StatusQuery, schemas.TripOut)
def list_trips(query: dict[str, Any]) -> Any:
    """Trips, the latest departure first (without travellers)."""
    return listed_page(_trips().trips, query)


@trips.creation(schemas.TripIn, schemas.TripDetailOut, roles=OFFICER)
def plan_trip(data: dict[str, Any]) -> Response:
    """Plan a trip from an approved invitation (its place and dates are the defaults)."""

    def respond(file: TripFile) -> StoredResponse:
        return StoredResponse(
            201,
            _trip_body(file),
            {"Location": f"/trips/{file.trip.id}", "ETag": f'"{file.trip.version}"'},
        )

    return stored_response(_trips().plan_trip(data, idempotent("POST /trips"), respond))


@trips.reading(
    ONE,
    schemas.TripDetailOut,
    roles=PERSONAL_DATA_READERS,
    marks=(versioned_read, personal_data("trip", "trip_id")),
)
def read_trip(trip_id: Any) -> Response:
    """A trip with travellers, passport checks, per diems and what is missing (audited)."""
    file = _trips().trip(str(trip_id), principal())
    return versioned_json(_trip_body(file), file.trip.version)


@trips.change(ONE, schemas.TripPatch, schemas.TripDetailOut)
def update_trip(data: dict[str, Any], trip_id: Any) -> Response:
    """Tick the checklist, set the budget, programme, dates or travellers."""
    file = _trips().update_trip(str(trip_id), data, principal(), if_match())
    return versioned_json(_trip_body(file), file.trip.version)


@trips.action(
    f"{ONE}/status", schemas.TripStatusIn, schemas.TripDetailOut, roles=OFFICER_OR_DECIDERS
)
def move_trip(data: dict[str, Any], trip_id: Any) -> Response:
    """planned → approved (director's order) → under_way → returned → reported; cancelled."""
    file = _trips().move_trip(str(trip_id), data["status"], data["report"], principal(), if_match())
    return versioned_json(_trip_body(file), file.trip.version)
