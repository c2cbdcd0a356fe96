"""The protocol book: search, filters, cursor paging, and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from chancery.vocabulary import ADDRESSEE_KINDS, LETTER_KINDS, LETTER_STATUSES, OUTGOING_KINDS
from staff_web import municipality
from staff_web.api_client import ApiError
from staff_web.exports import csv_bytes, download, xlsx_bytes
from staff_web.permissions import BOOK_EXPORTERS, BOOK_READERS
from staff_web.security import api, signed_in
from staff_web.vocabulary_labels import label

blueprint = Blueprint("protocol_book", __name__, url_prefix="/book")
PAGE_SIZE = 25
FILTERS = ("q", "register", "direction", "kind", "status", "department", "addressee", "from", "to")


def _filters() -> dict[str, str]:
    return {
        name: request.args.get(name, "").strip()
        for name in FILTERS
        if request.args.get(name, "").strip()
    }


@blueprint.get("")
@signed_in(*BOOK_READERS)
def book() -> Any:
    """The list; htmx asks for the results table alone while the clerk types.

    Pages follow intake's cursor: "next page" carries it, "first page" drops it; the
    filters stay in both links.
    """
    filters, cursor = _filters(), request.args.get("cursor", "").strip() or None
    errors: dict[str, list[str]] = {}
    try:
        result = api().get(
            "intake",
            "/letters",
            {**filters, "limit": PAGE_SIZE, "with_total": "true", "cursor": cursor},
        )
    except ApiError as error:
        if error.status != 422:
            raise
        errors, result = error.field_errors, {"items": [], "total": 0, "next_cursor": None}
    template = "book/results.html" if request.headers.get("HX-Request") else "book/book.html"
    profile = municipality.profile()
    return render_template(
        template,
        result=result,
        filters=filters,
        cursor=cursor,
        errors=errors,
        registers=profile.registers,
        departments=profile.departments,
        kinds=sorted(set(LETTER_KINDS + OUTGOING_KINDS)),
        statuses=LETTER_STATUSES,
        addressee_kinds=ADDRESSEE_KINDS,
    )


# intake's export columns: the person's heading, and the vocabulary group of the values.
COLUMNS = {
    "registration_number": (_("Registration number"), None),
    "register": (_("Register"), None),
    "direction": (_("Direction"), "direction"),
    "registered_at": (_("Registered"), None),
    "received_at": (_("Received"), None),
    "kind": (_("Kind"), "kind"),
    "channel": (_("Channel"), "channel"),
    "language": (_("Language"), None),
    "correspondent": (_("Correspondent"), None),
    "organisation": (_("Organisation"), None),
    "addressee": (_("Addressee"), "addressee"),
    "subject": (_("Subject"), None),
    "department": (_("Department"), None),
    "status": (_("Status"), "status"),
    "due_date": (_("Due date"), None),
    "answered_at": (_("Answered"), None),
    "confidentiality": (_("Confidentiality"), "confidentiality"),
    "in_reply_to": (_("In reply to"), None),
    "forwarded_to": (_("Forwarded to"), None),
    "file_reference": (_("File reference"), None),
}


def _export() -> tuple[list[str], list[list[str]]]:
    """intake's audited export of the filtered book, headings and values in the person's words.

    Without a period it covers the current year up to today (municipality's time zone).
    """
    filters = _filters()
    today = municipality.today()
    filters.setdefault("from", today.replace(month=1, day=1).isoformat())
    filters.setdefault("to", today.isoformat())
    text = api().get_text("intake", "/protocol-book", filters)
    reader = csv.reader(io.StringIO(text))
    names = next(reader, [])
    header = [str(COLUMNS[name][0]) if name in COLUMNS else name for name in names]
    groups = [COLUMNS.get(name, (None, None))[1] for name in names]
    rows = [
        [
            label(group, value) if group and value else value
            for group, value in zip(groups, row, strict=True)
        ]
        for row in reader
    ]
    return header, rows


def _download(content: bytes, mimetype: str, extension: str) -> Response:
    return download(
        content, mimetype, f"protocol-book-{municipality.today().isoformat()}.{extension}"
    )


@blueprint.get("/export.csv")
@signed_in(*BOOK_EXPORTERS)
def export_csv() -> Response:
    """The filtered book as CSV, UTF-8 with a byte-order mark."""
    header, rows = _export()
    return _download(csv_bytes(header, rows), "text/csv; charset=utf-8", "csv")


@blueprint.get("/export.xlsx")
@signed_in(*BOOK_EXPORTERS)
def export_xlsx() -> Response:
    """The filtered book as an XLSX workbook."""
    header, rows = _export()
    return _download(
        xlsx_bytes(gettext("Protocol book"), header, rows),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )
