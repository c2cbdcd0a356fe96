"""An archive transfer's inventory."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema

InventoryItemOut = answer_schema(
    "InventoryItemOut",
    "code title department retention_years:int? legal_basis medium letters:int first_day last_day",
    doc="One file of an archive transfer inventory.",
    notes={"retention_years": "null: kept permanently"},
    first_day=fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "the first letter's registration day"},
    ),
    last_day=fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "the last letter's registration day"},
    ),
)

ArchiveTransferOut = answer_schema(
    "ArchiveTransferOut",
    "year:int status items drafted_at:aware drafted_by approved_at:aware? approved_by?"
    " transferred_at:aware? transferred_by?",
    doc="An archive transfer inventory: draft, approved or transferred.",
    items=fields.List(fields.Nested(InventoryItemOut)),
)
