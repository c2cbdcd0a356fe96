"""The protocol book: search, filters, paging, and the CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import format_datetime, gettext

from chancery.vocabulary import ADDRESSEE_KINDS, LETTER_KINDS, LETTER_STATUSES, OUTGOING_KINDS
from staff_web.api_client import ApiError
from staff_web.exports import csv_bytes, xlsx_bytes
from staff_web.security import api, signed_in

blueprint = Blueprint("protocol_book", __name__, url_prefix="/book")
READERS = ("registrar", "mayor_office", "operator", "department_staff", "department_head")
EXPORTERS = ("registrar", "mayor_office")
PAGE_SIZE = 25
FILTERS = ("q", "register", "direction", "kind", "status", "department", "addressee", "from",
           "to")
EXPORT_PAGE = 200


def _filters() -> dict[str, str]:
    return {name: request.args.get(name, "").strip() for name in FILTERS
            if request.args.get(name, "").strip()}


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@blueprint.get("")
@signed_in(*READERS)
def book() -> Any:
    """The list; htmx asks for the results table alone while the clerk types."""
    filters, page = _filters(), _page_number()
    errors: dict[str, list[str]] = {}
    try:
        result = api().get("intake", "/letters", {**filters, "limit": PAGE_SIZE,
                                                  "offset": (page - 1) * PAGE_SIZE})
    except ApiError as error:
        if error.status != 422:
            raise
        errors, result = error.field_errors, {"items": [], "total": 0}
    pages = max(1, -(-result["total"] // PAGE_SIZE))
    template = "book/results.html" if request.headers.get("HX-Request") else "book/book.html"
    profile = current_app.extensions["staff_web.profile"]
    return render_template(
        template, result=result, filters=filters, page=page, pages=pages, errors=errors,
        registers=profile.registers, departments=profile.departments,
        kinds=sorted(set(LETTER_KINDS + OUTGOING_KINDS)), statuses=LETTER_STATUSES,
        addressee_kinds=ADDRESSEE_KINDS)


def _all_rows(filters: dict[str, str]) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = api().get("intake", "/letters", {**filters, "limit": EXPORT_PAGE,
                                                "offset": offset})
        yield from page["items"]
        offset += EXPORT_PAGE
        if offset >= page["total"]:
            return


def _header() -> list[str]:
    return [gettext("Registration number"), gettext("Registered"), gettext("Direction"),
            gettext("Kind"), gettext("Channel"), gettext("Language"), gettext("Subject"),
            gettext("Addressee"), gettext("Department"), gettext("Status"), gettext("Due date"),
            gettext("Confidentiality")]


def _row(item: dict[str, Any]) -> list[str]:
    registered = format_datetime(datetime.fromisoformat(item["registered_at"]), "short")
    return [item["registration_number"], registered, item["direction"], item["kind"],
            item.get("channel") or "", item["language"], item["subject"],
            item.get("addressee_kind") or "", item.get("department_code") or "",
            item["status"], item.get("due_date") or "", item["confidentiality"]]


def _download(content: bytes, mimetype: str, extension: str) -> Response:
    name = f"protocol-book-{date.today().isoformat()}.{extension}"
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blueprint.get("/export.csv")
@signed_in(*EXPORTERS)
def export_csv() -> Response:
    """The filtered book as CSV, UTF-8 with a byte-order mark."""
    rows = [_row(item) for item in _all_rows(_filters())]
    return _download(csv_bytes(_header(), rows), "text/csv; charset=utf-8", "csv")


@blueprint.get("/export.xlsx")
@signed_in(*EXPORTERS)
def export_xlsx() -> Response:
    """The filtered book as an XLSX workbook."""
    rows = [_row(item) for item in _all_rows(_filters())]
    return _download(xlsx_bytes(gettext("Protocol book"), _header(), rows),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
