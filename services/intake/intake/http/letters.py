"""Intake's HTTP views of a letter: register it, search the book, read it (by id or
number), issue a new access code, void, weed out, archive or file it: parse, call one use
case, answer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Response, g

from chancery.http import idempotent_request, if_match, stored_response, use_case, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from chancery.http.times import local_isoformat
from chancery.idempotency import StoredResponse
from intake.adapters.letter_reads import WholeLetter, shown_values
from intake.adapters.models import department_codes
from intake.adapters.repositories import LetterFilters
from intake.http.answers import PagedAnswer
from intake.http.schemas import letters as schemas
from intake.permissions import LETTER_READERS, READERS, REGISTRY, WRITERS
from intake.usecases.letters import Letters, RegisteredLetter, RegisterLetter
from intake.usecases.searches import Searches
from intake.usecases.status import IssuedCode, StatusLookups

letters = Resource("letters", __name__, "The protocol book: incoming and outgoing correspondence.")


LETTER_SUMMARY = schemas.LetterSummary()


LETTER_REFS = schemas.LetterRef(many=True)


ATTACHMENTS_OUT = schemas.AttachmentOut(many=True)


FILED_OUT = schemas.FiledOut()


_letters = use_case("letters", Letters)


_searches = use_case("searches", Searches)


_status = use_case("status", StatusLookups)


@letters.creation(
    schemas.LetterIn,
    schemas.RegisteredOut,
    roles=WRITERS,
    retried="returns the first result and registers nothing new",
    example=schemas.LETTER_EXAMPLE,
    answer_example=schemas.REGISTERED_EXAMPLE,
)
def register_letter(data: dict[str, Any]) -> Response:
    """Register an incoming or outgoing item and give it its registration number."""
    who = principal()
    # The schema's fields are the command's, but for the sender or recipient: its correspondent.
    sender, recipient = data.pop("sender"), data.pop("recipient")
    command = RegisterLetter(correspondent=sender or recipient, **data)

    def respond(registered: RegisteredLetter) -> StoredResponse:
        body = _registered_body(registered.values, registered.access_code)
        return StoredResponse(201, body, {"Location": f"/letters/{body['id']}"})

    return stored_response(
        _letters().register(
            command,
            who,
            g.correlation_id,
            idempotent_request(f"{who.subject}:POST /letters"),
            respond,
            checked_at_the_edge=True,
        )
    )


def _letter_body(columns: Mapping[str, Any], replies: list, attachments: list) -> dict[str, Any]:
    """A letter read whole: its fields written out from its column values (as a new
    letter's answer, decision 0081), its replies and attachments dumped (decision 0088)."""
    body = _registered_body(columns, None)
    body["replies"] = LETTER_REFS.dump(replies)
    body["attachments"] = ATTACHMENTS_OUT.dump(attachments)
    return body


def _registered_body(letter: Mapping[str, Any], access_code: str | None) -> dict[str, Any]:
    """A new letter's answer from its column values: what ``LetterOut`` dumps of the letter,
    with no replies or attachments, field for field and in its order, written out instead
    of dumped (a read's answer, ``_letter_body``, starts from it too).

    Every registration answers with it, and marshmallow's dump of 28 fields was a tenth of
    a registration's Python (decision 81); tests compare the two for every kind of letter,
    so a field added to ``LetterOut`` must be added here too. Columns a registration leaves
    empty may be absent from ``letter``.
    """
    incoming = letter["direction"] == "incoming"
    due_date = letter.get("due_date")
    body = {
        "id": letter["id"],
        "direction": letter["direction"],
        "registration_number": letter["registration_number"],
        "register": letter["register_code"],
        "kind": letter["kind"],
        "channel": letter.get("channel"),
        "language": letter["language"],
        "subject": letter["subject"],
        "addressee_kind": letter.get("addressee_kind"),
        "confidentiality": letter["confidentiality"],
        "received_at": _moment(letter.get("received_at")),
        "registered_at": _moment(letter["registered_at"]),
        "status": letter["status"],
        "department_code": letter.get("department_code"),
        "due_date": due_date.isoformat() if due_date is not None else None,
        "summary": letter.get("summary"),
        "addressee": letter.get("addressee"),
        "sender": letter["correspondent"] if incoming else None,
        "recipient": None if incoming else letter["correspondent"],
        "copy_department_codes": department_codes(letter["copy_departments"]),
        "status_changed_at": _moment(letter["status_changed_at"]),
        "answered_at": _moment(letter.get("answered_at")),
        "in_reply_to_id": letter.get("in_reply_to_id"),
        "closing_reason": letter.get("closing_reason"),
        "forwarded_to": letter.get("forwarded_to"),
        "triage_reason": letter.get("triage_reason"),
        "file_reference": letter.get("file_reference"),
        "version": letter["version"],
        "replies": [],
        "attachments": [],
    }
    if access_code is not None:
        body["status_lookup_code"] = access_code
    return body


def _moment(value: datetime | None) -> str | None:
    return None if value is None else local_isoformat(value)


@letters.listing(schemas.LetterQuery, schemas.LetterHit, roles=READERS)
def list_letters(query: dict[str, Any]) -> PagedAnswer:
    """Search the protocol book (subject text is case- and diacritics-insensitive)."""
    asked = page_request(query)
    return page_response(_searches().search(LetterFilters(**query), principal(), asked), asked)


@letters.reading(
    "/<uuid:letter_id>",
    schemas.LetterDetailOut,
    roles=LETTER_READERS,
    marks=(versioned_read, personal_data("letter", "letter_id")),
)
def read_letter(letter_id: UUID) -> Response:
    """A letter with its correspondent, replies and attachments (the read is audited)."""
    return _detail_response(_letters().read(str(letter_id), principal()))


@letters.reading(
    "/by-number/<string:registration_number>",
    schemas.LetterDetailOut,
    roles=LETTER_READERS,
    marks=(versioned_read,),
)
def read_letter_by_number(registration_number: str) -> Response:
    """A letter found by its registration number, as ``GET /letters/{id}`` (audited too)."""
    return _detail_response(_letters().read_by_number(registration_number, principal()))


def _detail_response(found: WholeLetter) -> Response:
    body = _letter_body(shown_values(vars(found.letter)), found.replies, found.attachments)
    return versioned_json(body, found.letter.version)


def _with_etag(letter: Any) -> Response:
    return versioned_json(LETTER_SUMMARY.dump(letter), letter.version)


@letters.action(
    "/<uuid:letter_id>/access-code",
    None,
    schemas.AccessCodeOut,
    roles=REGISTRY,
    status=201,
    retried="returns the same code and issues no other",
)
def reissue_access_code(letter_id: UUID) -> Response:
    """Give the letter a new status-lookup code (the old one stops working; audited).

    The code is in this answer only; notifications sends it to the letter's
    sender the way the acknowledgement went.
    """
    who = principal()

    def respond(issued: IssuedCode) -> StoredResponse:
        return StoredResponse(
            201,
            {
                "letter_id": issued.letter_id,
                "registration_number": issued.registration_number,
                "status_lookup_code": issued.access_code,
            },
        )

    return stored_response(
        _status().reissue_access_code(
            str(letter_id),
            who,
            g.correlation_id,
            idempotent_request(f"{who.subject}:POST /letters/{letter_id}/access-code"),
            respond,
        )
    )


@letters.action("/<uuid:letter_id>/void", schemas.ReasonIn, schemas.LetterSummary, roles=REGISTRY)
def void_letter(data: dict[str, Any], letter_id: UUID) -> Response:
    """Void a registration made by mistake; the number stays recorded as voided."""
    return _with_etag(
        _letters().void(str(letter_id), data["reason"], principal(), g.correlation_id, if_match())
    )


@letters.action(
    "/<uuid:letter_id>/not-ours", schemas.NotOursIn, schemas.LetterSummary, roles=REGISTRY
)
def weed_out_letter(data: dict[str, Any], letter_id: UUID) -> Response:
    """Weed out a letter that is not the municipality's business, with the reason."""
    return _with_etag(
        _letters().weed_out(
            str(letter_id),
            data["reason"],
            data["forwarded_to"],
            principal(),
            g.correlation_id,
            if_match(),
        )
    )


@letters.action(
    "/<uuid:letter_id>/archive", schemas.ArchiveIn, schemas.LetterSummary, roles=REGISTRY
)
def archive_letter(data: dict[str, Any], letter_id: UUID) -> Response:
    """Hand a finished letter to the archive under a file reference."""
    return _with_etag(
        _letters().archive(
            str(letter_id), data["file_reference"], principal(), g.correlation_id, if_match()
        )
    )


@letters.action(
    "/<uuid:letter_id>/file", schemas.FileIn, schemas.FiledOut, roles=WRITERS, method="PUT"
)
def file_letter(data: dict[str, Any], letter_id: UUID) -> Response:
    """Move the letter to another open case file of its year (registry or its department)."""
    letter = _letters().file(str(letter_id), data["file_reference"], principal(), if_match())
    return versioned_json(FILED_OUT.dump(letter), letter.version)
