"""Routing's HTTP views of a letter's workflow: read it (by id or number), route it by
hand, name its executor, extend, reply, close: parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request

from chancery.explanations import explanation_language
from chancery.http import if_match, use_case, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.paging import PageQuery, answer_page, page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.adapters.repositories import LetterFilters
from routing.http.endorsements import by_request
from routing.http.schemas import assignments as assignments_schemas
from routing.http.schemas import endorsements as endorsements_schemas
from routing.http.schemas import letters as schemas
from routing.permissions import EXTENDERS, HEADS, REPLIERS, ROUTERS, STAFF
from routing.usecases.endorsements import Endorsements
from routing.usecases.letters import Letters
from routing.usecases.triage import Triage

letters = Resource(
    "workflow",
    __name__,
    "The letters' workflow: routing, deadlines, executors, replies.",
    url_prefix="/letters",
)
_letters = use_case("letters", Letters)
_triage = use_case("triage", Triage)
_endorsements = use_case("endorsements", Endorsements)


LETTER_OUT = schemas.LetterOut()
ASSIGNMENT_OUT = assignments_schemas.AssignmentOut()


def _columns(assignment: Any) -> dict[str, Any]:
    """An assignment row's columns, to dump with what its table does not hold."""
    return {column.key: getattr(assignment, column.key) for column in assignment.__table__.columns}


@letters.listing(
    schemas.LetterQuery, schemas.LetterOut, roles=STAFF, marks=(personal_data("letter"),)
)
def list_letters(query: dict[str, Any]) -> Any:
    """A department's queue, an executor's letters, what is due or overdue."""
    asked = page_request(query)
    return page_response(_letters().letters(LetterFilters(**query), principal(), asked), asked)


@letters.reading(
    "/by-number/<string:registration_number>",
    schemas.LetterDetailOut,
    roles=STAFF,
    query=schemas.ReadQuery,
    marks=(personal_data("letter", "registration_number"),),
)
def read_letter_by_number(query: dict[str, Any], registration_number: str) -> Response:
    """A letter found by its registration number, as ``GET /letters/{letter_id}`` (audited
    too): the number people know, from the protocol book or a reply."""
    return _letter_detail(query, _letters().letter_id_of(registration_number))


@letters.reading(
    "/<uuid:letter_id>",
    schemas.LetterDetailOut,
    roles=STAFF,
    query=schemas.ReadQuery,
    marks=(versioned_read, personal_data("letter", "letter_id")),
)
def read_letter(query: dict[str, Any], letter_id: Any) -> Response:
    """A letter's workflow state, how its dates were computed (explained in the reader's
    language, ``?lang=`` or Accept-Language, and the letter's) and its history."""
    return _letter_detail(query, str(letter_id))


def _letter_detail(query: dict[str, Any], letter_id: str) -> Response:
    workflow = _letters()
    row, history, assignment = workflow.letter(letter_id, principal())
    reader = explanation_language(
        query["lang"] or request.headers.get("Accept-Language"), workflow.profile.default_language
    )
    body = LETTER_OUT.dump(row)
    body["deadline"] = row.deadline
    body["forwarding"] = row.forwarding
    extension = (row.deadline or {}).get("extension")
    body["explanation"] = {
        "reader_language": reader,
        "letter_language": row.language,
        "answer": workflow.explained(row.deadline, reader, row.language),
        "forwarding": workflow.explained(row.forwarding, reader, row.language),
        "extension": workflow.explained(extension, reader, row.language),
    }
    body["history"] = schemas.HistoryOut(many=True).dump(history)
    body["assignment"] = (
        ASSIGNMENT_OUT.dump(
            {**_columns(assignment), "registration_number": row.registration_number}
        )
        if assignment is not None
        else None
    )
    return versioned_json(body, row.version)


@letters.action("/<uuid:letter_id>/route", schemas.RouteIn, schemas.LetterOut, roles=ROUTERS)
def route_letter(data: dict[str, Any], letter_id: Any) -> Any:
    """Route a letter from triage, or re-route it, with a reason; the deadline is kept or
    recomputed as asked, and the history keeps both."""
    return _triage().route(
        str(letter_id),
        data["department_code"],
        data["copy_department_codes"],
        data["reason"],
        data["keep_deadline"],
        principal(),
        g.correlation_id,
        if_match(),
    )


@letters.action(
    "/<uuid:letter_id>/assign", schemas.AssignIn, schemas.AssignedLetterOut, roles=HEADS
)
def assign_letter(data: dict[str, Any], letter_id: Any) -> Any:
    """Name (or change) the executor inside the responsible department, with their own due
    date (the letter's when left out, never later) and instructions; the letter's history
    keeps every naming."""
    row, assignment = _letters().assign(
        str(letter_id),
        data["executor"],
        principal(),
        g.correlation_id,
        due_date=data["due_date"],
        instructions=data["instructions"],
    )
    return {
        **{name: getattr(row, name) for name in LETTER_OUT.fields},
        "assignment": {**_columns(assignment), "registration_number": row.registration_number},
    }


@letters.action("/<uuid:letter_id>/extend", schemas.ReasonIn, schemas.LetterOut, roles=EXTENDERS)
def extend_deadline(data: dict[str, Any], letter_id: Any) -> Any:
    """Extend the deadline once, as the law allows; the applicant is told why."""
    return _letters().extend(str(letter_id), data["reason"], principal(), g.correlation_id)


@letters.action(
    "/<uuid:letter_id>/reply",
    schemas.ReplyIn,
    endorsements_schemas.EndorsementOut,
    roles=REPLIERS,
    status=201,
)
def submit_reply(data: dict[str, Any], letter_id: Any) -> Any:
    """Send the reply draft into its endorsement circuit."""
    return _endorsements().submit_reply(
        str(letter_id),
        data["subject"],
        data["summary"],
        data["language"],
        principal(),
        g.correlation_id,
    )


@letters.listing(
    PageQuery,
    endorsements_schemas.EndorsementViewOut,
    roles=STAFF,
    path="/<uuid:letter_id>/endorsements",
    marks=(personal_data("letter", "letter_id"),),
)
def letter_endorsements(query: dict[str, Any], letter_id: Any) -> Any:
    """The reply's endorsement rounds, oldest first, with each step's decision and comment."""
    return answer_page(
        _endorsements().letter_endorsements(str(letter_id), principal()), query, by_request
    )


@letters.action("/<uuid:letter_id>/close", None, schemas.LetterOut, roles=HEADS)
def close_letter(letter_id: Any) -> Any:
    """Close an answered letter."""
    return _letters().close(str(letter_id), principal(), g.correlation_id)
