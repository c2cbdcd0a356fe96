"""The protocol precedence list in force."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, versioned_json
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from chancery.http.security import principal
from protocol_events.http.answers import participants_use_case
from protocol_events.http.schemas.precedence import PrecedenceIn, PrecedenceOut
from protocol_events.permissions import EVENT_READERS, ORGANISERS

precedence = Resource("precedence", __name__, "The protocol list that orders seating and speeches.")


@precedence.reading("", PrecedenceOut, roles=EVENT_READERS, marks=(versioned_read,))
def read_precedence() -> Response:
    """The protocol list in force (the shipped default until one is saved)."""
    ranks, source, version = participants_use_case().precedence_list()
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)


@precedence.action("", PrecedenceIn, PrecedenceOut, roles=ORGANISERS, method="PUT")
def replace_precedence(data: dict[str, Any]) -> Response:
    """Replace the protocol list, highest rank first (If-Match with the list's ETag)."""
    ranks, source, version = participants_use_case().replace_precedence(
        data["ranks"], principal(), if_match()
    )
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)
