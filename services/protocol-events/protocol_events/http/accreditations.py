"""Press accreditations: an event's media list."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import PageQuery, answer_page
from chancery.http.security import principal
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.accreditations import (
    AccreditationDecisionIn,
    AccreditationIn,
    AccreditationOut,
)
from protocol_events.permissions import CONTACT_READERS, ORGANISERS
from protocol_events.usecases.accreditations import Accreditations

_accreditations = use_case("accreditations", Accreditations)


@events.creation(
    AccreditationIn,
    AccreditationOut,
    roles=ORGANISERS,
    path=f"{ONE}/accreditations",
    idempotent=False,
)
def accredit(data: dict[str, Any], event_id: Any) -> Any:
    """Put a journalist on the media list."""
    return _accreditations().accredit(str(event_id), data, principal())


@events.listing(
    PageQuery,
    AccreditationOut,
    roles=CONTACT_READERS,
    path=f"{ONE}/accreditations",
    marks=(personal_data("event", "event_id"),),
)
def media_list(query: dict[str, Any], event_id: Any) -> Any:
    """The media list with accreditation status and badges (the read is audited)."""
    return answer_page(_accreditations().media_list(str(event_id), principal()), query)


@events.action(
    f"{ONE}/accreditations/<uuid:accreditation_id>/decision",
    AccreditationDecisionIn,
    AccreditationOut,
    roles=ORGANISERS,
)
def decide_accreditation(data: dict[str, Any], event_id: Any, accreditation_id: Any) -> Any:
    """Approve (a badge number is given) or refuse an accreditation."""
    return _accreditations().decide_accreditation(
        str(event_id), str(accreditation_id), data["status"], principal(), g.correlation_id
    )
