"""The citizen's status lookup by registration number and access code (no token)."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.openapi import may_answer
from chancery.http.resources import Resource
from intake.http.schemas import status as schemas
from intake.usecases.status import CitizenStatus, StatusLookups

_status = use_case("status", StatusLookups)


citizens = Resource(
    "status", __name__, "Citizens' status lookup with a registration number and code."
)


@citizens.blueprint.route("/<string:registration_number>", methods=["GET"])
@citizens.blueprint.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@citizens.blueprint.response(200, schemas.CitizenStatusOut)
@may_answer(429)
def citizen_status(query: dict[str, Any], registration_number: str) -> CitizenStatus:
    """Status and dates of a letter, for whoever holds its number and access code.

    A client that sent too many wrong codes (for this number, or for any) is
    answered 429 for a while; an unknown number is answered like a wrong code.
    """
    return _status().citizen_status(
        registration_number, query["code"], request.remote_addr or "unknown"
    )
