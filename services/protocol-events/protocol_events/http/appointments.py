"""Residents' appointments booked by staff and the visitor log."""

from __future__ import annotations

from typing import Any

from flask import Response, g
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http import (
    idempotent_request,
    stored_response,
    use_case,
    versioned_json,
)
from chancery.http.auditing import personal_data
from chancery.http.openapi import idempotency_key, versioned_read
from chancery.http.paging import (
    answer_page,
    page_request,
    page_response,
    paged_response,
)
from chancery.http.security import principal, require
from chancery.idempotency import StoredResponse
from protocol_events.http.schemas.appointments import (
    AppointmentIn,
    AppointmentOut,
    AppointmentQuery,
    HandOverIn,
    ReasonIn,
    VisitEntryOut,
    VisitIn,
    VisitorLogOut,
    VisitorLogQuery,
)
from protocol_events.permissions import (
    APPOINTMENT_READERS,
    BOOKERS,
    DOORKEEPERS,
    HANDERS_OVER,
    RECEPTION_STAFF,
    VISITOR_LOG_READERS,
)
from protocol_events.usecases.appointments import Appointments
from protocol_events.usecases.receptions import AppointmentFilters, BookAppointment

appointments = Blueprint(
    "appointments",
    __name__,
    url_prefix="/appointments",
    description="Residents' bookings of reception slots and the visitor log.",
)


APPOINTMENT_OUT = AppointmentOut()


_appointments = use_case("appointments", Appointments)


@appointments.route("", methods=["POST"])
@require(*BOOKERS)
@appointments.arguments(AppointmentIn())
@appointments.response(201, AppointmentOut)
@appointments.doc(**idempotency_key("returns the first result and books nothing new"))
def book(data: dict[str, Any]) -> Response:
    """Book a reception slot for a resident (409 when the slot is taken)."""
    who = principal()
    command = BookAppointment(
        official_id=data["official_id"],
        starts_at=data["starts_at"],
        topic=data["topic"],
        visitor=data["visitor"],
    )

    def respond(appointment: Any) -> StoredResponse:
        return StoredResponse(
            201, APPOINTMENT_OUT.dump(appointment), {"Location": f"/appointments/{appointment.id}"}
        )

    return stored_response(
        _appointments().book(
            command,
            who,
            g.correlation_id,
            idempotent_request(f"{who.subject}:POST /appointments"),
            respond,
        )
    )


@appointments.route("", methods=["GET"])
@personal_data("appointment")
@require(*APPOINTMENT_READERS)
@appointments.arguments(AppointmentQuery(), location="query", unknown=RAISE)
@paged_response(appointments, AppointmentOut)
def list_appointments(query: dict[str, Any]) -> Any:
    """Appointments in time order (the read of visitors' contacts is audited); a restricted
    visitor's appointments only for the data protection officer."""
    asked = page_request(query)
    return page_response(
        _appointments().appointments(AppointmentFilters(**query), principal(), asked), asked
    )


@appointments.route("/<uuid:appointment_id>", methods=["GET"])
@versioned_read
@personal_data("appointment", "appointment_id")
@require(*RECEPTION_STAFF)
@appointments.response(200, AppointmentOut)
def read_appointment(appointment_id: Any) -> Response:
    """One appointment with its visitor log (the read is audited)."""
    appointment, log = _appointments().appointment(str(appointment_id), principal())
    body = APPOINTMENT_OUT.dump(appointment)
    body["log"] = VisitEntryOut(many=True).dump(log)
    return versioned_json(body, appointment.version)


@appointments.route("/<uuid:appointment_id>/cancel", methods=["POST"])
@require(*BOOKERS)
@appointments.arguments(ReasonIn())
@appointments.response(200, AppointmentOut)
def cancel_appointment(data: dict[str, Any], appointment_id: Any) -> Any:
    """Cancel a booking; the slot is free again."""
    return _appointments().cancel(
        str(appointment_id), data["reason"], principal(), g.correlation_id
    )


@appointments.route("/<uuid:appointment_id>/visits", methods=["POST"])
@require(*DOORKEEPERS)
@appointments.arguments(VisitIn())
@appointments.response(200, AppointmentOut)
def log_visit(data: dict[str, Any], appointment_id: Any) -> Any:
    """Note that the resident arrived, was seen, left, or did not come (no_show)."""
    return _appointments().log_visit(str(appointment_id), data["action"], principal())


@appointments.route("/<uuid:appointment_id>/hand-over", methods=["POST"])
@require(*HANDERS_OVER)
@appointments.arguments(HandOverIn())
@appointments.response(200, AppointmentOut)
def hand_over(data: dict[str, Any], appointment_id: Any) -> Any:
    """Hand the resident's topic to intake as a letter (``letter.submitted``), once."""
    return _appointments().hand_to_intake(
        str(appointment_id), data["kind"], data["subject"], principal(), g.correlation_id
    )


@appointments.route("/visitor-log", methods=["GET"])
@personal_data("visitor_log")
@require(*VISITOR_LOG_READERS)
@appointments.arguments(VisitorLogQuery(), location="query", unknown=RAISE)
@paged_response(appointments, VisitorLogOut)
def visitor_log(query: dict[str, Any]) -> Any:
    """Who came when on a day, in time order (the read is audited)."""
    return answer_page(
        [
            {
                "appointment_id": a.id,
                "official_id": a.official_id,
                "official_name": a.official.name,
                "visitor_name": a.visitor_name,
                "action": entry.action,
                "at": entry.at,
                "recorded_by": entry.recorded_by,
            }
            for entry, a in _appointments().visitor_log(query.pop("day"), principal())
        ],
        query,
    )
