"""Translation tasks' request and answer schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.paging import PageQuery
from chancery.http.schemas import LANGUAGE, Id, one_of, optional, prose, required, short_text
from chancery.validation import StrictSchema
from foreign_relations.domain import workflow


class TranslationIn(StrictSchema):
    direction = one_of(
        ("incoming", "outgoing"),
        "incoming (into the municipality's language) or outgoing (from it).",
        load_default="incoming",
    )
    source_language = required(fields.String, "The language translated from.", validate=LANGUAGE)
    target_language = required(fields.String, "The language translated into.", validate=LANGUAGE)
    title = required(short_text, "What is translated.")
    source_text = prose(
        200_000,
        required=True,
        metadata={"description": "The text to translate, kept byte for byte."},
    )
    letter_id = Id(load_default=None, allow_none=True)
    registration_number = optional(fields.String, validate=validate.Length(max=60))
    partner_id = Id(load_default=None, allow_none=True)
    translator = optional(short_text)
    working_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=60)
    )


class ReplyDraftIn(StrictSchema):
    title = optional(short_text)
    source_text = prose(
        200_000,
        required=True,
        metadata={"description": "The reply's text to translate, kept byte for byte."},
    )
    translator = optional(short_text)
    working_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=60)
    )


class TranslationStatusIn(StrictSchema):
    status = one_of(
        tuple(workflow.TRANSLATION), "The status to move the translation to.", required=True
    )
    translator = optional(short_text)
    translated_text = prose(200_000, min_length=0, load_default=None, allow_none=True)


class TranslationQuery(PageQuery):
    status = fields.String(load_default=None)
    translator = fields.String(load_default=None)
    letter_id = Id(load_default=None)


TranslationOut = answer_schema(
    "TranslationOut",
    """id status direction source_language target_language title source_text
    translated_text? translator? letter_id? registration_number? original_task_id?
    partner_id? due_on:date deadline created_at:datetime finished_at:datetime? version:int""",
    deadline=fields.Dict(metadata={"description": "how the due date was computed"}),
)
