"""Award ceremonies: nominees, the decision and the award."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.security import principal, require
from protocol_events.http.events import events
from protocol_events.http.schemas.awards import AwardDecisionIn, AwardOut, NomineeIn, NomineeOut
from protocol_events.permissions import CONTACT_READERS, ORGANISERS
from protocol_events.usecases.awards import Awards

_awards = use_case("awards", Awards)


@events.blueprint.route("/<uuid:event_id>/nominees", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(NomineeIn())
@events.blueprint.response(201, NomineeOut)
def nominate(data: dict[str, Any], event_id: Any) -> Any:
    """Put someone forward for a ceremony's award (409 for an event that is no ceremony)."""
    return _awards().nominate(str(event_id), data, principal())


@events.blueprint.route("/<uuid:event_id>/award-decision", methods=["PUT"])
@require(*ORGANISERS)
@events.blueprint.arguments(AwardDecisionIn())
@events.blueprint.response(200, AwardOut)
def record_award_decision(data: dict[str, Any], event_id: Any) -> Any:
    """Record the decision granting the award (reference, date, body) and its awardees,
    who get certificate numbers and are told (``award.granted``, once each)."""
    return _awards().decide(str(event_id), data, principal(), g.correlation_id)


@events.blueprint.route("/<uuid:event_id>/award", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.blueprint.response(200, AwardOut)
def award(event_id: Any) -> Any:
    """Nominees, the decision, awardees, the ceremony's programme and the certificates to
    print (the read is audited)."""
    return _awards().award(str(event_id), principal())
