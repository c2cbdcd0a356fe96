"""The protocol precedence list in force."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint

from chancery.http import if_match, versioned_json
from chancery.http.openapi import versioned_read
from chancery.http.security import principal, require
from protocol_events.http.answers import participants_use_case
from protocol_events.http.schemas.precedence import PrecedenceIn, PrecedenceOut
from protocol_events.permissions import EVENT_READERS, ORGANISERS

precedence = Blueprint(
    "precedence",
    __name__,
    url_prefix="/precedence",
    description="The protocol list that orders seating and speeches.",
)


@precedence.route("", methods=["GET"])
@versioned_read
@require(*EVENT_READERS)
@precedence.response(200, PrecedenceOut)
def read_precedence() -> Response:
    """The protocol list in force (the shipped default until one is saved)."""
    ranks, source, version = participants_use_case().precedence_list()
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)


@precedence.route("", methods=["PUT"])
@require(*ORGANISERS)
@precedence.arguments(PrecedenceIn())
@precedence.response(200, PrecedenceOut)
def replace_precedence(data: dict[str, Any]) -> Response:
    """Replace the protocol list, highest rank first (If-Match with the list's ETag)."""
    ranks, source, version = participants_use_case().replace_precedence(
        data["ranks"], principal(), if_match()
    )
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)
