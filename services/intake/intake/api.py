"""Intake's HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, request, send_file, stream_with_context
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http import (
    accepts,
    expected_version,
    idempotent_request,
    stored_response,
    versioned_json,
)
from chancery.http.auditing import personal_data
from chancery.http.openapi import file_responses, may_answer, versioned_read
from chancery.http.problems import Problem, field_error
from chancery.http.security import principal, require
from chancery.idempotency import StoredResponse
from intake import schemas
from intake.domain import EXTENSIONS, named_for_type
from intake.services import (
    Intake,
    IssuedCode,
    LetterFilters,
    RegisteredLetter,
    RegisterLetter,
)

letters = Blueprint("letters", __name__, url_prefix="/letters",
                    description="The protocol book: incoming and outgoing correspondence.")
reports = Blueprint("reports", __name__, description="Protocol book export and statistics.")
citizens = Blueprint("status", __name__, url_prefix="/status",
                     description="Citizens' status lookup with a registration number and code.")
correspondents = Blueprint("correspondents", __name__, url_prefix="/correspondents",
                           description="Earlier correspondents, for the registry's suggestions.")
municipality = Blueprint("municipality", __name__, url_prefix="/municipality",
                         description="The municipality's registers and departments.")

LETTER_OUT = schemas.LetterOut()
LETTER_SUMMARY = schemas.LetterSummary()
LETTER_REFS = schemas.LetterRef(many=True)
ATTACHMENTS_OUT = schemas.AttachmentOut(many=True)
REGISTRY = ("registrar",)
READERS = ("registrar", "mayor_office", "operator", "department_staff", "department_head",
           "system")
WRITERS = ("registrar", "system", "department_staff", "department_head")


def _intake() -> Intake:
    return current_app.extensions["intake"]


@letters.route("", methods=["POST"])
@require(*WRITERS)
@letters.arguments(schemas.LetterIn(), example=schemas.LETTER_EXAMPLE)
@letters.response(201, schemas.RegisteredOut, example=schemas.REGISTERED_EXAMPLE)
@letters.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                          "schema": {"type": "string", "maxLength": 200},
                          "description": "A retried request with the same key returns the "
                                         "first result and registers nothing new."}])
def register_letter(data: dict[str, Any]) -> Response:
    """Register an incoming or outgoing item and give it its registration number."""
    who = principal()
    if data["direction"] == "incoming" and not who.has_any("registrar", "system"):
        raise Problem(403, "Forbidden", "Only the registry and department systems register "
                                        "incoming correspondence.")
    command = RegisterLetter(
        direction=data["direction"], kind=data["kind"], language=data["language"],
        subject=data["subject"], correspondent=data["sender"] or data["recipient"],
        channel=data["channel"], summary=data["summary"], addressee=data["addressee"],
        confidentiality=data["confidentiality"], received_at=data["received_at"],
        in_reply_to=data["in_reply_to"])

    def respond(registered: RegisteredLetter) -> StoredResponse:
        body = _letter_body(registered.letter, [], [], registered.access_code)
        return StoredResponse(201, body, {"Location": f"/letters/{registered.letter.id}"})

    return stored_response(_intake().register(
        command, who, g.correlation_id, idempotent_request(f"{who.subject}:POST /letters"),
        respond))


def _letter_body(letter: Any, replies: list, attachments: list,
                 access_code: str | None = None) -> dict[str, Any]:
    body = LETTER_OUT.dump(letter)
    body["replies"] = LETTER_REFS.dump(replies)
    body["attachments"] = ATTACHMENTS_OUT.dump(attachments)
    if access_code is not None:
        body["status_lookup_code"] = access_code
    return body


@letters.route("", methods=["GET"])
@require(*READERS)
@letters.arguments(schemas.LetterQuery(), location="query", unknown=RAISE)
@letters.response(200, schemas.LetterPage)
def list_letters(query: dict[str, Any]) -> Any:
    """Search the protocol book (subject text is case- and diacritics-insensitive)."""
    return _intake().search(LetterFilters(**query), principal())


@correspondents.route("", methods=["GET"])
@require(*REGISTRY)
@correspondents.arguments(schemas.CorrespondentQuery(), location="query", unknown=RAISE)
@correspondents.response(200, schemas.CorrespondentOut(many=True))
def suggest_correspondents(query: dict[str, Any]) -> Any:
    """Earlier senders whose name contains ``q``, for the registry's suggestions (audited)."""
    return _intake().correspondents(query["text"], query["limit"], principal())


@letters.route("/<uuid:letter_id>", methods=["GET"])
@versioned_read
@personal_data("letter", "letter_id")
@require(*READERS)
@letters.response(200, schemas.LetterDetailOut)
def read_letter(letter_id: Any) -> Response:
    """A letter with its correspondent, replies and attachments (the read is audited)."""
    letter, replies, attachments = _intake().read(str(letter_id), principal())
    return _detail_response(letter, replies, attachments)


@letters.route("/by-number/<string:registration_number>", methods=["GET"])
@versioned_read
@require(*READERS)
@letters.response(200, schemas.LetterDetailOut)
def read_letter_by_number(registration_number: str) -> Response:
    """A letter found by its registration number, as ``GET /letters/{id}`` (audited too)."""
    letter, replies, attachments = _intake().read_by_number(registration_number, principal())
    return _detail_response(letter, replies, attachments)


def _detail_response(letter: Any, replies: list, attachments: list) -> Response:
    return versioned_json(_letter_body(letter, replies, attachments), letter.version)


def _with_etag(letter: Any) -> Response:
    return versioned_json(LETTER_SUMMARY.dump(letter), letter.version)


def _expected_version() -> int | None:
    return expected_version(request.headers.get("If-Match"))


@letters.route("/<uuid:letter_id>/access-code", methods=["POST"])
@require(*REGISTRY)
@letters.response(201, schemas.AccessCodeOut)
@letters.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                          "schema": {"type": "string", "maxLength": 200},
                          "description": "A retried request with the same key returns the "
                                         "same code and issues no other."}])
def reissue_access_code(letter_id: Any) -> Response:
    """Give the letter a new status-lookup code (the old one stops working; audited).

    The code is in this answer only; notifications sends it to the letter's
    sender the way the acknowledgement went.
    """
    who = principal()

    def respond(issued: IssuedCode) -> StoredResponse:
        return StoredResponse(201, {"letter_id": issued.letter_id,
                                    "registration_number": issued.registration_number,
                                    "status_lookup_code": issued.access_code})

    return stored_response(_intake().reissue_access_code(
        str(letter_id), who, g.correlation_id,
        idempotent_request(f"{who.subject}:POST /letters/{letter_id}/access-code"), respond))


@letters.route("/<uuid:letter_id>/void", methods=["POST"])
@require(*REGISTRY)
@letters.arguments(schemas.ReasonIn())
@letters.response(200, schemas.LetterSummary)
def void_letter(data: dict[str, Any], letter_id: Any) -> Response:
    """Void a registration made by mistake; the number stays recorded as voided."""
    return _with_etag(_intake().void(str(letter_id), data["reason"], principal(),
                                     g.correlation_id, _expected_version()))


@letters.route("/<uuid:letter_id>/not-ours", methods=["POST"])
@require(*REGISTRY)
@letters.arguments(schemas.NotOursIn())
@letters.response(200, schemas.LetterSummary)
def weed_out_letter(data: dict[str, Any], letter_id: Any) -> Response:
    """Weed out a letter that is not the municipality's business, with the reason."""
    return _with_etag(_intake().weed_out(str(letter_id), data["reason"], data["forwarded_to"],
                                         principal(), g.correlation_id, _expected_version()))


@letters.route("/<uuid:letter_id>/archive", methods=["POST"])
@require(*REGISTRY)
@letters.arguments(schemas.ArchiveIn())
@letters.response(200, schemas.LetterSummary)
def archive_letter(data: dict[str, Any], letter_id: Any) -> Response:
    """Hand a finished letter to the archive under a file reference."""
    return _with_etag(_intake().archive(str(letter_id), data["file_reference"], principal(),
                                        g.correlation_id, _expected_version()))


@letters.route("/<uuid:letter_id>/attachments", methods=["POST"])
@require(*WRITERS)
@letters.response(201, schemas.AttachmentOut)
@letters.doc(requestBody={"content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
    "required": ["file"]}}}})
@accepts("multipart/form-data")
def upload_attachment(letter_id: Any) -> Any:
    """Attach a scan (PDF, PNG, JPEG, TIFF or UTF-8 text; the type is read from the content)."""
    # The app-wide request limit is for JSON; an upload may be as large as an attachment.
    settings = current_app.extensions["chancery.settings"]
    request.max_content_length = settings.max_attachment_bytes + 64 * 1024
    upload = request.files.get("file")
    if upload is None:
        raise Problem(422, "Invalid request", "Send the file in the form field 'file'.",
                      [field_error("file", "missing", "files")])
    return _intake().attach(str(letter_id), upload.filename or "attachment", upload.stream,
                            principal())


@letters.route("/<uuid:letter_id>/attachments/<uuid:attachment_id>", methods=["GET"])
@versioned_read
@personal_data("attachment", "attachment_id")
@require(*READERS)
@letters.doc(**file_responses("The file, as a download, of the type its content was "
                                "recognised as.", *EXTENSIONS))
def download_attachment(letter_id: Any, attachment_id: Any) -> Response:
    """Download an attachment (the download is audited)."""
    attachment, path = _intake().attachment(str(letter_id), str(attachment_id), principal())
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=named_for_type(attachment.filename,
                                                      attachment.media_type),
                         etag=attachment.sha256)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@reports.route("/protocol-book", methods=["GET"])
@personal_data("letter")
@require("registrar", "mayor_office")
@reports.arguments(schemas.ExportQuery(), location="query", unknown=RAISE)
@reports.doc(responses={"200": {"description": "CSV, UTF-8 with a header line",
                                "content": {"text/csv": {}}}})
def export_protocol_book(query: dict[str, Any]) -> Response:
    """The protocol book for a period as CSV, narrowed like a search (the export is audited)."""
    start, end = query.pop("start"), query.pop("end")
    lines = _intake().protocol_book_csv(start, end, principal(), LetterFilters(**query))
    filename = f"protocol-book-{start}-{end}.csv"
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@reports.route("/statistics", methods=["GET"])
@require("registrar", "mayor_office", "department_head")
@reports.arguments(schemas.StatisticsQuery(), location="query", unknown=RAISE)
@reports.response(200, schemas.StatisticsOut)
def statistics(query: dict[str, Any]) -> dict[str, Any]:
    """Incoming letters counted by kind, addressee, status and channel per week or month."""
    periods = _intake().statistics(query["start"], query["end"], query["group"], principal())
    return {"group": query["group"], "periods": periods}


@citizens.route("/<string:registration_number>", methods=["GET"])
@citizens.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@citizens.response(200, schemas.CitizenStatusOut)
@may_answer(429)
def citizen_status(query: dict[str, Any], registration_number: str) -> Any:
    """Status and dates of a letter, for whoever holds its number and access code.

    A client that sent too many wrong codes (for this number, or for any) is
    answered 429 for a while; an unknown number is answered like a wrong code.
    """
    return _intake().citizen_status(registration_number, query["code"],
                                    request.remote_addr or "unknown")


@municipality.route("", methods=["GET"])
@municipality.doc(responses={"200": {
    "description": "Its code, names, country, languages, time zone, registers and departments.",
    "content": {"application/json": {"schema": {"type": "object"}}}}})
def describe_municipality() -> dict[str, Any]:
    """The municipality this deployment serves: languages, registers, departments."""
    profile = _intake().profile
    return {
        "code": profile.code, "name": profile.names, "country": profile.country,
        "languages": list(profile.languages), "time_zone": profile.time_zone,
        "registers": [{"code": r.code, "direction": r.direction, "name": r.names,
                       "kinds": list(r.kinds)} for r in profile.registers],
        "departments": [{"code": d.code, "kind": d.kind, "name": d.names, "parent": d.parent}
                        for d in profile.departments],
    }


BLUEPRINTS = (letters, reports, citizens, correspondents, municipality)
