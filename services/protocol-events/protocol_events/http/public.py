"""The public pages' API: residents' own bookings and guests' invitation answers."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request

from chancery.http import use_case
from chancery.http.openapi import may_answer
from chancery.http.paging import PageQuery, answer_page
from chancery.http.problems import Problem
from chancery.http.resources import Resource
from protocol_events.http.answers import (
    calendar_file,
    calendar_response,
    participants_use_case,
    reasons_in_every_language,
)
from protocol_events.http.schemas.participants import AnswerIn
from protocol_events.http.schemas.public import (
    PublicBookingIn,
    PublicBookingOut,
    PublicBookingView,
    PublicInvitationView,
    PublicOfficialOut,
    PublicSlotQuery,
    PublicSlotsOut,
)
from protocol_events.usecases.public_bookings import PublicBookings, public_official
from protocol_events.usecases.receptions import BookAppointment

public = Resource(
    "public",
    __name__,
    "Residents book reception slots themselves, with no token: "
    "officials' public names and free slots; a booking held "
    "until the link sent to the resident confirms it. Guests "
    "answer an event's invitation from its link.",
    public=True,
)


_public = use_case("public_bookings", PublicBookings)


def _token(token: str, what: str = "booking") -> str:
    """A link token as issued (43 URL-safe characters); anything else is no booking."""
    if not 20 <= len(token) <= 100:
        raise Problem(404, "Not found", f"No such {what}.")
    return token


@public.listing(PageQuery, PublicOfficialOut, path="/officials")
def public_officials(query: dict[str, Any]) -> Any:
    """The officials residents may book, by name: public name, position and place only."""
    return answer_page([public_official(o) for o in _public().officials()], query)


@public.reading("/officials/<uuid:official_id>/slots", PublicSlotsOut, query=PublicSlotQuery)
def public_slots(query: dict[str, Any], official_id: Any) -> dict[str, Any]:
    """The official's free slots from ``from`` to ``to`` (at most 31 days) and the reception
    days the office is closed, with why; taken slots are simply not listed."""
    free = _public().free_slots(str(official_id), query["start"], query["end"])
    return {
        "slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in free.slots],
        "closed_days": [
            {
                "day": day,
                "reason": reason,
                "reasons": reasons_in_every_language(free.plan.closed_details.get(day)),
            }
            for day, reason in free.plan.closed_days
        ],
    }


@public.action("/bookings", PublicBookingIn, PublicBookingOut, status=202, also=(may_answer(429),))
def request_booking(data: dict[str, Any]) -> Any:
    """Hold a free slot for a resident and send them the link that confirms it (by e-mail,
    else SMS); unconfirmed, the hold expires. 409: the slot is taken, or this contact
    already has a booking with the official ahead; 429 (``Retry-After``): too many
    requests from this client or for this contact."""
    # The schema's fields are the command's (a strict schema loads no other).
    command = BookAppointment(**data)
    return _public().request(command, request.remote_addr or "unknown", g.correlation_id)


@public.reading("/bookings/<string:token>", PublicBookingView)
def read_booking(token: str) -> Any:
    """The booking the resident's link opens (the link's token is the secret)."""
    return _public().booking(_token(token))


@public.action("/bookings/<string:token>/confirm", None, PublicBookingView)
def confirm_booking(token: str) -> Any:
    """Confirm the held slot (409 once it expired); the official is told now."""
    return _public().confirm(_token(token), g.correlation_id)


@public.action("/bookings/<string:token>/cancel", None, PublicBookingView)
def cancel_booking(token: str) -> Any:
    """Cancel the booking; the slot is free again."""
    return _public().cancel(_token(token), g.correlation_id)


@calendar_file(
    public,
    "/bookings/<string:token>/calendar.ics",
    "The confirmed booking as an iCalendar (RFC 5545) file.",
)
def booking_calendar(query: dict[str, Any], token: str) -> Response:
    """The confirmed booking's calendar file, titled in ``?lang=``."""
    return calendar_response(_public().calendar(_token(token), query.get("lang")), "reception.ics")


def _invitation_view(found: tuple[Any, Any]) -> dict[str, Any]:
    event, participant = found
    return {
        "participant_name": participant.name,
        "answer": participant.answer,
        "answered_at": participant.answered_at,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.venue,
        "status": event.status,
    }


@public.reading("/invitations/<string:token>", PublicInvitationView)
def read_invitation(token: str) -> Any:
    """The invitation a guest's answer link opens (the link's token is the secret): the
    event's title, time and venue, the guest's name and answer so far."""
    return _invitation_view(participants_use_case().invitation(_token(token, "invitation")))


@public.action("/invitations/<string:token>/answer", AnswerIn, PublicInvitationView, method="PUT")
def answer_invitation(data: dict[str, Any], token: str) -> Any:
    """The guest's answer (409 unless the event is confirmed); answering again changes it."""
    return _invitation_view(
        participants_use_case().answer_invitation(_token(token, "invitation"), data["answer"])
    )
