"""An event's participants, their invitation answers and the order of precedence."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import g
from marshmallow import RAISE

from chancery.http.auditing import personal_data
from chancery.http.paging import (
    PageQuery,
    answer_page,
    paged_response,
)
from chancery.http.security import principal, require
from protocol_events.http.answers import participants_use_case
from protocol_events.http.events import events
from protocol_events.http.schemas.participants import (
    AnswerIn,
    OrderOut,
    ParticipantIn,
    ParticipantOut,
)
from protocol_events.permissions import (
    CONTACT_READERS,
    EVENT_READERS,
    ORGANISERS,
)


@events.blueprint.route("/<uuid:event_id>/participants", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(ParticipantIn())
@events.blueprint.response(201, ParticipantOut)
def add_participant(data: dict[str, Any], event_id: Any) -> Any:
    """Add an internal participant or a guest."""
    return participants_use_case().add_participant(
        str(event_id), data, principal(), g.correlation_id
    )


@events.blueprint.route("/<uuid:event_id>/participants", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.blueprint.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events.blueprint, ParticipantOut)
def list_participants(query: dict[str, Any], event_id: Any) -> Any:
    """The participants with their contacts (the read is audited), in protocol order."""
    return answer_page(participants_use_case().participants(str(event_id), principal()), query)


@events.blueprint.route("/<uuid:event_id>/participants/<uuid:participant_id>", methods=["DELETE"])
@require(*ORGANISERS)
@events.blueprint.response(204)
def remove_participant(event_id: Any, participant_id: Any) -> None:
    """Take a participant off the event."""
    participants_use_case().remove_participant(
        str(event_id), str(participant_id), principal(), g.correlation_id
    )


@events.blueprint.route(
    "/<uuid:event_id>/participants/<uuid:participant_id>/answer", methods=["PUT"]
)
@require(*ORGANISERS)
@events.blueprint.arguments(AnswerIn())
@events.blueprint.response(200, ParticipantOut)
def record_answer(data: dict[str, Any], event_id: Any, participant_id: Any) -> Any:
    """Record the invitation's answer a participant gave by phone or e-mail (409 unless the
    event is confirmed); it replaces an earlier answer."""
    return participants_use_case().record_answer(
        str(event_id), str(participant_id), data["answer"], principal()
    )


@events.blueprint.route("/<uuid:event_id>/order", methods=["GET"])
@require(*EVENT_READERS)
@events.blueprint.response(200, OrderOut)
def order_of_precedence(event_id: Any) -> dict[str, Any]:
    """Seating and speaking order by the protocol list, with the reason for every place."""
    seating, speaking = participants_use_case().order(str(event_id))
    return {"seating": [asdict(p) for p in seating], "speaking": [asdict(p) for p in speaking]}
