"""Participants' and invitation answers' schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.http.answers import answer_schema
from chancery.http.schemas import (
    COUNTRY,
    LANGUAGE,
    Id,
    one_of,
    optional,
    required,
    short_text,
)
from chancery.validation import StrictSchema
from protocol_events.domain.invitations import ANSWERS


class ParticipantIn(StrictSchema):
    kind = one_of(
        ("internal", "guest"), "internal (a staff member or official) or guest.", required=True
    )
    name = required(short_text, "The participant's full name.")
    role = optional(short_text)
    organisation = optional(short_text)
    country = optional(fields.String, validate=COUNTRY)
    language = optional(fields.String, validate=LANGUAGE)
    rank = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^[a-z][a-z0-9_]{0,59}$", error="a rank code of the protocol list"
        ),
    )
    email = optional(EmailAddress)
    official_id = optional(Id)
    host = fields.Boolean(load_default=False)
    guest_of_honour = fields.Boolean(load_default=False)
    speaks = fields.Boolean(load_default=False)


ParticipantOut = answer_schema(
    "ParticipantOut",
    "id kind name role? organisation? country? language? rank? email? official_id? "
    "host:bool guest_of_honour:bool speaks:bool answer? answered_at:datetime? answered_by?",
    notes={
        "answer": "The invitation's answer: accepted, declined, tentative; null: none yet.",
        "answered_by": "guest (from the invitation's link) or who recorded it.",
    },
)


class AnswerIn(StrictSchema):
    answer = one_of(ANSWERS, "accepted, declined or tentative.", required=True)


PlaceOut = answer_schema(
    "PlaceOut",
    "position:int participant_id name rank? seat reason explanation:dict",
    notes={
        "reason": "why, in English",
        "explanation": (
            "why, as codes and parameters for a reader in any language: "
            "``position``; ``why`` (host, host_opens, guest_of_honour, "
            "unlisted_rank, ranks_above, ranks_below, same_rank_guest_first, "
            "same_rank_by_name, same_rank_as_guest_of_honour, "
            "only_of_listed_rank) with ``rank`` / ``other_rank`` (names by "
            "language) and ``other`` (a name); ``where`` (centre, beside, "
            "further) with ``side``, ``pair`` and ``of`` (host or centre)"
        ),
    },
)


OrderOut = answer_schema(
    "OrderOut",
    "seating speaking",
    seating=fields.List(fields.Nested(PlaceOut)),
    speaking=fields.List(fields.Nested(PlaceOut)),
)
