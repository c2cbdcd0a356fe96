"""Events' request and answer schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.explanations import EXPLANATION_LANGUAGES
from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import (
    DEPARTMENT_CODE,
    one_of,
    optional,
    prose,
    required,
    short_text,
)
from chancery.validation import StrictSchema, UpdateSchema
from chancery.vocabulary import EVENT_KINDS, PROTOCOL_LEVELS
from protocol_events.domain.lifecycle import STATUSES, allowed_moves
from protocol_events.http.schemas import Span, moment, texts


class EventIn(Span):
    kind = one_of(
        EVENT_KINDS,
        "What the event is (an official reception, a visit, a ceremony, ...).",
        required=True,
    )
    protocol_level = one_of(PROTOCOL_LEVELS, "The protocol the event follows.", required=True)
    title = required(
        texts,
        'The event\'s title per language, e.g. {"lt": "Priėmimas", "en": "Reception"}.',
        validate=validate.Length(min=1),
    )
    description = texts(single_line=False, load_default=dict)
    venue = optional(short_text)
    department_code = optional(fields.String, validate=DEPARTMENT_CODE)
    starts_at = required(moment, "When the event starts, with an offset.")
    ends_at = required(moment, "When the event ends, with an offset; after starts_at.")


class EventPatch(Span, UpdateSchema):
    kind = one_of(
        EVENT_KINDS, "What the event is (an official reception, a visit, a ceremony, ...)."
    )
    protocol_level = one_of(PROTOCOL_LEVELS, "The protocol the event follows.")
    title = texts(validate=validate.Length(min=1))
    description = texts(single_line=False)
    venue = short_text(allow_none=True)
    department_code = fields.String(validate=DEPARTMENT_CODE)
    starts_at = moment()
    ends_at = moment()


class TransitionIn(StrictSchema):
    status = one_of(
        STATUSES, "The status to move the event to (see its allowed_moves).", required=True
    )
    note = optional(
        prose, max_length=5000, metadata={"description": "why; required when cancelling"}
    )


class EventQuery(PageQuery):
    """Events soonest first, a page at a time."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS))
    starts_from = fields.Date()
    starts_before = fields.Date()


EventOut = answer_schema(
    "EventOut",
    "id kind protocol_level title:dict description:dict venue? department_code "
    "starts_at:datetime ends_at:datetime status status_note? sequence:int ical_uid visit_id? "
    "created_by created_at:datetime updated_at:datetime version:int allowed_moves",
    allowed_moves=fields.Function(lambda event: list(allowed_moves(event.status))),
)

HistoryOut = answer_schema("HistoryOut", "at:datetime actor action details:dict")


class CalendarQuery(StrictSchema):
    lang = fields.String(load_default=None, validate=validate.OneOf(EXPLANATION_LANGUAGES))


# An example for the OpenAPI document (tests/api sends it through a generated client).
EVENT_EXAMPLE = {
    "kind": "official_reception",
    "protocol_level": "diplomatic",
    "title": {"lt": "Priėmimas", "ka": "მიღება", "sq": "Pritje"},
    "venue": "Rotušė, Didžioji salė",
    "starts_at": "2027-05-04T10:00:00+03:00",
    "ends_at": "2027-05-04T12:00:00+03:00",
}


# An answer as the service gives it (the document's example).
EVENT_OUT_EXAMPLE = {
    "id": "31bee8f6-6e03-4a99-ac79-f5427dc8e695",
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
    "allowed_moves": ["planned", "cancelled"],
}
