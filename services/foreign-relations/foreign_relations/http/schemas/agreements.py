"""Cooperation agreements' request and answer schemas."""

from __future__ import annotations

from marshmallow import fields

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import Id, one_of, optional, required, short_text
from chancery.validation import StrictSchema, UpdateSchema
from foreign_relations.domain import partners


class DocumentIn(StrictSchema):
    title = required(short_text, "The document's title.")
    url = optional(fields.URL)
    reference = optional(short_text)


class AgreementIn(StrictSchema):
    partner_id = required(Id, "The id of the partner city the agreement is with.")
    title = required(short_text, "The agreement's title.")
    parties = fields.List(short_text(), load_default=list)
    signed_on = optional(fields.Date)
    starts_on = required(fields.Date, "The day the agreement takes effect (YYYY-MM-DD).")
    ends_on = optional(fields.Date)
    renewal = one_of(
        partners.RENEWALS,
        "How the agreement is renewed: automatic, manual (by a decision) or none.",
        required=True,
    )
    areas = fields.List(short_text(), load_default=list)
    documents = fields.List(fields.Nested(DocumentIn), load_default=list)


class AgreementPatch(UpdateSchema):
    title = short_text()
    parties = fields.List(short_text())
    signed_on = fields.Date(allow_none=True)
    renewal = one_of(
        partners.RENEWALS,
        "How the agreement is renewed: automatic, manual (by a decision) or none.",
    )
    areas = fields.List(short_text())
    documents = fields.List(fields.Nested(DocumentIn))


class RenewIn(StrictSchema):
    starts_on = optional(fields.Date, metadata={"description": "default: the current end"})
    ends_on = required(fields.Date, "null: open-ended from now on", allow_none=True)


AgreementOut = answer_schema(
    "AgreementOut",
    """id partner_id title parties:[str] signed_on:date? starts_on:date ends_on:date? renewal
    areas:[str] documents:[dict] terms:[dict] warned_for version:int""",
    warned_for=fields.Date(
        allow_none=True, metadata={"description": "the term end already announced"}
    ),
)


class AgreementQuery(PageQuery):
    partner_id = Id(load_default=None)
    ending_before = fields.Date(load_default=None)
