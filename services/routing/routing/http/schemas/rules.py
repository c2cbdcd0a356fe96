"""Routing's request and answer schemas for the routing rules and their dry run."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.http.answers import answer_schema
from chancery.http.schemas import DEPARTMENT_CODE, LANGUAGE, one_of, optional, required, text
from chancery.profiles import UNITS
from chancery.validation import BoundedInt, StrictSchema
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CONFIDENTIALITY_LEVELS,
    LETTER_KINDS,
)


class FactsIn(StrictSchema):
    """A letter described for a dry run of the rules."""

    kind = one_of(LETTER_KINDS, "The letter kind to try the rules with.", required=True)
    addressee_kind = one_of(
        ADDRESSEE_KINDS,
        "The addressee kind to try the rules with.",
        load_default=None,
        allow_none=True,
    )
    addressee_department = optional(fields.String, validate=DEPARTMENT_CODE)
    language = required(
        fields.String, "The letter's language to try the rules with.", validate=LANGUAGE
    )
    sender_organisation = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=300)
    )
    confidentiality = one_of(
        CONFIDENTIALITY_LEVELS,
        "The confidentiality level to try the rules with.",
        load_default="normal",
    )
    subject = text(
        2000,
        required=True,
        metadata={"description": "The subject to try the rules' keywords with."},
    )


class MatchIn(StrictSchema):
    kinds = fields.List(
        fields.String(validate=validate.OneOf(LETTER_KINDS)),
        metadata={"description": "The letter kinds the rule applies to (any when absent)."},
    )
    addressees = fields.List(
        fields.String(validate=validate.OneOf(ADDRESSEE_KINDS)),
        metadata={"description": "The addressee kinds the rule applies to (any when absent)."},
    )
    languages = fields.List(fields.String(validate=LANGUAGE))
    sender_organisations = fields.List(fields.String(validate=validate.Length(min=1, max=300)))
    confidentiality = fields.List(
        fields.String(validate=validate.OneOf(CONFIDENTIALITY_LEVELS)),
        metadata={
            "description": "The confidentiality levels the rule applies to (any when absent)."
        },
    )
    subject_words = fields.List(fields.String(validate=validate.Length(min=1, max=200)))


class TermIn(StrictSchema):
    amount = fields.Integer(required=True, validate=validate.Range(min=1, max=366))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))


class RuleIn(StrictSchema):
    position = required(
        BoundedInt,
        "The rule's place in the list: the first matching rule, lowest position first, wins.",
        minimum=0,
        maximum=100_000,
    )
    name = required(
        fields.String,
        "A name people recognise the rule by.",
        validate=validate.Length(min=1, max=200),
    )
    match = fields.Nested(
        MatchIn,
        required=True,
        metadata={
            "description": "Which letters the rule applies to; every given condition must hold."
        },
    )
    responsible = required(
        fields.String,
        "The code of the department the matching letters are routed to.",
        validate=DEPARTMENT_CODE,
    )
    copies = fields.List(fields.String(validate=DEPARTMENT_CODE), load_default=list)
    deadline = fields.Raw(
        load_default="legal",
        metadata={
            "description": '"legal" or {"amount": n, "unit": "working_days|calendar_days|months"}',
            "json_schema": {
                "oneOf": [
                    {"const": "legal", "description": "The legal deadline of the letter's kind."},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["amount", "unit"],
                        "properties": {
                            "amount": {"type": "integer", "minimum": 1, "maximum": 366},
                            "unit": {"type": "string", "enum": list(UNITS)},
                        },
                    },
                ]
            },
        },
    )
    active = fields.Boolean(load_default=True)

    @validates_schema
    def _deadline(self, data: dict[str, Any], **_: Any) -> None:
        if data["deadline"] != "legal":
            try:
                data["deadline"] = TermIn().load(data["deadline"])
            except (ValidationError, TypeError) as exc:
                messages = getattr(exc, "messages", 'must be "legal" or {amount, unit}')
                raise ValidationError({"deadline": messages}) from exc


RuleOut = answer_schema(
    "RuleOut",
    "id position:int name match:dict responsible copies:[str] deadline active:bool",
    deadline=fields.Raw(),
)

DecisionOut = answer_schema(
    "DecisionOut",
    "rule? department_code? copy_department_codes:[str] needs_triage:bool why:[str]"
    " rules_not_matching:[dict]",
)
