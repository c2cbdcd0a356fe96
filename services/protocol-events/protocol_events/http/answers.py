"""What the views share: the use cases they call, how an event or a calendar is answered."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.explanations import EXPLANATION_LANGUAGES, render_reason
from chancery.http import use_case
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


def reasons_in_every_language(detail: dict[str, Any] | None) -> dict[str, str]:
    """Why a reception day is closed, in every language we write."""
    if detail is None:
        return {}
    country = officials_use_case().profile.country
    return {
        language: render_reason(detail, language, country) for language in EXPLANATION_LANGUAGES
    }
