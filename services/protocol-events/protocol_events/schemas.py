"""Protocol-events' HTTP request and response schemas."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chancery.emails import EmailAddress
from chancery.explanations import EXPLANATION_LANGUAGES
from chancery.http.paging import PageQuery
from chancery.http.times import LocalDateTime
from chancery.validation import (
    PlausibleDate,
    PlausibleDateTime,
    StrictSchema,
    Text,
    UpdateSchema,
)
from chancery.vocabulary import ADDRESSEE_KINDS, EVENT_KINDS, LANGUAGE_PATTERN, PROTOCOL_LEVELS
from protocol_events.lifecycle import STATUSES

_language = validate.Regexp(LANGUAGE_PATTERN, error="a two-letter language code")
_code = validate.Regexp(r"^[A-Z][A-Z0-9_]{0,49}$", error="an upper-case department code")
_line = [validate.Length(min=1, max=300)]
# Events, programme items, bookings and appointments lie within this many years of today.
EVENT_WINDOW_YEARS = 10
_country = validate.Regexp(r"^[A-Z]{2}$", error="an ISO 3166 two-letter country code")

PROGRAMME_CATEGORIES = ("meal", "hotel", "transport", "tickets", "interpreter", "cultural",
                        "business_meeting", "ceremony", "press", "other")
RESOURCE_KINDS = ("room", "vehicle", "interpreter", "equipment", "other")
COST_CATEGORIES = ("meals", "accommodation", "transport", "tickets", "interpretation", "gifts",
                   "cultural_programme", "venue", "other")
VISIT_ACTIONS = ("arrived", "seen", "left", "no_show")
APPOINTMENT_STATUSES = ("booked", "arrived", "seen", "left", "no_show", "cancelled")
ACCREDITATION_DECISIONS = ("approved", "refused")
INTAKE_KINDS = ("application", "complaint", "proposal", "information_request", "letter")


def _local(attribute: str) -> fields.Function:
    """An instant of ``attribute`` as the municipality reads it: ``2026-05-04 10:30 EEST``."""
    def local(row: Any) -> str | None:
        value = row[attribute] if isinstance(row, dict) else getattr(row, attribute)
        if value is None:
            return None
        zone = current_app.extensions["events"].zone
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M %Z}"

    return fields.Function(local, metadata={
        "description": f"{attribute} in the municipality's time zone"})


def _prose(**options: Any) -> fields.String:
    """Multi-line text: a note, a topic, a description."""
    return Text(min_length=1, max_length=5000, single_line=False, **options)


def _texts(*, single_line: bool = True, **options: Any) -> fields.Dict:
    """Texts per language, e.g. ``{"lt": "Priėmimas", "en": "Reception"}``.

    Titles and positions are single-line (they reach calendar files and
    subjects); descriptions may have several lines.
    """
    return fields.Dict(keys=fields.String(validate=_language),
                       values=Text(min_length=1, max_length=5000, single_line=single_line),
                       **options)


def _moment(**options: Any) -> fields.AwareDateTime:
    return PlausibleDateTime(within_years=EVENT_WINDOW_YEARS, **options)


def _amount(**options: Any) -> fields.Decimal:
    return fields.Decimal(places=2, as_string=True,
                          validate=validate.Range(min=0, max=10**11), **options)


class _Span(StrictSchema):
    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after starts_at", "ends_at")


# Events ----------------------------------------------------------------------------------

class EventIn(_Span):
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS),
        metadata={"description": "What the event is (an official reception, a visit, a ceremony, "
                                 "...)."})
    protocol_level = fields.String(required=True, validate=validate.OneOf(PROTOCOL_LEVELS),
        metadata={"description": "The protocol the event follows."})
    title = _texts(required=True, validate=validate.Length(min=1),
        metadata={"description": "The event's title per language, e.g. {\"lt\": \"Priėmimas\", "
                                 "\"en\": \"Reception\"}."})
    description = _texts(single_line=False, load_default=dict)
    venue = fields.String(load_default=None, allow_none=True, validate=_line)
    department_code = fields.String(load_default=None, allow_none=True, validate=_code)
    starts_at = _moment(required=True,
        metadata={"description": "When the event starts, with an offset."})
    ends_at = _moment(required=True,
        metadata={"description": "When the event ends, with an offset; after starts_at."})


class EventPatch(_Span, UpdateSchema):
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS),
        metadata={"description": "What the event is (an official reception, a visit, a ceremony, "
                                 "...)."})
    protocol_level = fields.String(validate=validate.OneOf(PROTOCOL_LEVELS),
        metadata={"description": "The protocol the event follows."})
    title = _texts(validate=validate.Length(min=1))
    description = _texts(single_line=False)
    venue = fields.String(allow_none=True, validate=_line)
    department_code = fields.String(validate=_code)
    starts_at = _moment()
    ends_at = _moment()


class TransitionIn(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES),
        metadata={"description": "The status to move the event to (see its allowed_moves)."})
    note = _prose(load_default=None, allow_none=True,
                         metadata={"description": "why; required when cancelling"})


class EventQuery(PageQuery):
    """Events soonest first, a page at a time."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS))
    starts_from = fields.Date()
    starts_before = fields.Date()


class EventOut(Schema):
    id = fields.String()
    kind = fields.String()
    protocol_level = fields.String()
    title = fields.Dict()
    description = fields.Dict()
    venue = fields.String(allow_none=True)
    department_code = fields.String()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    status = fields.String()
    status_note = fields.String(allow_none=True)
    sequence = fields.Integer()
    ical_uid = fields.String()
    visit_id = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    version = fields.Integer()
    allowed_moves = fields.Method("_moves")

    def _moves(self, event: Any) -> list[str]:
        from protocol_events.lifecycle import allowed_moves

        return list(allowed_moves(event.status))


class HistoryOut(Schema):
    at = LocalDateTime()
    actor = fields.String()
    action = fields.String()
    details = fields.Dict()


# Participants and precedence -------------------------------------------------------------

class ParticipantIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("internal", "guest")),
        metadata={"description": "internal (a staff member or official) or guest."})
    name = fields.String(required=True, validate=_line,
        metadata={"description": "The participant's full name."})
    role = fields.String(load_default=None, allow_none=True, validate=_line)
    organisation = fields.String(load_default=None, allow_none=True, validate=_line)
    country = fields.String(load_default=None, allow_none=True, validate=_country)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    rank = fields.String(load_default=None, allow_none=True,
                         validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$",
                                                  error="a rank code of the protocol list"))
    email = EmailAddress(load_default=None, allow_none=True)
    official_id = fields.UUID(load_default=None, allow_none=True)
    host = fields.Boolean(load_default=False)
    guest_of_honour = fields.Boolean(load_default=False)
    speaks = fields.Boolean(load_default=False)


class ParticipantOut(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    rank = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    official_id = fields.String(allow_none=True)
    host = fields.Boolean()
    guest_of_honour = fields.Boolean()
    speaks = fields.Boolean()


class PlaceOut(Schema):
    position = fields.Integer()
    participant_id = fields.String()
    name = fields.String()
    rank = fields.String(allow_none=True)
    seat = fields.String()
    reason = fields.String()


class OrderOut(Schema):
    seating = fields.List(fields.Nested(PlaceOut))
    speaking = fields.List(fields.Nested(PlaceOut))


class RankIn(StrictSchema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$"),
        metadata={"description": "A short code of the rank (lower case letters, digits, _)."})
    names = fields.Dict(keys=fields.String(validate=_language),
                        values=fields.String(validate=_line), load_default=dict)


class PrecedenceIn(StrictSchema):
    ranks = fields.List(fields.Nested(RankIn), required=True,
                        validate=validate.Length(min=1, max=500),
        metadata={"description": "The ranks in order, highest first."})


class PrecedenceOut(Schema):
    source = fields.String(metadata={"description": "default (shipped) or saved"})
    version = fields.Integer()
    ranks = fields.List(fields.Dict())


# Programme and resources -----------------------------------------------------------------

class ItemIn(_Span):
    category = fields.String(required=True, validate=validate.OneOf(PROGRAMME_CATEGORIES),
        metadata={"description": "What the programme item is (business meeting, meal, transfer, "
                                 "...)."})
    title = _texts(required=True, validate=validate.Length(min=1),
        metadata={"description": "The item's title per language."})
    starts_at = _moment(required=True,
        metadata={"description": "When the item starts, with an offset; within the event."})
    ends_at = _moment(required=True,
        metadata={"description": "When the item ends, with an offset; within the event."})
    place = fields.String(load_default=None, allow_none=True, validate=_line)
    responsible = fields.String(load_default=None, allow_none=True, validate=_line)
    counterpart = fields.String(load_default=None, allow_none=True, validate=_line, metadata={
        "description": "council committee, department or local organisation met"})
    notes = _prose(load_default=None, allow_none=True)
    resource_ids = fields.List(fields.String(validate=validate.Length(equal=36)),
                               load_default=list)


class BookingOut(Schema):
    id = fields.String()
    resource_id = fields.String()
    resource_name = fields.Function(lambda booking: booking.resource.name)
    event_id = fields.String()
    item_id = fields.String(allow_none=True)
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    local_starts_at = _local("starts_at")
    local_ends_at = _local("ends_at")
    booked_by = fields.String()


class CostOut(Schema):
    id = fields.String()
    item_id = fields.String(allow_none=True)
    category = fields.String()
    description = fields.String()
    planned = fields.Decimal(as_string=True)
    actual = fields.Decimal(as_string=True, allow_none=True)
    currency = fields.String()
    incurred_on = fields.Date()
    status = fields.String()
    decided_by = fields.String(allow_none=True)
    decided_at = LocalDateTime(allow_none=True)
    approved_over_budget = fields.Boolean()
    over_budget = fields.Boolean()
    actual_status = fields.String(allow_none=True)
    actual_decided_by = fields.String(allow_none=True)
    actual_decided_at = LocalDateTime(allow_none=True)


class ItemOut(Schema):
    id = fields.String()
    category = fields.String()
    title = fields.Dict()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    local_starts_at = _local("starts_at")
    local_ends_at = _local("ends_at")
    place = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    counterpart = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    bookings = fields.List(fields.Nested(BookingOut))
    costs = fields.List(fields.Nested(CostOut))


class ResourceIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(RESOURCE_KINDS),
        metadata={"description": "What the resource is: a room, a vehicle, an interpreter, "
                                 "equipment or other."})
    name = fields.String(required=True, validate=_line,
        metadata={"description": "The resource's name as people know it."})
    capacity = fields.Integer(load_default=None, allow_none=True,
                              validate=validate.Range(min=1, max=100_000))
    languages = fields.List(fields.String(validate=_language), load_default=list)


class ResourceOut(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    capacity = fields.Integer(allow_none=True)
    languages = fields.List(fields.String())
    active = fields.Boolean()


class BookingIn(_Span):
    resource_id = fields.String(required=True, validate=validate.Length(equal=36),
        metadata={"description": "The id of the resource booked (a hall, a car, an interpreter, "
                                 "...)."})
    starts_at = _moment(required=True,
        metadata={"description": "When the booking starts, with an offset."})
    ends_at = _moment(required=True,
        metadata={"description": "When the booking ends, with an offset."})


class ScheduleQuery(PageQuery):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


class ScheduleOut(Schema):
    booking_id = fields.String()
    event_id = fields.String()
    event_title = fields.String()
    item_id = fields.String(allow_none=True)
    item_title = fields.String(allow_none=True)
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    local_starts_at = _local("starts_at")
    local_ends_at = _local("ends_at")


# Press -----------------------------------------------------------------------------------

class AccreditationIn(StrictSchema):
    outlet = fields.String(required=True, validate=_line,
        metadata={"description": "The media outlet the journalist works for."})
    journalist = fields.String(required=True, validate=_line,
        metadata={"description": "The journalist's full name."})
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$"))
    language = fields.String(load_default=None, allow_none=True, validate=_language)


class AccreditationDecisionIn(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(ACCREDITATION_DECISIONS),
        metadata={"description": "approved or refused."})


class AccreditationOut(Schema):
    id = fields.String()
    outlet = fields.String()
    journalist = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    status = fields.String()
    badge_number = fields.String(allow_none=True)


# Award ceremonies ------------------------------------------------------------------------

class NomineeIn(StrictSchema):
    name = fields.String(required=True, validate=_line,
                         metadata={"description": "the nominee's name, as on the certificate"})
    organisation = fields.String(load_default=None, allow_none=True, validate=_line)
    email = EmailAddress(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=_language)
    citation = _prose(load_default=None, allow_none=True,
                      metadata={"description": "why they are nominated (the certificate's "
                                               "words)"})
    nominated_by = fields.String(required=True, validate=_line, metadata={
        "description": "who put them forward: a person, a body, an organisation"})


class AwardDecisionIn(StrictSchema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100),
                              metadata={"description": "the decision's number"})
    decided_on = PlausibleDate(required=True)
    body = fields.String(required=True, validate=validate.Length(min=1, max=300),
                         metadata={"description": "who decided: the council, the mayor..."})
    awardees = fields.List(fields.String(validate=validate.Length(equal=36)), required=True,
                           validate=validate.Length(max=500),
                           metadata={"description": "the nominees (their ids) the decision "
                                                    "grants the award to"})


class NomineeOut(Schema):
    id = fields.String()
    name = fields.String()
    organisation = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    citation = fields.String(allow_none=True)
    nominated_by = fields.String()
    status = fields.String()
    certificate_number = fields.String(allow_none=True)


class AwardDecisionOut(Schema):
    reference = fields.String()
    decided_on = fields.Date()
    body = fields.String()
    recorded_by = fields.String()
    recorded_at = fields.AwareDateTime()


class AwardProgrammeLineOut(Schema):
    title = fields.Dict(keys=fields.String(), values=fields.String())
    category = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    local_time = fields.String(metadata={"description": "in the municipality's time zone"})
    place = fields.String(allow_none=True)


class CertificateOut(Schema):
    certificate_number = fields.String()
    awardee = fields.String()
    organisation = fields.String(allow_none=True)
    citation = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    award = fields.Dict(keys=fields.String(), values=fields.String())
    decision_reference = fields.String()
    decided_on = fields.Date()
    decided_by_body = fields.String()
    presented_on = fields.Date()
    venue = fields.String(allow_none=True)
    municipality = fields.Dict(keys=fields.String(), values=fields.String())


class AwardOut(Schema):
    event_id = fields.String()
    title = fields.Dict(keys=fields.String(), values=fields.String())
    nominees = fields.List(fields.Nested(NomineeOut))
    decision = fields.Nested(AwardDecisionOut, allow_none=True)
    awardees = fields.List(fields.Nested(NomineeOut))
    programme = fields.List(fields.Nested(AwardProgrammeLineOut))
    certificates = fields.List(fields.Nested(CertificateOut))


# Expenses --------------------------------------------------------------------------------

class BudgetIn(StrictSchema):
    lines = fields.Dict(keys=fields.String(validate=validate.OneOf(COST_CATEGORIES)),
                        values=_amount(), required=True,
        metadata={"description": "The budget per cost category, each a decimal string (e.g. "
                                 "{\"catering\": \"450.00\"})."})


class CostIn(StrictSchema):
    category = fields.String(required=True, validate=validate.OneOf(COST_CATEGORIES),
        metadata={"description": "The cost category the line belongs to."})
    description = fields.String(required=True, validate=_line,
        metadata={"description": "What the cost is for."})
    planned = _amount(required=True)
    actual = _amount(load_default=None, allow_none=True)
    item_id = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(equal=36))
    incurred_on = fields.Date(load_default=None, allow_none=True)


class ActualIn(StrictSchema):
    actual = _amount(required=True)


class CalendarQuery(StrictSchema):
    lang = fields.String(load_default=None, validate=validate.OneOf(EXPLANATION_LANGUAGES))


class ApproveCostIn(StrictSchema):
    over_budget = fields.Boolean(load_default=False)


class ExpensesOut(Schema):
    currency = fields.String()
    budget = fields.List(fields.Dict())
    costs = fields.List(fields.Nested(CostOut))
    totals = fields.List(fields.Dict())
    over_budget = fields.List(fields.String())


class PeriodQuery(PageQuery):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("must not be before from", "to")


class ExpenseLineOut(Schema):
    event_id = fields.String()
    event_title = fields.String()
    starts_at = fields.String()
    category = fields.String()
    currency = fields.String()
    budget = fields.Decimal(as_string=True)
    planned = fields.Decimal(as_string=True)
    actual = fields.Decimal(as_string=True)
    approved_actual = fields.Decimal(as_string=True)


# Reception hours -------------------------------------------------------------------------

class OfficialIn(StrictSchema):
    name = fields.String(required=True, validate=_line,
        metadata={"description": "The official's full name."})
    position = _texts(required=True, validate=validate.Length(min=1),
        metadata={"description": "The official's position per language."})
    staff_subject = fields.String(load_default=None, allow_none=True, validate=_line, metadata={
        "description": "the official's subject in the identity provider (for notifications)"})
    addressee_kind = fields.String(load_default="mayor",
                                   validate=validate.OneOf(ADDRESSEE_KINDS),
        metadata={"description": "Which addressee of letters the official is (letters to them "
                                 "reach their desk)."})
    place = fields.String(load_default=None, allow_none=True, validate=_line)
    email = EmailAddress(load_default=None, allow_none=True)


class OfficialPatch(UpdateSchema):
    name = fields.String(validate=_line)
    position = _texts(validate=validate.Length(min=1))
    staff_subject = fields.String(allow_none=True, validate=_line)
    addressee_kind = fields.String(validate=validate.OneOf(ADDRESSEE_KINDS),
        metadata={"description": "Which addressee of letters the official is."})
    place = fields.String(allow_none=True, validate=_line)
    email = EmailAddress(allow_none=True)
    active = fields.Boolean()


class WindowIn(StrictSchema):
    weekday = fields.Integer(required=True, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 = Monday .. 6 = Sunday"})
    start = fields.Time(required=True,
        metadata={"description": "When the reception window opens (HH:MM, local time)."})
    end = fields.Time(required=True,
        metadata={"description": "When the reception window closes (HH:MM, local time); "
                                 "after start."})
    slot_minutes = fields.Integer(required=True, validate=validate.Range(min=5, max=240),
        metadata={"description": "How long each slot of the window is, in minutes."})
    valid_from = fields.Date(load_default=None, allow_none=True)
    valid_until = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")


class HoursIn(StrictSchema):
    hours = fields.List(fields.Nested(WindowIn), required=True,
                        validate=validate.Length(max=50),
        metadata={"description": "The official's reception windows."})


class WindowOut(Schema):
    weekday = fields.Integer()
    start = fields.Time(format="%H:%M")
    end = fields.Time(format="%H:%M")
    slot_minutes = fields.Integer()
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


class OfficialOut(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.Dict()
    staff_subject = fields.String(allow_none=True)
    addressee_kind = fields.String()
    place = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    active = fields.Boolean()
    hours = fields.List(fields.Nested(WindowOut))


class SlotQuery(StrictSchema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")


class SlotOut(Schema):
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    free = fields.Boolean()


class ClosedDayOut(Schema):
    day = fields.Date()
    reason = fields.String(metadata={"description": "why, in English"})
    reasons = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "why, keyed by language (lt, lv, ka, sq, en)"})


class SlotsOut(Schema):
    slots = fields.List(fields.Nested(SlotOut))
    closed_days = fields.List(fields.Nested(ClosedDayOut))


class VisitorIn(StrictSchema):
    # What _reachable checks: an e-mail address or a phone number (or both).
    JSON_SCHEMA: ClassVar[dict[str, Any]] = {"anyOf": [
        {"title": "Reachable by e-mail", "required": ["email"],
         "properties": {"email": {"type": "string"}}},
        {"title": "Reachable by phone", "required": ["phone"],
         "properties": {"phone": {"type": "string"}}},
    ]}

    name = fields.String(required=True, validate=_line,
        metadata={"description": "The visitor's full name."})
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$",
                                                   error="a phone number"))
    language = fields.String(load_default=None, allow_none=True, validate=_language)

    @validates_schema
    def _reachable(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("email") and not data.get("phone"):
            raise ValidationError("give an e-mail address or a phone number", "email")


class AppointmentIn(StrictSchema):
    official_id = fields.String(required=True, validate=validate.Length(equal=36),
        metadata={"description": "The id of the official met."})
    starts_at = _moment(required=True,
        metadata={"description": "The slot's start, with an offset (one of the official's free "
                                 "slots)."})
    topic = _prose(required=True,
        metadata={"description": "What the visitor wants to talk about."})
    visitor = fields.Nested(VisitorIn, required=True,
        metadata={"description": "Who comes: a name and an e-mail address or a phone number."})


class AppointmentQuery(PageQuery):
    official_id = fields.String(validate=validate.Length(equal=36))
    day = PlausibleDate(within_years=EVENT_WINDOW_YEARS)
    status = fields.String(validate=validate.OneOf(APPOINTMENT_STATUSES))


class ReasonIn(StrictSchema):
    reason = _prose(required=True,
        metadata={"description": "Why, kept with the record."})


class VisitIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(VISIT_ACTIONS),
        metadata={"description": "What happened at the appointment: arrived, seen, left or "
                                 "no_show."})


class HandOverIn(StrictSchema):
    kind = fields.String(load_default="application", validate=validate.OneOf(INTAKE_KINDS),
        metadata={"description": "The letter kind the visit becomes at intake."})
    subject = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=500))


class VisitEntryOut(Schema):
    action = fields.String()
    at = LocalDateTime()
    recorded_by = fields.String()


class AppointmentOut(Schema):
    id = fields.String()
    official_id = fields.String()
    official_name = fields.Function(lambda appointment: appointment.official.name)
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    local_starts_at = _local("starts_at")
    local_ends_at = _local("ends_at")
    topic = fields.String()
    visitor = fields.Function(lambda a: {"name": a.visitor_name, "email": a.visitor_email,
                                         "phone": a.visitor_phone,
                                         "language": a.visitor_language})
    status = fields.String()
    booked_by = fields.String()
    booked_at = LocalDateTime()
    cancelled_reason = fields.String(allow_none=True)
    reminder_sent_at = LocalDateTime(allow_none=True)
    handed_to_intake_at = LocalDateTime(allow_none=True)
    intake_key = fields.String(allow_none=True)
    handed_over_by = fields.String(allow_none=True)
    letter_id = fields.String(allow_none=True)
    registration_number = fields.String(allow_none=True)
    version = fields.Integer()


class VisitorLogOut(Schema):
    appointment_id = fields.String()
    official_id = fields.String()
    official_name = fields.String()
    visitor_name = fields.String()
    action = fields.String()
    at = LocalDateTime()
    local_at = _local("at")
    recorded_by = fields.String()


class FeedOut(Schema):
    url = fields.String()
    token = fields.String()


class VisitorLogQuery(PageQuery):
    day = PlausibleDate(within_years=EVENT_WINDOW_YEARS, required=True)


# An example for the OpenAPI document (tests/api sends it through a generated client).
EVENT_EXAMPLE = {"kind": "official_reception", "protocol_level": "diplomatic",
                 "title": {"lt": "Priėmimas", "ka": "მიღება", "sq": "Pritje"},
                 "venue": "Rotušė, Didžioji salė", "starts_at": "2027-05-04T10:00:00+03:00",
                 "ends_at": "2027-05-04T12:00:00+03:00"}

# An answer as the service gives it (the document's example).
EVENT_OUT_EXAMPLE = {"id": "31bee8f6-6e03-4a99-ac79-f5427dc8e695",
                     "kind": "official_reception",
                     "protocol_level": "diplomatic",
                     "title": {"lt": "Priėmimas", "ka": "მიღება", "sq": "Pritje"},
                     "description": {},
                     "venue": "Rotušė, Didžioji salė",
                     "department_code": "COMM",
                     "starts_at": "2027-05-04T10:00:00+03:00",
                     "ends_at": "2027-05-04T12:00:00+03:00",
                     "status": "draft",
                     "status_note": None,
                     "sequence": 0,
                     "ical_uid": "31bee8f6-6e03-4a99-ac79-f5427dc8e695@alytus.chancery",
                     "visit_id": None,
                     "created_by": "officer-ona",
                     "created_at": "2026-12-08T12:45:00+02:00",
                     "updated_at": "2026-12-08T12:45:00+02:00",
                     "version": 1,
                     "allowed_moves": ["planned", "cancelled"]}
