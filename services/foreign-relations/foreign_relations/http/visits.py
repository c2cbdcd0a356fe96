"""Incoming visits over HTTP: requested, read (audited), decided."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from chancery.http.security import principal
from foreign_relations.http.answers import created_once, decided, listed_page, versioned_row
from foreign_relations.http.schemas import DecisionIn, StatusQuery
from foreign_relations.http.schemas import visits as schemas
from foreign_relations.permissions import (
    CREATORS,
    DECIDERS,
    OFFICER,
    PERSONAL_DATA_READERS,
    READERS,
)
from foreign_relations.usecases.visits import Visits

visits = Resource(
    "visits",
    __name__,
    "Incoming delegations' visits: request and decision.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:visit_id>"

VISIT_OUT = schemas.VisitDetailOut()
_visits = use_case("visits", Visits)


@visits.listing(StatusQuery, schemas.VisitOut)
def list_visits(query: dict[str, Any]) -> Any:
    """Incoming visits, the latest first (without the delegates)."""
    return listed_page(_visits().visits, query)


@visits.creation(schemas.VisitIn, schemas.VisitDetailOut, roles=CREATORS)
def request_visit(data: dict[str, Any]) -> Response:
    """Record a foreign delegation's request to visit (one member flagged as head)."""
    return created_once(_visits().request_visit, data, VISIT_OUT, "/visits")


@visits.reading(
    ONE,
    schemas.VisitDetailOut,
    roles=PERSONAL_DATA_READERS,
    marks=(versioned_read, personal_data("visit_delegation", "visit_id")),
)
def read_visit(visit_id: Any) -> Response:
    """A visit with its delegates (the read is audited)."""
    return versioned_row(VISIT_OUT, _visits().visit(str(visit_id), principal()))


@visits.action(
    f"{ONE}/approve", DecisionIn, schemas.VisitDetailOut, roles=DECIDERS, body_required=False
)
def approve_visit(data: dict[str, Any], visit_id: Any) -> Response:
    """Approve the visit; protocol is told to prepare the programme."""
    return decided(VISIT_OUT, _visits().decide_visit, visit_id, "approved", data)


@visits.action(
    f"{ONE}/decline", DecisionIn, schemas.VisitDetailOut, roles=DECIDERS, body_required=False
)
def decline_visit(data: dict[str, Any], visit_id: Any) -> Response:
    """Decline the visit."""
    return decided(VISIT_OUT, _visits().decide_visit, visit_id, "declined", data)
