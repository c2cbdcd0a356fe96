"""Residents' appointments booked by staff and the visitor log."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from chancery.http import (
    idempotent_request,
    stored_response,
    use_case,
    versioned_json,
)
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.paging import answer_page, page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
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

appointments = Resource(
    "appointments", __name__, "Residents' bookings of reception slots and the visitor log."
)
ONE = "/<uuid:appointment_id>"


APPOINTMENT_OUT = AppointmentOut()


_appointments = use_case("appointments", Appointments)


@appointments.creation(
    AppointmentIn,
    AppointmentOut,
    roles=BOOKERS,
    retried="returns the first result and books nothing new",
)
def book(data: dict[str, Any]) -> Response:
    """Book a reception slot for a resident (409 when the slot is taken)."""
    who = principal()
    # The schema's fields are the command's (a strict schema loads no other).
    command = BookAppointment(**data)

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


@appointments.listing(
    AppointmentQuery,
    AppointmentOut,
    roles=APPOINTMENT_READERS,
    marks=(personal_data("appointment"),),
)
def list_appointments(query: dict[str, Any]) -> Any:
    """Appointments in time order (the read of visitors' contacts is audited); a restricted
    visitor's appointments only for the data protection officer."""
    asked = page_request(query)
    return page_response(
        _appointments().appointments(AppointmentFilters(**query), principal(), asked), asked
    )


@appointments.reading(
    ONE,
    AppointmentOut,
    roles=RECEPTION_STAFF,
    marks=(versioned_read, personal_data("appointment", "appointment_id")),
)
def read_appointment(appointment_id: Any) -> Response:
    """One appointment with its visitor log (the read is audited)."""
    appointment, log = _appointments().appointment(str(appointment_id), principal())
    body = APPOINTMENT_OUT.dump(appointment)
    body["log"] = VisitEntryOut(many=True).dump(log)
    return versioned_json(body, appointment.version)


@appointments.action(f"{ONE}/cancel", ReasonIn, AppointmentOut, roles=BOOKERS)
def cancel_appointment(data: dict[str, Any], appointment_id: Any) -> Any:
    """Cancel a booking; the slot is free again."""
    return _appointments().cancel(
        str(appointment_id), data["reason"], principal(), g.correlation_id
    )


@appointments.action(f"{ONE}/visits", VisitIn, AppointmentOut, roles=DOORKEEPERS)
def log_visit(data: dict[str, Any], appointment_id: Any) -> Any:
    """Note that the resident arrived, was seen, left, or did not come (no_show)."""
    return _appointments().log_visit(str(appointment_id), data["action"], principal())


@appointments.action(f"{ONE}/hand-over", HandOverIn, AppointmentOut, roles=HANDERS_OVER)
def hand_over(data: dict[str, Any], appointment_id: Any) -> Any:
    """Hand the resident's topic to intake as a letter (``letter.submitted``), once."""
    return _appointments().hand_to_intake(
        str(appointment_id), data["kind"], data["subject"], principal(), g.correlation_id
    )


@appointments.listing(
    VisitorLogQuery,
    VisitorLogOut,
    roles=VISITOR_LOG_READERS,
    path="/visitor-log",
    marks=(personal_data("visitor_log"),),
)
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
