"""Invitations' request and answer schemas: facts, evaluation, list filters."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import COUNTRY, LANGUAGE, Id, one_of, optional, required, short_text
from chancery.validation import StrictSchema, Text, UpdateSchema
from foreign_relations.domain import workflow
from foreign_relations.http.schemas import StatusQuery, notes


class InvitationQuery(StatusQuery):
    """Invitations, optionally the one of a letter (``letter_number``)."""

    letter_number = Text(
        max_length=60,
        min_length=1,
        load_default=None,
        metadata={
            "description": "the invitation letter's registration number, e.g. ``P-2026-00003``"
        },
    )


class InvitationIn(StrictSchema):
    title = required(short_text, "What the municipality is invited to.")
    inviter = required(short_text, "Who invites (a municipality, an embassy, an organisation).")
    inviter_kind = one_of(
        workflow.INVITER_KINDS, "What kind of inviter it is.", load_default="municipality"
    )
    partner_id = Id(load_default=None, allow_none=True)
    city = optional(short_text)
    country = optional(fields.String, validate=COUNTRY)
    language = optional(fields.String, validate=LANGUAGE)
    summary = optional(notes)
    starts_on = optional(fields.Date)
    ends_on = optional(fields.Date)
    respond_by = optional(fields.Date)
    letter_id = Id(load_default=None, allow_none=True)
    registration_number = optional(fields.String, validate=validate.Length(max=60))


class InvitationPatch(UpdateSchema):
    title = short_text()
    inviter = short_text()
    inviter_kind = one_of(workflow.INVITER_KINDS, "What kind of inviter it is.")
    partner_id = Id(allow_none=True)
    city = short_text(allow_none=True)
    country = fields.String(allow_none=True, validate=COUNTRY)
    summary = notes(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    respond_by = fields.Date(allow_none=True)


class EvaluationIn(UpdateSchema):
    worth_going = fields.Boolean(allow_none=True)
    recommendation = notes(allow_none=True)
    proposed_head = short_text(allow_none=True)
    proposed_delegation = fields.List(short_text())


InvitationOut = answer_schema(
    "InvitationOut",
    """id status title inviter inviter_kind partner_id? city? country? language? summary?
    starts_on:date? ends_on:date? respond_by:date? letter_id? registration_number?
    received_at:datetime? worth_going:bool? recommendation? proposed_head?
    proposed_delegation:[str] decided_by? decided_at:datetime? decision_note?
    confidentiality version:int""",
)
