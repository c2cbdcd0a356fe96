"""A letter's attachments (on the letters blueprint): upload a scan, download it."""

from __future__ import annotations

from uuid import UUID

from flask import Response, current_app, request, send_file

from chancery.http import accepts, use_case
from chancery.http.auditing import personal_data
from chancery.http.openapi import file_responses, versioned_read
from chancery.http.problems import validation_problem
from chancery.http.security import principal, require
from intake.adapters.models import Attachment
from intake.domain.scans import EXTENSIONS, named_for_type
from intake.http.letters import letters
from intake.http.schemas import letters as letters_schemas
from intake.permissions import LETTER_READERS, WRITERS
from intake.usecases.attachments import Attachments

_attachments = use_case("attachments", Attachments)


@letters.blueprint.route("/<uuid:letter_id>/attachments", methods=["POST"])
@require(*WRITERS)
@letters.blueprint.response(201, letters_schemas.AttachmentOut)
@letters.blueprint.doc(
    requestBody={
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        }
    }
)
@accepts("multipart/form-data")
def upload_attachment(letter_id: UUID) -> Attachment:
    """Attach a scan (PDF, PNG, JPEG, TIFF or UTF-8 text; the type is read from the content)."""
    # The app-wide request limit is for JSON; an upload may be as large as an attachment.
    settings = current_app.extensions["chancery.settings"]
    request.max_content_length = settings.max_attachment_bytes + 64 * 1024
    upload = request.files.get("file")
    if upload is None:
        raise validation_problem(
            {"file": "missing"}, "files", "Send the file in the form field 'file'."
        )
    return _attachments().attach(
        str(letter_id), upload.filename or "attachment", upload.stream, principal()
    )


@letters.blueprint.route("/<uuid:letter_id>/attachments/<uuid:attachment_id>", methods=["GET"])
@versioned_read
@personal_data("attachment", "attachment_id")
@require(*LETTER_READERS)
@letters.blueprint.doc(
    **file_responses(
        "The file, as a download, of the type its content was recognised as.", *EXTENSIONS
    )
)
def download_attachment(letter_id: UUID, attachment_id: UUID) -> Response:
    """Download an attachment (the download is audited)."""
    attachment, file = _attachments().attachment(str(letter_id), str(attachment_id), principal())
    # Streamed from the store as it is sent; the recorded size is its length (the store's
    # stream may not tell it, as a bucket's object read does not).
    response = send_file(
        file,
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=named_for_type(attachment.filename, attachment.media_type),
        etag=attachment.sha256,
    )
    if response.status_code == 200:
        response.content_length = attachment.size
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
