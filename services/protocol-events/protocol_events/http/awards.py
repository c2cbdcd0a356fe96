"""Award ceremonies: nominees, the decision and the award."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.security import principal
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.awards import AwardDecisionIn, AwardOut, NomineeIn, NomineeOut
from protocol_events.permissions import CONTACT_READERS, ORGANISERS
from protocol_events.usecases.awards import Awards

_awards = use_case("awards", Awards)


@events.creation(NomineeIn, NomineeOut, roles=ORGANISERS, path=f"{ONE}/nominees", idempotent=False)
def nominate(data: dict[str, Any], event_id: Any) -> Any:
    """Put someone forward for a ceremony's award (409 for an event that is no ceremony)."""
    return _awards().nominate(str(event_id), data, principal())


@events.action(f"{ONE}/award-decision", AwardDecisionIn, AwardOut, roles=ORGANISERS, method="PUT")
def record_award_decision(data: dict[str, Any], event_id: Any) -> Any:
    """Record the decision granting the award (reference, date, body) and its awardees,
    who get certificate numbers and are told (``award.granted``, once each)."""
    return _awards().decide(str(event_id), data, principal(), g.correlation_id)


@events.reading(
    f"{ONE}/award", AwardOut, roles=CONTACT_READERS, marks=(personal_data("event", "event_id"),)
)
def award(event_id: Any) -> Any:
    """Nominees, the decision, awardees, the ceremony's programme and the certificates to
    print (the read is audited)."""
    return _awards().award(str(event_id), principal())
