"""The AsyncAPI document: checked in as generated, complete, and faithful to the contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from marshmallow import RAISE, Schema, fields, validate

from chancery.asyncapi import SchemaConverter, asyncapi_document, render
from chancery.messages.catalogue import ANY_SENDER, CATALOGUE
from chancery.messages.topology import consuming_services, dead_letter_name, queue_name
from chancery.vocabulary import SERVICES

CHECKED_IN = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return asyncapi_document()


def test_the_checked_in_document_is_what_the_catalogue_generates(document):
    assert CHECKED_IN.read_text(encoding="utf-8") == render(document), (
        "docs/asyncapi.yaml is stale: run `.venv/bin/chancery asyncapi --output docs/asyncapi.yaml`"
    )
    assert yaml.safe_load(CHECKED_IN.read_text(encoding="utf-8")) == document


def test_every_catalogue_message_has_its_channel_message_and_operations(document):
    assert document["asyncapi"] == "3.0.0"
    for entry in CATALOGUE:
        message = document["components"]["messages"][entry.routing_key]
        assert message["name"] == entry.type
        assert message["summary"] == entry.summary
        channel = document["channels"][entry.routing_key]
        exchange = channel["bindings"]["amqp"]["exchange"]
        assert exchange == {
            "name": entry.exchange,
            "type": "direct" if entry.command else "topic",
            "durable": True,
            "autoDelete": False,
            "vhost": "/",
        }
        sender = "anyone" if entry.producer == ANY_SENDER else entry.producer
        send = document["operations"][f"{sender}.send.{entry.routing_key}"]
        assert send["action"] == "send"
        assert send["channel"] == {"$ref": f"#/channels/{entry.routing_key}"}
        for consumer in entry.consumers:
            receive = document["operations"][f"{consumer}.receive.{entry.routing_key}"]
            assert receive["action"] == "receive"
            assert receive["channel"] == {"$ref": f"#/channels/{queue_name(consumer)}"}
    operations = len(CATALOGUE) + sum(len(entry.consumers) for entry in CATALOGUE)
    assert len(document["operations"]) == operations


def test_queues_carry_their_delivery_limit_and_dead_letter_exchange(document):
    for service in consuming_services():
        channel = document["channels"][queue_name(service)]
        assert channel["bindings"]["amqp"]["queue"]["name"] == queue_name(service)
        assert channel["x-queue-arguments"]["x-delivery-limit"] == 5
        assert channel["x-queue-arguments"]["x-dead-letter-exchange"] == dead_letter_name(service)
    for service in SERVICES:
        assert document["channels"][dead_letter_name(service)]["bindings"]["amqp"]["is"] == "queue"
    assert (
        asyncapi_document(delivery_limit=9)["channels"]["routing.messages"]["x-queue-arguments"][
            "x-delivery-limit"
        ]
        == 9
    )


def test_every_payload_schema_lists_its_required_fields(document):
    schemas = document["components"]["schemas"]
    for entry in CATALOGUE:
        payload = document["components"]["messages"][entry.routing_key]["payload"]
        envelope, specific = payload["allOf"]
        assert envelope == {"$ref": "#/components/schemas/EnvelopeSchema"}
        assert specific["properties"]["type"] == {"const": entry.type}
        schema = schemas[entry.schema.__name__]
        assert specific["properties"]["payload"] == {
            "$ref": f"#/components/schemas/{entry.schema.__name__}"
        }
        declared = entry.schema().fields
        assert set(schema["properties"]) == set(declared)
        assert schema.get("required", []) == [
            name for name, field in declared.items() if field.required
        ]
        assert schema["additionalProperties"] is True, "payloads load tolerantly"
    envelope_schema = schemas["EnvelopeSchema"]
    assert envelope_schema["additionalProperties"] is False
    assert envelope_schema["required"] == [
        "message_id",
        "type",
        "version",
        "occurred_at",
        "producer",
        "correlation_id",
        "payload",
    ]


def test_every_reference_resolves(document):
    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            return (
                [node["$ref"]]
                if "$ref" in node
                else [ref for value in node.values() for ref in refs(value)]
            )
        if isinstance(node, list):
            return [ref for value in node for ref in refs(value)]
        return []

    found = refs(document)
    assert len(found) > len(CATALOGUE) * 3
    for ref in found:
        target: Any = document
        for token in ref.removeprefix("#/").split("/"):
            assert token in target, ref
            target = target[token]


class Inner(Schema):
    """A nested thing."""

    code = fields.String(required=True)


class Everything(Schema):
    """Every field type the contracts use.

    With a second paragraph.
    """

    class Meta:
        unknown = RAISE

    text = fields.String(required=True, validate=validate.Length(min=1, max=5))
    number = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    flag = fields.Boolean(load_default=False)
    day = fields.Date(required=True)
    moment = fields.AwareDateTime(required=True)
    id = fields.UUID(required=True)
    email = fields.Email(load_default=None, allow_none=True)
    url = fields.Url(required=True)
    texts = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z]{2}$")),
        values=fields.String(),
        load_default=dict,
    )
    tags = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    inner = fields.Nested(Inner, required=True)
    inners = fields.List(fields.Nested(Inner), load_default=list)
    kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("a", "b")))


def test_the_converter_covers_every_field_type_with_its_constraints():
    converter = SchemaConverter()
    assert converter.component(Everything) == {"$ref": "#/components/schemas/Everything"}
    schema = converter.components["Everything"]
    assert (
        schema["description"] == "Every field type the contracts use.\n\nWith a second paragraph."
    )
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["text", "day", "moment", "id", "url", "tags", "inner"]
    properties = schema["properties"]
    assert properties["text"] == {"type": "string", "minLength": 1, "maxLength": 5}
    assert properties["number"] == {"type": ["integer", "null"], "minimum": 0, "default": None}
    assert properties["flag"] == {"type": "boolean", "default": False}
    assert properties["day"] == {"type": "string", "format": "date"}
    assert properties["moment"]["format"] == "date-time"
    assert properties["id"] == {"type": "string", "format": "uuid"}
    assert properties["email"] == {"type": ["string", "null"], "format": "email", "default": None}
    assert properties["url"] == {"type": "string", "format": "uri"}
    assert properties["texts"] == {
        "type": "object",
        "propertyNames": {"pattern": "^[a-z]{2}$"},
        "additionalProperties": {"type": "string"},
        "default": {},
    }
    assert properties["tags"] == {"type": "array", "items": {"type": "string"}, "minItems": 1}
    assert properties["inner"] == {"$ref": "#/components/schemas/Inner"}
    assert properties["inners"] == {
        "type": "array",
        "default": [],
        "items": {"$ref": "#/components/schemas/Inner"},
    }
    assert properties["kind"] == {
        "type": ["string", "null"],
        "enum": ["a", "b", None],
        "default": None,
    }
    assert converter.components["Inner"]["required"] == ["code"]


def test_an_unknown_field_type_fails_loudly_instead_of_documenting_nothing():
    class Odd(Schema):
        amount = fields.Decimal()

    with pytest.raises(TypeError, match="Decimal"):
        SchemaConverter().component(Odd)


def test_two_schemas_of_one_name_are_refused():
    first = type("Twin", (Schema,), {"a": fields.String()})
    second = type("Twin", (Schema,), {"b": fields.String()})
    converter = SchemaConverter()
    converter.component(first)
    with pytest.raises(ValueError, match="Twin"):
        converter.component(second)
