"""Protocol-events' HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, current_app, g, request
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.csvexport import csv_text
from chancery.explanations import EXPLANATION_LANGUAGES, explanation_language, render_reason
from chancery.http import expected_version, idempotent_request, stored_response, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import (
    also_answers,
    file_responses,
    if_match_required,
    versioned_read,
)
from chancery.http.paging import (
    PageQuery,
    answer_page,
    page_request,
    page_response,
    paged_response,
)
from chancery.http.problems import Problem, field_error
from chancery.http.security import principal, require
from chancery.http.times import local_isoformat
from chancery.idempotency import StoredResponse
from protocol_events import schemas
from protocol_events.awards import Awards
from protocol_events.receptions import AppointmentFilters, BookAppointment, Receptions
from protocol_events.services import BookingConflict, EventFilters, Events

events = Blueprint("events", __name__, url_prefix="/events",
                   description="Official events: life, participants, precedence, programme, "
                               "bookings, press and representation expenses.")
resources = Blueprint("resources", __name__, url_prefix="/resources",
                      description="Rooms, vehicles and interpreters, with their bookings.")
precedence = Blueprint("precedence", __name__, url_prefix="/precedence",
                       description="The protocol list that orders seating and speeches.")
reports = Blueprint("expense-reports", __name__, url_prefix="/reports",
                    description="Representation expenses per period.")
officials = Blueprint("officials", __name__, url_prefix="/officials",
                      description="Officials who hold reception hours, their hours and slots.")
appointments = Blueprint("appointments", __name__, url_prefix="/appointments",
                         description="Residents' bookings of reception slots and the visitor "
                                     "log.")
feeds = Blueprint("feeds", __name__, url_prefix="/feeds",
                  description="Subscribable calendars of officials (the URL is the secret).")

ORGANISERS = ("protocol_officer",)
EVENT_READERS = ("protocol_officer", "mayor_office", "mayor", "director", "deputy_mayor",
                 "registrar", "department_head", "department_staff", "system")
CONTACT_READERS = ("protocol_officer", "mayor_office")
APPROVERS = ("mayor_office", "director")
BOOKERS = ("registrar", "system")
RECEPTION_STAFF = ("registrar", "system", "protocol_officer", "mayor_office")
DOORKEEPERS = ("registrar", "protocol_officer")

EVENT_OUT = schemas.EventOut()
APPOINTMENT_OUT = schemas.AppointmentOut()
ICS = "text/calendar; charset=utf-8"


def _events() -> Events:
    return current_app.extensions["events"]


def _awards() -> Awards:
    return current_app.extensions["awards"]


def _receptions() -> Receptions:
    return current_app.extensions["receptions"]


def _if_match() -> int | None:
    return expected_version(request.headers.get("If-Match"))


def _event_response(event: Any, status: int = 200) -> Response:
    headers = {"Location": f"/events/{event.id}"} if status == 201 else None
    return versioned_json(EVENT_OUT.dump(event), event.version, status, headers)


def _booking_conflict(error: BookingConflict) -> Response:
    errors = [{**field_error("resource_id", sentence), "event_id": clash.event_id,
               "item_id": clash.item_id or "", "starts_at": local_isoformat(clash.starts_at),
               "ends_at": local_isoformat(clash.ends_at)}
              for clash, sentence in zip(error.clashes, error.sentences, strict=True)]
    return Problem(409, "Resource already booked", error.detail, errors,
                   kind="booking-conflict").to_response()


events.register_error_handler(BookingConflict, _booking_conflict)


def _calendar(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", content_type=ICS,
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


# Events ----------------------------------------------------------------------------------

@events.route("", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.EventIn(), example=schemas.EVENT_EXAMPLE)
@events.response(201, schemas.EventOut, example=schemas.EVENT_OUT_EXAMPLE)
def create_event(data: dict[str, Any]) -> Response:
    """Create a draft event (titles and descriptions per language)."""
    return _event_response(_events().create(data, principal()), 201)


@events.route("", methods=["GET"])
@require(*EVENT_READERS)
@events.arguments(schemas.EventQuery(), location="query", unknown=RAISE)
@paged_response(events, schemas.EventOut)
def list_events(query: dict[str, Any]) -> Any:
    """Events, soonest first."""
    asked = page_request(query)
    return page_response(_events().events(EventFilters(**query), asked), asked)


@events.route("/<uuid:event_id>", methods=["GET"])
@versioned_read
@require(*EVENT_READERS)
@events.response(200, schemas.EventOut)
def read_event(event_id: Any) -> Response:
    """One event, with its ETag for a later change."""
    return _event_response(_events().event(str(event_id)))


@events.route("/<uuid:event_id>", methods=["PATCH"])
@require(*ORGANISERS)
@if_match_required
@events.arguments(schemas.EventPatch())
@events.response(200, schemas.EventOut)
def update_event(data: dict[str, Any], event_id: Any) -> Response:
    """Change an event (If-Match); a confirmed event's participants are told of time, venue
    and title changes."""
    return _event_response(_events().update(str(event_id), data, principal(), g.correlation_id,
                                            _if_match()))


@events.route("/<uuid:event_id>/status", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.TransitionIn())
@events.response(200, schemas.EventOut)
def move_event(data: dict[str, Any], event_id: Any) -> Response:
    """Move the event: draft → planned → confirmed → held → reported, or cancelled (409
    names the current status and the possible moves)."""
    return _event_response(_events().transition(str(event_id), data["status"], data["note"],
                                                principal(), g.correlation_id, _if_match()))


@events.route("/<uuid:event_id>/history", methods=["GET"])
@require(*EVENT_READERS)
@events.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events, schemas.HistoryOut)
def event_history(query: dict[str, Any], event_id: Any) -> Any:
    """What happened to the event, oldest first."""
    return answer_page(_events().history(str(event_id)), query, lambda entry: (entry.id,))


@events.route("/<uuid:event_id>.ics", methods=["GET"])
@require(*EVENT_READERS)
@events.doc(**file_responses("The event as an iCalendar (RFC 5545) file.", "text/calendar"))
@events.arguments(schemas.CalendarQuery(), location="query", unknown=RAISE)
def event_ics(query: dict[str, Any], event_id: Any) -> Response:
    """The event as an iCalendar file in ``?lang=`` (else Accept-Language, else the
    municipality's language; a text missing in it falls back along that chain)."""
    return _calendar(_events().ics(str(event_id), _reader_language(query)), f"{event_id}.ics")


@events.route("/<uuid:event_id>/calendar", methods=["GET"])
@require(*EVENT_READERS)
@events.doc(**file_responses("The event as an iCalendar (RFC 5545) file.", "text/calendar"))
@events.arguments(schemas.CalendarQuery(), location="query", unknown=RAISE)
def event_calendar(query: dict[str, Any], event_id: Any) -> Response:
    """The event as an iCalendar file (the same as ``/events/{id}.ics``)."""
    return _calendar(_events().ics(str(event_id), _reader_language(query)), f"{event_id}.ics")


def _reader_language(query: dict[str, Any]) -> str:
    """The language asked for: ``?lang=``, else Accept-Language, else the municipality's."""
    return query.get("lang") or explanation_language(
        request.headers.get("Accept-Language"), _events().profile.default_language)


# Participants and precedence -------------------------------------------------------------

@events.route("/<uuid:event_id>/participants", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.ParticipantIn())
@events.response(201, schemas.ParticipantOut)
def add_participant(data: dict[str, Any], event_id: Any) -> Any:
    """Add an internal participant or a guest."""
    if data.get("official_id"):
        data["official_id"] = str(data["official_id"])
    return _events().add_participant(str(event_id), data, principal(), g.correlation_id)


@events.route("/<uuid:event_id>/participants", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events, schemas.ParticipantOut)
def list_participants(query: dict[str, Any], event_id: Any) -> Any:
    """The participants with their contacts (the read is audited), in protocol order."""
    return answer_page(_events().participants(str(event_id), principal()), query)


@events.route("/<uuid:event_id>/participants/<uuid:participant_id>", methods=["DELETE"])
@require(*ORGANISERS)
@events.response(204)
def remove_participant(event_id: Any, participant_id: Any) -> None:
    """Take a participant off the event."""
    _events().remove_participant(str(event_id), str(participant_id), principal(),
                                 g.correlation_id)


@events.route("/<uuid:event_id>/order", methods=["GET"])
@require(*EVENT_READERS)
@events.response(200, schemas.OrderOut)
def order_of_precedence(event_id: Any) -> dict[str, Any]:
    """Seating and speaking order by the protocol list, with the reason for every place."""
    seating, speaking = _events().order(str(event_id))
    return {"seating": [asdict(p) for p in seating], "speaking": [asdict(p) for p in speaking]}


@precedence.route("", methods=["GET"])
@versioned_read
@require(*EVENT_READERS)
@precedence.response(200, schemas.PrecedenceOut)
def read_precedence() -> Response:
    """The protocol list in force (the shipped default until one is saved)."""
    ranks, source, version = _events().precedence_list()
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)


@precedence.route("", methods=["PUT"])
@require(*ORGANISERS)
@precedence.arguments(schemas.PrecedenceIn())
@precedence.response(200, schemas.PrecedenceOut)
def replace_precedence(data: dict[str, Any]) -> Response:
    """Replace the protocol list, highest rank first (If-Match with the list's ETag)."""
    ranks, source, version = _events().replace_precedence(data["ranks"], principal(),
                                                          _if_match())
    return versioned_json({"source": source, "version": version, "ranks": ranks}, version)


# Programme and resources -----------------------------------------------------------------

def _item_body(item: Any, bookings: list[Any], costs: list[Any]) -> dict[str, Any]:
    return {**{c: getattr(item, c) for c in (
        "id", "category", "title", "starts_at", "ends_at", "place", "responsible",
        "counterpart", "notes")}, "bookings": bookings, "costs": costs}


@events.route("/<uuid:event_id>/programme", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.ItemIn())
@events.response(201, schemas.ItemOut)
def add_item(data: dict[str, Any], event_id: Any) -> Any:
    """Add a programme item and book its resources (a clash refuses the whole item)."""
    item, bookings = _events().add_item(str(event_id), data, principal())
    return _item_body(item, bookings, [])


@events.route("/<uuid:event_id>/programme", methods=["GET"])
@require(*EVENT_READERS)
@events.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events, schemas.ItemOut)
def programme(query: dict[str, Any], event_id: Any) -> Any:
    """The programme in time order with bookings and cost lines."""
    return answer_page([_item_body(line["item"], line["bookings"], line["costs"])
                        for line in _events().programme(str(event_id))], query)


@events.route("/<uuid:event_id>/programme/<uuid:item_id>", methods=["DELETE"])
@require(*ORGANISERS)
@events.response(204)
def remove_item(event_id: Any, item_id: Any) -> None:
    """Remove a programme item and free its resources."""
    _events().remove_item(str(event_id), str(item_id), principal())


@events.route("/<uuid:event_id>/bookings", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.BookingIn())
@events.response(201, schemas.BookingOut)
def book_resource(data: dict[str, Any], event_id: Any) -> Any:
    """Book a resource for the event (409 names the event or item holding it, and when)."""
    return _events().book(str(event_id), data["resource_id"], data["starts_at"],
                          data["ends_at"], principal())


@events.route("/<uuid:event_id>/bookings/<uuid:booking_id>", methods=["DELETE"])
@require(*ORGANISERS)
@events.response(204)
def release_resource(event_id: Any, booking_id: Any) -> None:
    """Free a booking."""
    _events().release(str(event_id), str(booking_id))


@resources.route("", methods=["POST"])
@require(*ORGANISERS)
@resources.arguments(schemas.ResourceIn())
@resources.response(201, schemas.ResourceOut)
def create_resource(data: dict[str, Any]) -> Any:
    """Add a room, vehicle, interpreter or other resource."""
    return _events().create_resource(data)


@resources.route("", methods=["GET"])
@require(*EVENT_READERS)
@resources.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(resources, schemas.ResourceOut)
def list_resources(query: dict[str, Any]) -> Any:
    """Every resource, by kind and name."""
    return answer_page(_events().resources(), query,
                       lambda resource: (resource.kind, resource.name, resource.id))


@resources.route("/<uuid:resource_id>/bookings", methods=["GET"])
@require(*EVENT_READERS)
@resources.arguments(schemas.ScheduleQuery(), location="query", unknown=RAISE)
@paged_response(resources, schemas.ScheduleOut)
def resource_schedule(query: dict[str, Any], resource_id: Any) -> Any:
    """A resource's bookings in a period (cancelled events left out), in time order."""
    return answer_page(_events().bookings(str(resource_id), query.pop("start"),
                                          query.pop("end")), query)


# Press -----------------------------------------------------------------------------------

@events.route("/<uuid:event_id>/accreditations", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.AccreditationIn())
@events.response(201, schemas.AccreditationOut)
def accredit(data: dict[str, Any], event_id: Any) -> Any:
    """Put a journalist on the media list."""
    return _events().accredit(str(event_id), data, principal())


@events.route("/<uuid:event_id>/accreditations", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events, schemas.AccreditationOut)
def media_list(query: dict[str, Any], event_id: Any) -> Any:
    """The media list with accreditation status and badges (the read is audited)."""
    return answer_page(_events().media_list(str(event_id), principal()), query)


@events.route("/<uuid:event_id>/accreditations/<uuid:accreditation_id>/decision",
              methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.AccreditationDecisionIn())
@events.response(200, schemas.AccreditationOut)
def decide_accreditation(data: dict[str, Any], event_id: Any, accreditation_id: Any) -> Any:
    """Approve (a badge number is given) or refuse an accreditation."""
    return _events().decide_accreditation(str(event_id), str(accreditation_id), data["status"],
                                          principal(), g.correlation_id)


# Award ceremonies ------------------------------------------------------------------------

@events.route("/<uuid:event_id>/nominees", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.NomineeIn())
@events.response(201, schemas.NomineeOut)
def nominate(data: dict[str, Any], event_id: Any) -> Any:
    """Put someone forward for a ceremony's award (409 for an event that is no ceremony)."""
    return _awards().nominate(str(event_id), data, principal())


@events.route("/<uuid:event_id>/award-decision", methods=["PUT"])
@require(*ORGANISERS)
@events.arguments(schemas.AwardDecisionIn())
@events.response(200, schemas.AwardOut)
def record_award_decision(data: dict[str, Any], event_id: Any) -> Any:
    """Record the decision granting the award (reference, date, body) and its awardees,
    who get certificate numbers."""
    return _awards().decide(str(event_id), data, principal())


@events.route("/<uuid:event_id>/award", methods=["GET"])
@personal_data("event", "event_id")
@require(*CONTACT_READERS)
@events.response(200, schemas.AwardOut)
def award(event_id: Any) -> Any:
    """Nominees, the decision, awardees, the ceremony's programme and the certificates to
    print (the read is audited)."""
    return _awards().award(str(event_id), principal())


# Representation expenses -----------------------------------------------------------------

@events.route("/<uuid:event_id>/budget", methods=["PUT"])
@require(*ORGANISERS)
@events.arguments(schemas.BudgetIn())
@events.response(200, schemas.ExpensesOut)
def set_budget(data: dict[str, Any], event_id: Any) -> Any:
    """Replace the event's budget per category."""
    _events().set_budget(str(event_id), data["lines"], principal())
    return _expenses_body(str(event_id))


@events.route("/<uuid:event_id>/costs", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.CostIn())
@events.response(201, schemas.CostOut)
def add_cost(data: dict[str, Any], event_id: Any) -> Any:
    """A planned cost line, waiting for approval."""
    return _events().add_cost(str(event_id), data, principal())


@events.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual", methods=["POST"])
@require(*ORGANISERS)
@events.arguments(schemas.ActualIn())
@events.response(200, schemas.CostOut)
def record_actual(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Record what the line really cost."""
    return _events().record_actual(str(event_id), str(cost_id), data["actual"], principal())


@events.route("/<uuid:event_id>/costs/<uuid:cost_id>/approve", methods=["POST"])
@require(*APPROVERS)
@events.arguments(schemas.ApproveCostIn(), required=False)
@events.response(200, schemas.CostOut)
def approve_cost(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Approve a cost line (the mayor's office or the director); over its category's
    budget only with ``over_budget: true``."""
    return _events().decide_cost(str(event_id), str(cost_id), True, principal(),
                                 over_budget=data["over_budget"])


@events.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual/approve", methods=["POST"])
@require(*APPROVERS)
@events.response(200, schemas.CostOut)
def approve_actual(event_id: Any, cost_id: Any) -> Any:
    """Approve an actual cost recorded after its line was approved."""
    return _events().decide_actual(str(event_id), str(cost_id), True, principal())


@events.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual/reject", methods=["POST"])
@require(*APPROVERS)
@events.response(200, schemas.CostOut)
def reject_actual(event_id: Any, cost_id: Any) -> Any:
    """Reject an actual cost recorded after its line was approved."""
    return _events().decide_actual(str(event_id), str(cost_id), False, principal())


@events.route("/<uuid:event_id>/costs/<uuid:cost_id>/reject", methods=["POST"])
@require(*APPROVERS)
@events.response(200, schemas.CostOut)
def reject_cost(event_id: Any, cost_id: Any) -> Any:
    """Reject a cost line."""
    return _events().decide_cost(str(event_id), str(cost_id), False, principal())


@events.route("/<uuid:event_id>/expenses", methods=["GET"])
@require(*ORGANISERS, *APPROVERS)
@events.response(200, schemas.ExpensesOut)
def event_expenses(event_id: Any) -> Any:
    """The event's budget, cost lines and totals per category."""
    return _expenses_body(str(event_id))


def _expenses_body(event_id: str) -> dict[str, Any]:
    found = _events().expenses(event_id)
    return {**found, "budget": [{"category": b.category, "amount": str(b.amount),
                                 "currency": b.currency} for b in found["budget"]],
            "totals": [{k: str(v) for k, v in line.items()} for line in found["totals"]]}


@reports.route("/expenses", methods=["GET"])
@require(*ORGANISERS, *APPROVERS, "mayor")
@reports.arguments(schemas.PeriodQuery(), location="query", unknown=RAISE)
@paged_response(reports, schemas.ExpenseLineOut)
@also_answers("text/csv")
def expense_report(query: dict[str, Any]) -> Any:
    """Representation expenses per event and category for events in a period (JSON or CSV)."""
    lines = _events().expense_report(query["start"], query["end"])
    if query["format"] == "json":
        return answer_page(lines, query)
    header = list(schemas.ExpenseLineOut().fields)
    rows = [[asdict(line)[name] for name in header] for line in lines]
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="representation-expenses-'
                               f'{query["start"]}-{query["end"]}.csv"'})


# Reception hours -------------------------------------------------------------------------

def _official_body(official: Any, hours: list[Any]) -> dict[str, Any]:
    body = {c: getattr(official, c) for c in ("id", "name", "position", "staff_subject",
                                              "addressee_kind", "place", "email", "active")}
    return {**body, "hours": hours}


@officials.route("", methods=["POST"])
@require(*ORGANISERS)
@officials.arguments(schemas.OfficialIn())
@officials.response(201, schemas.OfficialOut)
def create_official(data: dict[str, Any]) -> Any:
    """Add an official who holds reception hours (position per language)."""
    return _official_body(_receptions().create_official(data), [])


@officials.route("", methods=["GET"])
@require(*RECEPTION_STAFF, *EVENT_READERS)
@officials.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(officials, schemas.OfficialOut)
def list_officials(query: dict[str, Any]) -> Any:
    """Officials and their weekly reception hours, by name."""
    return answer_page([_official_body(o, hours) for o, hours in _receptions().officials()],
                       query)


@officials.route("/<uuid:official_id>", methods=["GET"])
@require(*RECEPTION_STAFF, *EVENT_READERS)
@officials.response(200, schemas.OfficialOut)
def read_official(official_id: Any) -> Any:
    """One official and their weekly reception hours."""
    return _official_body(*_receptions().official(str(official_id)))


@officials.route("/<uuid:official_id>", methods=["PATCH"])
@require(*ORGANISERS)
@officials.arguments(schemas.OfficialPatch())
@officials.response(200, schemas.OfficialOut)
def update_official(data: dict[str, Any], official_id: Any) -> Any:
    """Change an official."""
    _receptions().update_official(str(official_id), data)
    return _official_body(*_receptions().official(str(official_id)))


@officials.route("/<uuid:official_id>/hours", methods=["PUT"])
@require(*ORGANISERS)
@officials.arguments(schemas.HoursIn())
@officials.response(200, schemas.WindowOut(many=True))
def set_hours(data: dict[str, Any], official_id: Any) -> Any:
    """Replace the official's weekly reception hours."""
    return _receptions().set_hours(str(official_id), data["hours"])


@officials.route("/<uuid:official_id>/slots", methods=["GET"])
@require(*RECEPTION_STAFF)
@officials.arguments(schemas.SlotQuery(), location="query", unknown=RAISE)
@officials.response(200, schemas.SlotsOut)
def official_slots(query: dict[str, Any], official_id: Any) -> dict[str, Any]:
    """Slots from ``from`` to ``to`` (at most 93 days) with which are free, and the
    reception days the office is closed, with why."""
    plan, taken = _receptions().slots(str(official_id), query["start"], query["end"])
    return {"slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at,
                       "free": s.starts_at not in taken} for s in plan.slots],
            "closed_days": [{"day": day, "reason": reason, "reasons": _reasons(
                plan.closed_details.get(day))} for day, reason in plan.closed_days]}


def _reasons(detail: dict[str, Any] | None) -> dict[str, str]:
    """Why a reception day is closed, in every language we write."""
    if detail is None:
        return {}
    country = _receptions().profile.country
    return {language: render_reason(detail, language, country)
            for language in EXPLANATION_LANGUAGES}


@officials.route("/<uuid:official_id>/feed", methods=["POST"])
@require(*ORGANISERS)
@officials.arguments(schemas.CalendarQuery(), location="query", unknown=RAISE)
@officials.response(201, schemas.FeedOut)
def issue_feed(query: dict[str, Any], official_id: Any) -> dict[str, str]:
    """A new secret calendar-feed URL for the official (the previous one stops working);
    ``?lang=`` puts the language of its entries into the URL."""
    token = _receptions().issue_feed_token(str(official_id))
    base = current_app.extensions["public_url"] or request.host_url.rstrip("/")
    language = f"?lang={query['lang']}" if query.get("lang") else ""
    return {"url": f"{base}/feeds/{token}.ics{language}", "token": token}


@feeds.route("/<string:token>.ics", methods=["GET"])
@feeds.doc(**file_responses("The official's calendar feed (iCalendar, RFC 5545).",
                            "text/calendar"))
@feeds.arguments(schemas.CalendarQuery(), location="query", unknown=RAISE)
def official_feed(query: dict[str, Any], token: str) -> Response:
    """The official's events and appointments in ``?lang=`` (else the municipality's
    language); no token header: the URL is the secret."""
    if not 20 <= len(token) <= 100:
        raise Problem(404, "Not found", "No such feed.")
    return _calendar(_receptions().feed(token, query.get("lang")), "calendar.ics")


@appointments.route("", methods=["POST"])
@require(*BOOKERS)
@appointments.arguments(schemas.AppointmentIn())
@appointments.response(201, schemas.AppointmentOut)
@appointments.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                               "schema": {"type": "string", "maxLength": 200},
                               "description": "A retried request with the same key returns "
                                              "the first result and books nothing new."}])
def book(data: dict[str, Any]) -> Response:
    """Book a reception slot for a resident (409 when the slot is taken)."""
    who = principal()
    command = BookAppointment(official_id=data["official_id"], starts_at=data["starts_at"],
                              topic=data["topic"], visitor=data["visitor"])

    def respond(appointment: Any) -> StoredResponse:
        return StoredResponse(201, APPOINTMENT_OUT.dump(appointment),
                              {"Location": f"/appointments/{appointment.id}"})

    return stored_response(_receptions().book(
        command, who, g.correlation_id, idempotent_request(f"{who.subject}:POST /appointments"),
        respond))


@appointments.route("", methods=["GET"])
@personal_data("appointment")
@require(*RECEPTION_STAFF)
@appointments.arguments(schemas.AppointmentQuery(), location="query", unknown=RAISE)
@paged_response(appointments, schemas.AppointmentOut)
def list_appointments(query: dict[str, Any]) -> Any:
    """Appointments in time order (the read of visitors' contacts is audited)."""
    asked = page_request(query)
    return page_response(_receptions().appointments(AppointmentFilters(**query), principal(),
                                                    asked), asked)


@appointments.route("/<uuid:appointment_id>", methods=["GET"])
@versioned_read
@personal_data("appointment", "appointment_id")
@require(*RECEPTION_STAFF)
@appointments.response(200, schemas.AppointmentOut)
def read_appointment(appointment_id: Any) -> Response:
    """One appointment with its visitor log (the read is audited)."""
    appointment, log = _receptions().appointment(str(appointment_id), principal())
    body = APPOINTMENT_OUT.dump(appointment)
    body["log"] = schemas.VisitEntryOut(many=True).dump(log)
    return versioned_json(body, appointment.version)


@appointments.route("/<uuid:appointment_id>/cancel", methods=["POST"])
@require(*BOOKERS)
@appointments.arguments(schemas.ReasonIn())
@appointments.response(200, schemas.AppointmentOut)
def cancel_appointment(data: dict[str, Any], appointment_id: Any) -> Any:
    """Cancel a booking; the slot is free again."""
    return _receptions().cancel(str(appointment_id), data["reason"], principal(),
                                g.correlation_id)


@appointments.route("/<uuid:appointment_id>/visits", methods=["POST"])
@require(*DOORKEEPERS)
@appointments.arguments(schemas.VisitIn())
@appointments.response(200, schemas.AppointmentOut)
def log_visit(data: dict[str, Any], appointment_id: Any) -> Any:
    """Note that the resident arrived, was seen, left, or did not come (no_show)."""
    return _receptions().log_visit(str(appointment_id), data["action"], principal())


@appointments.route("/<uuid:appointment_id>/hand-over", methods=["POST"])
@require(*BOOKERS, "protocol_officer")
@appointments.arguments(schemas.HandOverIn())
@appointments.response(200, schemas.AppointmentOut)
def hand_over(data: dict[str, Any], appointment_id: Any) -> Any:
    """Hand the resident's topic to intake as a letter (``letter.submitted``), once."""
    return _receptions().hand_to_intake(str(appointment_id), data["kind"], data["subject"],
                                        principal(), g.correlation_id)


@appointments.route("/visitor-log", methods=["GET"])
@personal_data("visitor_log")
@require(*DOORKEEPERS, "mayor_office")
@appointments.arguments(schemas.VisitorLogQuery(), location="query", unknown=RAISE)
@paged_response(appointments, schemas.VisitorLogOut)
def visitor_log(query: dict[str, Any]) -> Any:
    """Who came when on a day, in time order (the read is audited)."""
    return answer_page([{"appointment_id": a.id, "official_id": a.official_id,
             "official_name": a.official.name, "visitor_name": a.visitor_name,
             "action": entry.action, "at": entry.at,
             "recorded_by": entry.recorded_by}
            for entry, a in _receptions().visitor_log(query.pop("day"), principal())], query)


BLUEPRINTS = (events, resources, precedence, reports, officials, appointments, feeds)
