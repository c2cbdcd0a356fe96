"""A registration's announcement is checked once, at the edge: no wrong payload gets out.

``POST /letters`` validates the request with ``schemas.LetterIn`` and then
writes ``letter.registered`` / ``letter.reply_registered`` without validating
the payload against its contract again (decision 66). These tests are what
makes that safe: the edge's rules cover the contract's for every field copied
from the request, and every message built from valid requests passes its
contract.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, validate

from chancery.emails import EmailAddress
from chancery.messages.catalogue import contract
from chancery.messages.contracts import intake as contracts
from chancery.messages.contracts.intake import AddresseeSchema, CorrespondentSchema
from chancery.messages.payloads import schema_of
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CHANNELS,
    CONFIDENTIALITY_LEVELS,
    LETTER_KINDS,
    OUTGOING_KINDS,
    SENDER_TYPES,
)
from intake.adapters.letter_reads import Reply
from intake.adapters.models import Attachment, Letter
from intake.http.letters import _letter_body, _registered_body
from intake.http.schemas.letters import AddresseeIn, CorrespondentIn, LetterDetailOut, LetterIn

LetterRegisteredV1 = schema_of(contracts.LetterRegisteredV1)
ReplyRegisteredV1 = schema_of(contracts.ReplyRegisteredV1)
# Payload field -> the request's field it is copied from (the rest intake makes itself).
COPIED = {
    LetterRegisteredV1: {
        "kind": "kind",
        "channel": "channel",
        "language": "language",
        "subject": "subject",
        "summary": "summary",
        "addressee": "addressee",
        "sender": "sender",
        "confidentiality": "confidentiality",
        "received_at": "received_at",
    },
    ReplyRegisteredV1: {
        "kind": "kind",
        "language": "language",
        "subject": "subject",
        "recipient": "recipient",
        "confidentiality": "confidentiality",
    },
    CorrespondentSchema: {name: name for name in CorrespondentSchema().fields},
    AddresseeSchema: {name: name for name in AddresseeSchema().fields},
}
EDGE = {
    LetterRegisteredV1: LetterIn,
    ReplyRegisteredV1: LetterIn,
    CorrespondentSchema: CorrespondentIn,
    AddresseeSchema: AddresseeIn,
}
# LetterIn takes both directions' kinds; its per-direction check narrows them, and
# test_api's BAD_BODIES ("reply for incoming") shows it does.
NARROWED_PER_DIRECTION = {"kind"}


def _validators(field: fields.Field, kind: type) -> list[Any]:
    return [rule for rule in field.validators if isinstance(rule, kind)]


def _uncovered(contract_schema: type[Schema]) -> list[str]:
    """The contract's rules on copied fields that the edge's schema does not enforce."""
    edge_fields = EDGE[contract_schema]().fields
    gaps = []
    for name, source in COPIED[contract_schema].items():
        wanted, given_ = contract_schema().fields[name], edge_fields[source]
        for choice in _validators(wanted, validate.OneOf):
            allowed = [set(rule.choices) for rule in _validators(given_, validate.OneOf)]
            if name not in NARROWED_PER_DIRECTION and not any(
                edge <= set(choice.choices) for edge in allowed
            ):
                gaps.append(f"{contract_schema.__name__}.{name}: one of {choice.choices}")
        for pattern in _validators(wanted, validate.Regexp):
            if not any(
                rule.regex.pattern == pattern.regex.pattern
                for rule in _validators(given_, validate.Regexp)
            ):
                gaps.append(f"{contract_schema.__name__}.{name}: matches {pattern.regex.pattern}")
        if isinstance(wanted, EmailAddress) and not isinstance(given_, EmailAddress):
            gaps.append(f"{contract_schema.__name__}.{name}: an e-mail address")
        if type(wanted) is fields.String and not isinstance(given_, fields.String):
            gaps.append(f"{contract_schema.__name__}.{name}: a string")
        if isinstance(wanted, fields.AwareDateTime) and not isinstance(given_, fields.DateTime):
            gaps.append(f"{contract_schema.__name__}.{name}: a date and time")
        if isinstance(wanted, fields.Nested) and not isinstance(given_, fields.Nested):
            gaps.append(f"{contract_schema.__name__}.{name}: an object")
    return gaps


def test_the_edge_enforces_every_rule_the_contracts_set_on_what_it_copies():
    assert [gap for schema in COPIED for gap in _uncovered(schema)] == []


def test_the_comparison_notices_a_rule_the_edge_lacks():
    class LooserCorrespondent(CorrespondentIn):
        type = fields.String(required=True)
        preferred_language = fields.String(load_default=None, allow_none=True)

    EDGE[CorrespondentSchema] = LooserCorrespondent
    try:
        gaps = _uncovered(CorrespondentSchema)
    finally:
        EDGE[CorrespondentSchema] = CorrespondentIn
    assert [gap.split(":")[0] for gap in gaps] == [
        "CorrespondentSchema.type",
        "CorrespondentSchema.preferred_language",
    ]


_words = st.text(
    st.sampled_from("aąčėęįšųūžAĄŽ ķļņģāēīūšžაბგდეზთკლქoëçsh-., "), min_size=1, max_size=80
).filter(lambda text: text.strip() == text and text)
_email = st.sampled_from(
    [None, "ona@example.org", "nino.beridze@example.ge", "arber@bashkia.example.al"]
)
_correspondent = st.fixed_dictionaries(
    {"type": st.sampled_from(SENDER_TYPES), "name": _words},
    optional={
        "organisation": st.one_of(st.none(), _words),
        "email": _email,
        "phone": st.sampled_from([None, "+370 612 34567", "(8-5) 123 4567"]),
        "address": st.one_of(st.none(), _words),
        "country": st.sampled_from([None, "LT", "LV", "GE", "AL"]),
        "preferred_language": st.sampled_from([None, "lt", "lv", "ka", "sq", "en"]),
    },
)
_common = {
    "language": st.sampled_from(["lt", "lv", "ka", "sq", "en"]),
    "subject": _words,
    "confidentiality": st.sampled_from(CONFIDENTIALITY_LEVELS),
}
_incoming = st.fixed_dictionaries(
    {
        **_common,
        "kind": st.sampled_from(LETTER_KINDS),
        "channel": st.sampled_from(CHANNELS),
        "sender": _correspondent,
        "addressee": st.fixed_dictionaries(
            {"kind": st.sampled_from([kind for kind in ADDRESSEE_KINDS if kind != "department"])},
            optional={"name": st.one_of(st.none(), _words)},
        ),
    },
    optional={
        "summary": st.one_of(st.none(), _words),
        "received_at": st.sampled_from(
            [None, "2026-01-05T09:15:00+02:00", "2025-12-31T23:59:59+00:00"]
        ),
    },
)
_outgoing = st.fixed_dictionaries(
    {
        **_common,
        "direction": st.just("outgoing"),
        "kind": st.sampled_from(OUTGOING_KINDS),
        "recipient": _correspondent,
    },
    optional={"summary": st.one_of(st.none(), _words)},
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=st.one_of(_incoming, _outgoing))
def test_every_registration_a_valid_request_makes_passes_its_contract(system, request):
    headers = system.headers("registrar", "clearance_confidential", "clearance_secret")
    response = system.client.post("/letters", json=request, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    [envelope] = [
        row["envelope"]
        for row in system.outbox()
        if row["envelope"]["payload"]["letter_id"] == response.get_json()["id"]
    ]
    schema = contract(envelope["type"], envelope["version"]).payload_schema
    assert schema.validate(envelope["payload"]) == {}, json.dumps(
        envelope["payload"], ensure_ascii=False
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=st.one_of(_incoming, _outgoing))
def test_a_registration_answers_what_a_read_of_the_letter_shows_and_its_code(system, request):
    """The registration's body is written out, not dumped by ``LetterOut`` (decision 81):
    the same fields, values and order as the letter's page, and the access code once."""
    headers = system.headers("registrar", "clearance_confidential", "clearance_secret")
    registered = system.client.post("/letters", json=request, headers=headers)
    assert registered.status_code == 201, registered.get_data(as_text=True)
    answer = json.loads(registered.get_data(as_text=True))
    read = system.client.get(f"/letters/{answer['id']}", headers=headers)
    expected = json.loads(read.get_data(as_text=True))
    if request.get("direction") != "outgoing":
        expected["status_lookup_code"] = answer["status_lookup_code"]
    assert list(answer.items()) == list(expected.items())


def test_the_written_out_answer_renders_every_field_as_the_schema_does():
    """Fields a new letter leaves empty (due date, answer, closing, copies) too."""
    values = {
        "id": "5b0e8f3a-2c1d-4c8e-9d3f-0a1b2c3d4e5f",
        "direction": "outgoing",
        "registration_number": "ISS-2026-000042",
        "register_code": "outgoing",
        "year": 2026,
        "sequence": 42,
        "kind": "answer",
        "channel": None,
        "language": "ka",
        "subject": "პასუხი თხოვნაზე",
        "subject_folded": "პასუხი თხოვნაზე",
        "summary": None,
        "search_text": "",
        "addressee": None,
        "addressee_kind": None,
        "correspondent": {"type": "person", "name": "Nino Beridze"},
        "confidentiality": "confidential",
        "received_at": None,
        "registered_at": datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        "registered_by": "clerk",
        "status": "closed",
        "status_changed_at": datetime(2026, 10, 25, 1, 15, tzinfo=UTC),
        "due_date": date(2026, 4, 28),
        "answered_at": datetime(2026, 4, 2, 8, 0, tzinfo=UTC),
        "closing_reason": "answered",
        "forwarded_to": "Vilnius",
        "triage_reason": "no rule",
        "copy_departments": ",FIN,LAW,",
        "department_code": "LAW",
        "file_reference": "1.2",
        "in_reply_to_id": "0c9e0a4e-8a3c-4a9e-bb0e-1f2a3b4c5d6e",
        "version": 7,
    }
    letter = Letter(**values)
    for code in (None, "ABCD-EFGH"):
        written = _registered_body(values, code)
        dumped = {**LetterDetailOut().dump(letter), "replies": [], "attachments": []}
        if code is not None:
            dumped["status_lookup_code"] = code
        assert json.dumps(written, ensure_ascii=False) == json.dumps(dumped, ensure_ascii=False)
    # A read's answer is written from the same columns, its replies and scans dumped.
    letter.replies = [Reply("9c1d2e3f-0000-4000-8000-000000000001", "ISS-2026-000043")]
    letter.attachments = [
        Attachment(
            id="9c1d2e3f-0000-4000-8000-000000000002",
            filename="atsakymas.pdf",
            media_type="application/pdf",
            size=2048,
            sha256="ab" * 32,
            uploaded_at=datetime(2026, 4, 2, 8, 5, tzinfo=UTC),
            extraction_state="done",
            extracted_text="პასუხი",
        )
    ]
    written = _letter_body(values, letter.replies, letter.attachments)
    dumped = LetterDetailOut().dump(letter)
    assert json.dumps(written, ensure_ascii=False) == json.dumps(dumped, ensure_ascii=False)
