"""A letter's page, addressed by its registration number, and the registry's actions on it."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from staff_web.api_client import CORRESPONDENT_FIELDS, ApiError, answer_or_refusal, if_match
from staff_web.i18n import field_reasons, reason_text
from staff_web.permissions import LETTER_READERS, REGISTRY, WRITERS
from staff_web.records_tree import fileable
from staff_web.security import api, holds_any, signed_in
from staff_web.views import page

blueprint = Blueprint("letters", __name__, url_prefix="/letters")
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")
ACTIONS = {
    "void": ("reason",),
    "not-ours": ("reason", "forwarded_to"),
    "archive": ("file_reference",),
}


def _letter(number: str) -> dict[str, Any]:
    return api().get("intake", f"/letters/by-number/{number}")


def _workflow(letter_id: str) -> dict[str, Any] | None:
    """Routing's view (deadline, history); none yet when routing has not seen the letter."""
    try:
        return api().get("routing", f"/letters/{letter_id}")
    except ApiError as error:
        if error.status in (403, 404):
            return None
        raise


def _timeline(letter: dict[str, Any], workflow: dict[str, Any] | None) -> list[dict[str, Any]]:
    events = [{"at": letter["registered_at"], "action": "registered", "actor": None, "details": {}}]
    if workflow:
        events += workflow.get("history") or []
    return sorted(events, key=lambda event: event["at"])


def _case_files(year: int) -> list[dict[str, Any]]:
    """The open case files of the letter's year to choose from (none: the year has no plan)."""
    try:
        return fileable(api().get("intake", f"/file-plan/{year}")["files"])
    except ApiError as error:
        if error.status in (403, 404):
            return []
        raise


@page(blueprint, "/<string:number>", *LETTER_READERS, endpoint="letter")
def _page(
    number: str, errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    """Everything about the letter on one page."""
    letter = _letter(number)
    workflow = _workflow(letter["id"])
    return render_template(
        "letters/letter.html",
        letter=letter,
        workflow=workflow,
        timeline=_timeline(letter, workflow),
        errors=errors or {},
        # The registration year, in the municipality's offset as intake writes its times.
        case_files=_case_files(int(letter["registered_at"][:4])),
        may_file=holds_any(*WRITERS),
        may_act=holds_any(*REGISTRY),
        may_reply=holds_any(*WRITERS)
        and letter["direction"] == "incoming"
        and bool(letter.get("sender")),
        idempotency_key=str(uuid.uuid4()),
        inline_types=INLINE_TYPES,
    ), status


@blueprint.post("/<string:number>/<any(void, 'not-ours', archive):action>")
@signed_in(*REGISTRY)
def act(number: str, action: str) -> Any:
    """Void, weed out (and forward) or archive, guarded by the version the clerk saw."""
    letter = _letter(number)
    body = {name: (request.form.get(name) or "").strip() or None for name in ACTIONS[action]}
    headers = if_match(request.form.get("version", ""))
    refusal = answer_or_refusal(
        (409, 412, 422),
        lambda: api().post("intake", f"/letters/{letter['id']}/{action}", body, headers=headers),
    )
    if isinstance(refusal, ApiError):
        return _page(number, field_reasons(refusal, f"{action}."), status=refusal.status)
    return redirect(url_for("letters.letter", number=number))


@blueprint.post("/<string:number>/file")
@signed_in(*WRITERS)
def file_letter(number: str) -> Any:
    """Move the letter to another open case file of its year's plan."""
    letter = _letter(number)
    headers = if_match(request.form.get("version", ""))
    refusal = answer_or_refusal(
        (403, 409, 412, 422),
        lambda: api().put(
            "intake",
            f"/letters/{letter['id']}/file",
            {"file_reference": request.form.get("file_reference") or None},
            headers=headers,
        ),
    )
    if isinstance(refusal, ApiError):
        return _page(number, field_reasons(refusal, "file."), status=refusal.status)
    return redirect(url_for("letters.letter", number=number))


@blueprint.post("/<string:number>/reply")
@signed_in(*WRITERS)
def register_reply(number: str) -> Any:
    """Register the outgoing reply to this letter, addressed to its sender."""
    letter = _letter(number)
    body = {
        "direction": "outgoing",
        "kind": "reply",
        "in_reply_to": number,
        "language": request.form.get("reply_language") or letter["language"],
        "subject": (request.form.get("reply_subject") or "").strip(),
        "recipient": _recipient(letter.get("sender")),
    }
    reply = answer_or_refusal(
        (409, 422),
        lambda: api().post(
            "intake",
            "/letters",
            body,
            headers={"Idempotency-Key": request.form.get("idempotency_key") or str(uuid.uuid4())},
        ),
    )
    if isinstance(reply, ApiError):
        return _page(number, field_reasons(reply, "reply."), status=reply.status)
    return redirect(url_for("letters.letter", number=reply["registration_number"]))


def _recipient(sender: dict[str, Any] | None) -> dict[str, Any] | None:
    if not sender:
        return None
    return {key: sender.get(key) for key in CORRESPONDENT_FIELDS}


@blueprint.post("/<string:number>/scans")
@signed_in(*WRITERS)
def add_scans(number: str) -> Any:
    """Attach more scans."""
    letter = _letter(number)
    files = [
        (f.filename, f.stream, f.mimetype or "application/octet-stream")
        for f in request.files.getlist("scans")
        if f and f.filename
    ]
    if not files:
        return _page(
            number, {"scans._schema": [reason_text("Missing data for required field.")]}, status=422
        )
    refusal = answer_or_refusal(
        (409, 413, 415, 422),
        lambda: api().upload("intake", f"/letters/{letter['id']}/attachments", files),
    )
    if isinstance(refusal, ApiError):
        return _page(
            number, {"scans._schema": [refusal.detail or refusal.title]}, status=refusal.status
        )
    return redirect(url_for("letters.letter", number=number))


@blueprint.get("/<string:number>/scans/<uuid:attachment_id>")
@signed_in(*LETTER_READERS)
def scan(number: str, attachment_id: Any) -> Response:
    """A scan, shown inline for PDF and images (intake audits the download)."""
    letter = _letter(number)
    found = next((a for a in letter["attachments"] if a["id"] == str(attachment_id)), None)
    if found is None:
        abort(404)
    upstream = api().get_response("intake", f"/letters/{letter['id']}/attachments/{attachment_id}")
    inline = found["media_type"] in INLINE_TYPES
    disposition = "inline" if inline else "attachment"
    response = Response(upstream.iter_content(64 * 1024), mimetype=found["media_type"])
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(found['filename'], safe='')}"
    )
    # Shown inside this letter's page, never run as a page of its own.
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
