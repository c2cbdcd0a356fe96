"""The audit trail over HTTP, the same in every service.

Views that read personal data are marked with :func:`personal_data`; when
such a read is refused (403) the refusal is recorded: who, which object,
outcome ``refused`` (allowed reads are recorded by the use case, which knows
the objects and their data subjects). :data:`audit_api` lets the data
protection officer read and export the trail (``GET /audit``,
``GET /audit.csv``), filtered by data subject, object, actor and period;
those reads, and anybody else's refused attempts, are audited too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from chancery.audit import ENTRY_COLUMNS, REFUSED, AuditQuery, search_audit
from chancery.audited import record_access_in
from chancery.db import UnitOfWork
from chancery.http.paging import PageQuery, page_request, page_response, paged_response
from chancery.http.security import principal, require
from chancery.http.times import LocalDateTime
from chancery.paging import Page, PageRequest
from chancery.principal import Principal

View = TypeVar("View", bound=Callable[..., Any])
AUDITED_ATTRIBUTE = "_chancery_personal_data"
TRAIL_EXTENSION = "chancery.audit_trail"
DPO = "data_protection_officer"
# The exported trail: each entry, the data subjects an export listed, and the chain's links.
COLUMNS = (*ENTRY_COLUMNS, "subjects", "subjects_hash", "prev_hash", "row_hash")


def personal_data(object_type: str, id_argument: str | None = None) -> Callable[[View], View]:
    """Mark a view as a read of personal data: a refusal (403) of it goes into the audit.

    ``id_argument`` names the URL argument holding the object's id; without
    one (a list) the refused object is recorded as ``*``.
    """

    def mark(view: View) -> View:
        setattr(view, AUDITED_ATTRIBUTE, (object_type, id_argument))
        return view

    return mark


class AuditTrail:
    """A service's audit table as the HTTP layer uses it."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

    def refused(self, who: Principal, action: str, object_type: str, object_id: str) -> None:
        """Record a refused access in its own transaction (the request's rolled back)."""
        with self._uow() as uow:
            record_access_in(uow, who, action, object_type, [object_id], outcome=REFUSED)
            uow.commit()

    def search(
        self, who: Principal, query: AuditQuery, page: PageRequest, action: str
    ) -> Page[dict[str, Any]]:
        """A page of the trail; the officer's own look is recorded (under the person asked for)."""
        with self._uow() as uow:
            found = search_audit(
                uow.session, uow.tables.audit, query, page, uow.tables.audit_subjects
            )
            record_access_in(uow, who, action, "audit_log", ["query"], {"query": query.person})
            uow.commit()
        return found


def record_refused_read(app: Flask, response: Response) -> Response:
    """After a 403 on a :func:`personal_data` view, record who was refused which object."""
    if response.status_code != 403 or request.endpoint is None:
        return response
    marked = getattr(app.view_functions.get(request.endpoint), AUDITED_ATTRIBUTE, None)
    trail = app.extensions.get(TRAIL_EXTENSION)
    who = g.get("principal")
    if marked is None or trail is None or who is None:
        return response
    object_type, id_argument = marked
    object_id = str((request.view_args or {}).get(id_argument, "*")) if id_argument else "*"
    trail.refused(who, "read", object_type, object_id)
    return response


class AuditQuerySchema(PageQuery):
    """The data protection officer's filters."""

    person = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "the data subject: part of an e-mail address or name, any case; "
            "also finds the exports that listed the person"
        },
    )
    object = fields.String(
        validate=validate.Length(min=1, max=100), metadata={"description": "an object's id"}
    )
    object_type = fields.String(validate=validate.Length(min=1, max=50))
    actor = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "who read, as the token's subject"},
    )
    start = fields.AwareDateTime(
        data_key="from",
        default_timezone=UTC,
        metadata={"description": "from this instant (inclusive)"},
    )
    end = fields.AwareDateTime(
        data_key="to",
        default_timezone=UTC,
        metadata={"description": "until this instant (exclusive)"},
    )

    @validates_schema
    def _plausible_period(self, data: dict[str, Any], **_: Any) -> None:
        for name, key in (("start", "from"), ("end", "to")):
            moment = data.get(name)
            if moment is not None and not 2000 <= moment.year <= 2999:
                raise ValidationError("must be between the years 2000 and 2999", key)


class AuditRowOut(Schema):
    """One access: who, when, what, whose data, allowed or refused, and its chain hashes."""

    id = fields.Integer()
    at = LocalDateTime()
    actor = fields.String()
    roles = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String()
    person = fields.String(allow_none=True)
    outcome = fields.String()
    trace_id = fields.String(allow_none=True)
    subjects = fields.Integer(
        allow_none=True,
        metadata={"description": "an export's number of data subjects (sealed with their hash)"},
    )
    subjects_hash = fields.String(allow_none=True)
    prev_hash = fields.String()
    row_hash = fields.String()


audit_api = Blueprint(
    "audit",
    __name__,
    description="The audit trail of this service's personal data, for the data protection officer.",
)


def _query(arguments: dict[str, Any]) -> AuditQuery:
    return AuditQuery(
        person=arguments.get("person"),
        object_id=arguments.get("object"),
        object_type=arguments.get("object_type"),
        actor=arguments.get("actor"),
        start=arguments.get("start"),
        end=arguments.get("end"),
    )


@audit_api.route("/audit", methods=["GET"])
@personal_data("audit_log")
@require(DPO)
@audit_api.arguments(AuditQuerySchema(), location="query", unknown=RAISE)
@paged_response(audit_api, AuditRowOut)
def read_audit(arguments: dict[str, Any]) -> Any:
    """Who read or was refused whose data, oldest first, a page at a time."""
    asked = page_request(arguments)
    return page_response(
        current_app.extensions[TRAIL_EXTENSION].search(
            principal(), _query(arguments), asked, "read"
        ),
        asked,
    )


@audit_api.route("/audit.csv", methods=["GET"])
@personal_data("audit_log")
@require(DPO)
@audit_api.arguments(AuditQuerySchema(), location="query", unknown=RAISE)
@audit_api.response(200, {"type": "string"}, content_type="text/csv")
def export_audit(arguments: dict[str, Any]) -> Response:
    """The same page as CSV (UTF-8, first line a header; ``X-Total-Count`` all matches)."""
    asked = replace(page_request(arguments), with_total=True)
    page = current_app.extensions[TRAIL_EXTENSION].search(
        principal(), _query(arguments), asked, "export"
    )
    rows, total = page.items, page.total
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="audit.csv"',
            "X-Total-Count": str(total),
        },
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    # A spreadsheet runs a cell starting like a formula (an actor named "=HYPERLINK(...)").
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
