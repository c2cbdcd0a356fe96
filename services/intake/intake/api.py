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
from chancery.http.paging import page_request, page_response, paged_response
from chancery.http.problems import Problem, field_error
from chancery.http.security import principal, require
from chancery.idempotency import StoredResponse
from chancery.paging import Page
from chancery.vocabulary import ENDORSER_ROLES
from intake import schemas
from intake.destruction import Destruction
from intake.domain import EXTENSIONS, named_for_type
from intake.inventory import inventory_csv, inventory_page
from intake.records import FilePlans
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
transfers = Blueprint("archive-transfers", __name__, url_prefix="/archive-transfers",
                      description="Inventories of a closed year's permanent and long-term "
                                  "files handed to the archive.")
destruction_acts = Blueprint(
    "destruction-acts", __name__, url_prefix="/destruction-acts",
    description="Acts destroying the contents of expired temporary files' letters; "
                "their registration numbers stay.")
file_plans = Blueprint("file-plan", __name__, url_prefix="/file-plan",
                       description="The file plan (nomenclature): each year's case files, "
                                   "their retention and the year-end closing.")

LETTER_OUT = schemas.LetterOut()
LETTER_SUMMARY = schemas.LetterSummary()
LETTER_REFS = schemas.LetterRef(many=True)
ATTACHMENTS_OUT = schemas.AttachmentOut(many=True)
FILED_OUT = schemas.FiledOut()
REGISTRY = ("registrar",)
READERS = ("registrar", "mayor_office", "operator", "department_staff", "department_head",
           "system")
WRITERS = ("registrar", "system", "department_staff", "department_head")
# One letter (and its scans) is also read by the approver its reply's circuit waits for;
# the service decides whether that is the case (decision 0044).
LETTER_READERS = tuple(dict.fromkeys((*READERS, *ENDORSER_ROLES)))


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
        in_reply_to=data["in_reply_to"], file_reference=data["file_reference"])

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
@paged_response(letters, schemas.LetterHit)
def list_letters(query: dict[str, Any]) -> Any:
    """Search the protocol book (subject text is case- and diacritics-insensitive)."""
    asked = page_request(query)
    return page_response(_intake().search(LetterFilters(**query), principal(), asked), asked)


@correspondents.route("", methods=["GET"])
@require(*REGISTRY)
@correspondents.arguments(schemas.CorrespondentQuery(), location="query", unknown=RAISE)
@paged_response(correspondents, schemas.CorrespondentOut)
def suggest_correspondents(query: dict[str, Any]) -> Any:
    """Earlier senders whose name contains ``q``, for the registry's suggestions (audited).

    The best ``limit`` matches in one page: suggestions have no next page.
    """
    asked = page_request(query)
    found = _intake().correspondents(query["text"], asked.limit, principal())
    return page_response(Page(found, next_key=None), asked)


@letters.route("/<uuid:letter_id>", methods=["GET"])
@versioned_read
@personal_data("letter", "letter_id")
@require(*LETTER_READERS)
@letters.response(200, schemas.LetterDetailOut)
def read_letter(letter_id: Any) -> Response:
    """A letter with its correspondent, replies and attachments (the read is audited)."""
    letter, replies, attachments = _intake().read(str(letter_id), principal())
    return _detail_response(letter, replies, attachments)


@letters.route("/by-number/<string:registration_number>", methods=["GET"])
@versioned_read
@require(*LETTER_READERS)
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


@letters.route("/<uuid:letter_id>/file", methods=["PUT"])
@require(*WRITERS)
@letters.arguments(schemas.FileIn())
@letters.response(200, schemas.FiledOut)
def file_letter(data: dict[str, Any], letter_id: Any) -> Response:
    """Move the letter to another open case file of its year (registry or its department)."""
    letter = _intake().file(str(letter_id), data["file_reference"], principal(),
                            _expected_version())
    return versioned_json(FILED_OUT.dump(letter), letter.version)


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
@require(*LETTER_READERS)
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


def _file_plans() -> FilePlans:
    return current_app.extensions["file_plans"]


def _plan_year(year: int) -> int:
    if not 2000 <= year <= 2999:
        raise Problem(404, "Not Found", f"No file plan for {year}.")
    return year


def _plan_body(year: int, summaries: list) -> dict[str, Any]:
    return {"year": year, "files": summaries}


@file_plans.route("/<int(min=1, max=9999):year>", methods=["GET"])
@require(*READERS)
@file_plans.response(200, schemas.FilePlanOut)
def read_file_plan(year: int) -> dict[str, Any]:
    """The year's case files in code order, with the letters filed in each counted."""
    return _plan_body(year, _file_plans().plan(_plan_year(year)))


@file_plans.route("/<int(min=1, max=9999):year>", methods=["PUT"])
@require(*REGISTRY)
@file_plans.response(200, schemas.FilePlanOut)
@file_plans.doc(requestBody={"required": True, "content": {"text/csv": {"schema": {
    "type": "string", "description": "UTF-8, header code,parent,title,department,retention,"
                                     "legal_basis,medium,kinds"}}}})
@accepts("text/csv")
def import_file_plan(year: int) -> dict[str, Any]:
    """Replace the year's plan with a CSV one (while no letter is filed in it)."""
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(422, "Invalid request", "Send the plan as UTF-8 CSV.",
                      [field_error("body", "not UTF-8", "body")]) from None
    return _plan_body(year, _file_plans().import_plan(_plan_year(year), text))


@file_plans.route("/<int(min=1, max=9999):year>/shipped", methods=["POST"])
@require(*REGISTRY)
@file_plans.response(200, schemas.FilePlanOut)
def import_shipped_file_plan(year: int) -> dict[str, Any]:
    """Take the plan shipped with the municipality's profile as the year's plan."""
    return _plan_body(year, _file_plans().import_shipped_plan(_plan_year(year)))


@file_plans.route("/<int(min=1, max=9999):year>/close", methods=["POST"])
@require(*REGISTRY)
@file_plans.response(200, schemas.YearClosedOut)
def close_file_plan_year(year: int) -> Any:
    """The year-end closing: the year's files take no more letters; retention starts on
    1 January of the next year. Allowed once the year is over."""
    return _file_plans().close_year(_plan_year(year))


@transfers.route("/<int(min=1, max=9999):year>", methods=["POST"])
@require(*REGISTRY)
@transfers.response(200, schemas.ArchiveTransferOut)
def draft_archive_transfer(year: int) -> Any:
    """Draw up (or redraw while a draft) the inventory of the closed year's permanent and
    long-term files: codes, titles, retention, letters and their first and last days."""
    return _file_plans().draft_transfer(_plan_year(year), principal())


@transfers.route("/<int(min=1, max=9999):year>", methods=["GET"])
@require(*REGISTRY, "mayor_office")
@transfers.response(200, schemas.ArchiveTransferOut)
def read_archive_transfer(year: int) -> Any:
    """The year's inventory and who drew it up, approved and transferred it."""
    return _file_plans().transfer(_plan_year(year))


@transfers.route("/<int(min=1, max=9999):year>/inventory.csv", methods=["GET"])
@require(*REGISTRY, "mayor_office")
@transfers.doc(responses={"200": {"description": "CSV, UTF-8 with a header line",
                                  "content": {"text/csv": {}}}})
def export_archive_transfer(year: int) -> Response:
    """The inventory as CSV, one line per file."""
    transfer = _file_plans().transfer(_plan_year(year))
    return Response(inventory_csv(transfer), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="archive-transfer-{year}.csv"'})


@transfers.route("/<int(min=1, max=9999):year>/inventory.html", methods=["GET"])
@require(*REGISTRY, "mayor_office")
@transfers.doc(responses={"200": {"description": "a printable page in the municipality's "
                                                 "language", "content": {"text/html": {}}}})
def print_archive_transfer(year: int) -> Response:
    """The inventory as a printable page, with who drew it up, approved and transferred it."""
    plans = _file_plans()
    profile = plans.profile
    language = profile.languages[0]
    page = inventory_page(plans.transfer(_plan_year(year)), language,
                          profile.names.get(language) or next(iter(profile.names.values())))
    return Response(page, mimetype="text/html")


@transfers.route("/<int(min=1, max=9999):year>/approve", methods=["POST"])
@require("mayor_office")
@transfers.response(200, schemas.ArchiveTransferOut)
def approve_archive_transfer(year: int) -> Any:
    """Approve the drafted inventory (the mayor's office; not whoever drew it up)."""
    return _file_plans().approve_transfer(_plan_year(year), principal())


@transfers.route("/<int(min=1, max=9999):year>/transferred", methods=["POST"])
@require(*REGISTRY)
@transfers.response(200, schemas.ArchiveTransferOut)
def mark_archive_transfer_done(year: int) -> Any:
    """Record that the approved inventory's files were handed to the archive."""
    return _file_plans().mark_transferred(_plan_year(year), principal())


def _destruction() -> Destruction:
    return current_app.extensions["destruction"]


@destruction_acts.route("", methods=["POST"])
@require(*REGISTRY)
@destruction_acts.arguments(schemas.DestructionIn())
@destruction_acts.response(201, schemas.DestructionActOut)
def draft_destruction_act(data: dict[str, Any]) -> Any:
    """Draw up an act listing the closed temporary files whose retention ended by ``as_of``."""
    return _destruction().draft(data["as_of"], principal())


@destruction_acts.route("/<int(min=1, max=2147483647):number>", methods=["GET"])
@require(*REGISTRY, "data_protection_officer")
@destruction_acts.response(200, schemas.DestructionActOut)
def read_destruction_act(number: int) -> Any:
    """An act with its files, approvals and execution."""
    return _destruction().act(number)


@destruction_acts.route("/<int(min=1, max=2147483647):number>/approve", methods=["POST"])
@require(*REGISTRY, "data_protection_officer")
@destruction_acts.arguments(schemas.ApprovalIn())
@destruction_acts.response(200, schemas.DestructionActOut)
def approve_destruction_act(data: dict[str, Any], number: int) -> Any:
    """Approve the act in a role one holds (the registry, then the data protection officer,
    two different people); approved in both it can be executed."""
    return _destruction().approve(number, data["role"], principal())


@destruction_acts.route("/<int(min=1, max=2147483647):number>/execute", methods=["POST"])
@require(*REGISTRY)
@destruction_acts.response(200, schemas.DestructionActOut)
def execute_destruction_act(number: int) -> Any:
    """Destroy the listed letters' scans and personal data here and, by
    ``destruction.executed``, in routing and notifications; the numbers stay (audited)."""
    return _destruction().execute(number, principal(), g.correlation_id)


BLUEPRINTS = (letters, reports, citizens, correspondents, municipality, file_plans, transfers,
              destruction_acts)
