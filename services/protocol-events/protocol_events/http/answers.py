"""What the views share: the use cases they call, how an event or a calendar is answered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response
from marshmallow import RAISE

from chancery.explanations import EXPLANATION_LANGUAGES, render_reason
from chancery.http import use_case
from chancery.http.openapi import file_responses
from chancery.http.resources import Decorator, Resource
from protocol_events.http.schemas.events import CalendarQuery
from protocol_events.usecases.costs import Costs
from protocol_events.usecases.officials import Officials
from protocol_events.usecases.participants import Participants

ICS = "text/calendar; charset=utf-8"


participants_use_case = use_case("participants", Participants)


costs_use_case = use_case("costs", Costs)


officials_use_case = use_case("officials", Officials)


def calendar_response(body: bytes, filename: str) -> Response:
    """An iCalendar file shown inline under ``filename``."""
    return Response(
        body,
        mimetype="text/calendar",
        content_type=ICS,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def calendar_file(
    resource: Resource, path: str, description: str, roles: Sequence[str] = ()
) -> Decorator:
    """``GET`` an iCalendar file (its answer's ``description``), its texts in the language
    the query string asks for."""
    return resource.operation(
        "GET",
        path,
        roles,
        resource.doc(**file_responses(description, "text/calendar")),
        resource.blueprint.arguments(CalendarQuery(), location="query", unknown=RAISE),
    )


def reasons_in_every_language(detail: dict[str, Any] | None) -> dict[str, str]:
    """Why a reception day is closed, in every language we write."""
    if detail is None:
        return {}
    country = officials_use_case().profile.country
    return {
        language: render_reason(detail, language, country) for language in EXPLANATION_LANGUAGES
    }
