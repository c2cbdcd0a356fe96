"""Protocol-events' HTTP schemas: the field rules every resource's schemas share; each
resource's request and answer schemas in ``http/schemas/<resource>.py``."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chancery.http.schemas import LANGUAGE, required
from chancery.http.times import LocalDateTime
from chancery.validation import (
    PlausibleDateTime,
    StrictSchema,
    Text,
)

# Events, programme items, bookings and appointments lie within this many years of today.
EVENT_WINDOW_YEARS = 10
# The id of one of protocol-events' rows given in a body or a query: a UUID's text.
ROW_ID = validate.Length(equal=36)


def row_id(description: str) -> fields.String:
    """A row's id a request must give, ``description`` its text in the OpenAPI document."""
    return required(fields.String, description, validate=ROW_ID)


def local(attribute: str) -> fields.Function:
    """An instant of ``attribute`` as the municipality reads it: ``2026-05-04 10:30 EEST``."""

    def local(row: Any) -> str | None:
        value = row[attribute] if isinstance(row, dict) else getattr(row, attribute)
        if value is None:
            return None
        zone = current_app.extensions["events"].zone
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M %Z}"

    return fields.Function(
        local, metadata={"description": f"{attribute} in the municipality's time zone"}
    )


def local_span() -> dict[str, fields.Field[Any]]:
    """``starts_at`` and ``ends_at`` with the offset, then both as the municipality reads them."""
    return {
        "starts_at": LocalDateTime(),
        "ends_at": LocalDateTime(),
        "local_starts_at": local("starts_at"),
        "local_ends_at": local("ends_at"),
    }


def texts(*, single_line: bool = True, **options: Any) -> fields.Dict:
    """Texts per language, e.g. ``{"lt": "Priėmimas", "en": "Reception"}``.

    Titles and positions are single-line (they reach calendar files and
    subjects); descriptions may have several lines.
    """
    return fields.Dict(
        keys=fields.String(validate=LANGUAGE),
        values=Text(min_length=1, max_length=5000, single_line=single_line),
        **options,
    )


def answered_texts(**options: Any) -> fields.Dict:
    """Texts per language as an answer gives them (the request's rules are :func:`texts`')."""
    return fields.Dict(keys=fields.String(), values=fields.String(), **options)


def moment(**options: Any) -> fields.AwareDateTime:
    """An aware instant within the events' window of years around today."""
    return PlausibleDateTime(within_years=EVENT_WINDOW_YEARS, **options)


class Span(StrictSchema):
    """A request with ``starts_at`` and ``ends_at``: the end after the start."""

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after starts_at", "ends_at")


class ClosedDayOut(Schema):
    day = fields.Date()
    reason = fields.String(metadata={"description": "why, in English"})
    reasons = answered_texts(
        metadata={"description": "why, keyed by language (lt, lv, ka, sq, en)"}
    )
