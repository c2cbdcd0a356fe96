"""Partner cities' request and answer schemas: facts, contacts, dossier, visits."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import COUNTRY, LANGUAGE, one_of, optional, required, short_text
from chancery.validation import StrictSchema, UpdateSchema
from foreign_relations.domain import partners
from foreign_relations.http.schemas import notes
from foreign_relations.http.schemas.open_data import PublicPartnerOut


class ContactIn(StrictSchema):
    name = required(short_text, "The contact person's full name.")
    position = optional(short_text)
    email = optional(EmailAddress)
    phone = optional(
        fields.String,
        validate=[
            validate.Length(max=50),
            validate.Regexp(r"^\+?[0-9 ()./-]{3,50}$", error="a telephone number"),
        ],
    )
    language = optional(fields.String, validate=LANGUAGE)


ContactOut = answer_schema("ContactOut", "id name position? email? phone? language?")


class PartnerIn(StrictSchema):
    city = required(short_text, "The partner city's name as written locally.")
    country = required(
        fields.String, "The partner city's country, ISO 3166-1 alpha-2 (e.g. LV).", validate=COUNTRY
    )
    relationship = one_of(
        partners.RELATIONSHIPS,
        "The kind of partnership (twin, partner, friendship).",
        required=True,
    )
    since = optional(fields.Date)
    status = one_of(
        partners.PARTNER_STATUSES,
        "Whether the partnership is active, dormant or ended.",
        load_default="active",
    )
    languages = fields.List(fields.String(validate=LANGUAGE), load_default=list)
    areas = fields.List(short_text(), load_default=list)
    website = optional(fields.URL)
    notes = optional(notes)
    contacts = fields.List(fields.Nested(ContactIn), load_default=list)


class PartnerPatch(UpdateSchema):
    city = short_text()
    country = fields.String(validate=COUNTRY)
    relationship = one_of(
        partners.RELATIONSHIPS, "The kind of partnership (twin, partner, friendship)."
    )
    since = fields.Date(allow_none=True)
    status = one_of(
        partners.PARTNER_STATUSES, "Whether the partnership is active, dormant or ended."
    )
    languages = fields.List(fields.String(validate=LANGUAGE))
    areas = fields.List(short_text())
    website = fields.URL(allow_none=True)
    notes = notes(allow_none=True)


PartnerOut = answer_schema("PartnerOut", "notes? version:int", base=PublicPartnerOut)


class PartnerQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(partners.PARTNER_STATUSES))
    country = fields.String(load_default=None, validate=COUNTRY)


class DossierIn(StrictSchema):
    kind = one_of(
        ("note", "document"),
        "note (text) or document (a file kept with the dossier).",
        required=True,
    )
    title = required(short_text, "The entry's title.")
    text = optional(notes)
    url = optional(fields.URL)


DossierOut = answer_schema("DossierOut", "id kind title text? url? created_by created_at:datetime")


class VisitRecordIn(StrictSchema):
    direction = one_of(
        ("incoming", "outgoing"),
        "incoming (a delegation came) or outgoing (ours went).",
        required=True,
    )
    starts_on = required(fields.Date, "The first day of the visit (YYYY-MM-DD).")
    ends_on = optional(fields.Date)
    title = required(short_text, "What the visit was.")
    notes = optional(notes)


HistoryOut = answer_schema(
    "HistoryOut",
    "direction source source_id title starts_on:date? ends_on:date?",
    notes={"source": "trip, visit or record (entered by hand)"},
)


# An example for the OpenAPI document (tests/api sends it through a generated client).
PARTNER_EXAMPLE = {
    "city": "თელავი",
    "country": "GE",
    "relationship": "partner",
    "languages": ["ka"],
    "areas": ["ტურიზმი"],
}


# An answer as the service gives it (the document's example).
PARTNER_OUT_EXAMPLE = {
    "id": "ac4569a0-ef85-412a-9473-0cb47d395d7c",
    "city": "თელავი",
    "country": "GE",
    "relationship": "partner",
    "since": None,
    "status": "active",
    "languages": ["ka"],
    "areas": ["ტურიზმი"],
    "website": None,
    "notes": None,
    "version": 1,
}
