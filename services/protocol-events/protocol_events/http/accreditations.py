"""Press accreditations: an event's media list."""

from __future__ import annotations

from typing import Any

from flask import g
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import (
    PageQuery,
    answer_page,
    paged_response,
)
from chancery.http.security import principal, require
from protocol_events.http.events import events
from protocol_events.http.schemas.accreditations import (
    AccreditationDecisionIn,
    AccreditationIn,
    AccreditationOut,
)
from protocol_events.permissions import CONTACT_READERS, ORGANISERS
from protocol_events.usecases.accreditations import Accreditations

_accreditations = use_case("accreditations", Accreditations)


@events.blueprint.route("/<uuid:event_id>/accreditations", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(AccreditationIn())
@events.blueprint.response(201, AccreditationOut)
def accredit(data: dict[str, Any], event_id: Any) -> Any:
    """Put a journalist on the media list."""
    return _accreditations().accredit(str(event_id), data, principal())


@events.blueprint.route("/<uuid:event_id>/accreditations", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.blueprint.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events.blueprint, AccreditationOut)
def media_list(query: dict[str, Any], event_id: Any) -> Any:
    """The media list with accreditation status and badges (the read is audited)."""
    return answer_page(_accreditations().media_list(str(event_id), principal()), query)


@events.blueprint.route(
    "/<uuid:event_id>/accreditations/<uuid:accreditation_id>/decision", methods=["POST"]
)
@require(*ORGANISERS)
@events.blueprint.arguments(AccreditationDecisionIn())
@events.blueprint.response(200, AccreditationOut)
def decide_accreditation(data: dict[str, Any], event_id: Any, accreditation_id: Any) -> Any:
    """Approve (a badge number is given) or refuse an accreditation."""
    return _accreditations().decide_accreditation(
        str(event_id), str(accreditation_id), data["status"], principal(), g.correlation_id
    )
