"""One e-mail validator for every API and contract (chancery.emails)."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields

from chancery.emails import EmailAddress, InvalidEmailAddress, normalized_email
from chancery.messages.catalogue import CATALOGUE
from chancery.messages.contracts.intake import CorrespondentSchema
from chancery.messages.contracts.notifications import RecipientSchema

REFUSED = [
    '"a\x0bb"@example.org',
    "a b@example.org",
    "ona@example.org\n",
    "a@localhost",
    "a@[127.0.0.1]",
    "a@b",
    "@example.org",
    "ona@example.test",
    "x" * 60 + "@" + ("d" * 60 + ".") * 4 + "org",
]
ACCEPTED = {
    "ona.zemaityte@example.org": "ona.zemaityte@example.org",
    "ona.žemaitytė@Alytus.Example.ORG": "ona.žemaitytė@alytus.example.org",
    "ilze.ozoliņa@example.lv": "ilze.ozoliņa@example.lv",
    "თამარ@example.ge": "თამარ@example.ge",
    "blerina@münchen.example.org": "blerina@münchen.example.org",
}


@pytest.mark.parametrize("address", REFUSED)
def test_the_validator_refuses_what_no_mail_server_should_see(address):
    with pytest.raises(InvalidEmailAddress):
        normalized_email(address)


@pytest.mark.parametrize(("address", "normal"), ACCEPTED.items())
def test_international_addresses_pass_in_their_normal_form(address, normal):
    assert normalized_email(address) == normal


def test_a_quoted_control_character_is_refused_where_marshmallow_s_email_let_it_through():
    class Plain(Schema):
        email = fields.Email()

    class Checked(Schema):
        email = EmailAddress()

    assert Plain().load({"email": '"a\x0bb"@example.org'})  # what every API accepted before
    with pytest.raises(ValidationError) as refused:
        Checked().load({"email": '"a\x0bb"@example.org'})
    assert "U+000B" in refused.value.messages["email"][0]


@pytest.mark.parametrize("schema", [RecipientSchema, CorrespondentSchema])
def test_message_contracts_refuse_an_invalid_address(schema):
    errors = schema().validate({"type": "person", "name": "Ona", "email": '"a\x0bb"@example.org'})
    assert "email" in errors


def test_every_contract_field_named_email_uses_the_shared_validator():
    def email_fields(schema: Schema, path: str):
        for name, field in schema.fields.items():
            if isinstance(field, fields.Nested):
                yield from email_fields(field.schema, f"{path}.{name}")
            elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
                yield from email_fields(field.inner.schema, f"{path}.{name}[]")
            elif "mail" in name:
                yield f"{path}.{name}", field

    found = [
        (where, field)
        for entry in CATALOGUE
        for where, field in email_fields(entry.payload_schema, entry.type)
    ]
    assert found
    assert [where for where, field in found if not isinstance(field, EmailAddress)] == []
