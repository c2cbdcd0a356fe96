"""An event's participants, their invitation answers and the order of precedence."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import g

from chancery.http.auditing import personal_data
from chancery.http.paging import PageQuery, answer_page
from chancery.http.security import principal
from protocol_events.http.answers import participants_use_case
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.participants import (
    AnswerIn,
    OrderOut,
    ParticipantIn,
    ParticipantOut,
)
from protocol_events.permissions import CONTACT_READERS, ORGANISERS

PARTICIPANTS = f"{ONE}/participants"
PARTICIPANT = f"{PARTICIPANTS}/<uuid:participant_id>"


@events.creation(
    ParticipantIn, ParticipantOut, roles=ORGANISERS, path=PARTICIPANTS, idempotent=False
)
def add_participant(data: dict[str, Any], event_id: Any) -> Any:
    """Add an internal participant or a guest."""
    return participants_use_case().add_participant(
        str(event_id), data, principal(), g.correlation_id
    )


@events.listing(
    PageQuery,
    ParticipantOut,
    roles=CONTACT_READERS,
    path=PARTICIPANTS,
    marks=(personal_data("event", "event_id"),),
)
def list_participants(query: dict[str, Any], event_id: Any) -> Any:
    """The participants with their contacts (the read is audited), in protocol order."""
    return answer_page(participants_use_case().participants(str(event_id), principal()), query)


@events.action(PARTICIPANT, None, None, roles=ORGANISERS, method="DELETE", status=204)
def remove_participant(event_id: Any, participant_id: Any) -> None:
    """Take a participant off the event."""
    participants_use_case().remove_participant(
        str(event_id), str(participant_id), principal(), g.correlation_id
    )


@events.action(f"{PARTICIPANT}/answer", AnswerIn, ParticipantOut, roles=ORGANISERS, method="PUT")
def record_answer(data: dict[str, Any], event_id: Any, participant_id: Any) -> Any:
    """Record the invitation's answer a participant gave by phone or e-mail (409 unless the
    event is confirmed); it replaces an earlier answer."""
    return participants_use_case().record_answer(
        str(event_id), str(participant_id), data["answer"], principal()
    )


@events.reading(f"{ONE}/order", OrderOut)
def order_of_precedence(event_id: Any) -> dict[str, Any]:
    """Seating and speaking order by the protocol list, with the reason for every place."""
    seating, speaking = participants_use_case().order(str(event_id))
    return {"seating": [asdict(p) for p in seating], "speaking": [asdict(p) for p in speaking]}
