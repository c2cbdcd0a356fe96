"""An archive transfer's inventory."""

from __future__ import annotations

from marshmallow import Schema, fields


class InventoryItemOut(Schema):
    """One file of an archive transfer inventory."""

    code = fields.String()
    title = fields.String()
    department = fields.String()
    retention_years = fields.Integer(
        allow_none=True, metadata={"description": "null: kept permanently"}
    )
    legal_basis = fields.String()
    medium = fields.String()
    letters = fields.Integer()
    first_day = fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "the first letter's registration day"},
    )
    last_day = fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "the last letter's registration day"},
    )


class ArchiveTransferOut(Schema):
    """An archive transfer inventory: draft, approved or transferred."""

    year = fields.Integer()
    status = fields.String()
    items = fields.List(fields.Nested(InventoryItemOut))
    drafted_at = fields.DateTime()
    drafted_by = fields.String()
    approved_at = fields.DateTime(allow_none=True)
    approved_by = fields.String(allow_none=True)
    transferred_at = fields.DateTime(allow_none=True)
    transferred_by = fields.String(allow_none=True)
