"""Typed payloads: each contract is a frozen dataclass and its wire schema is derived from it.

Every contract's round trip (load, dataclass, dump) is in test_catalogue.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Annotated

import pytest
from marshmallow import fields, validate

from chancery.messages.catalogue import contract, secret_values
from chancery.messages.contracts import PayloadSchema
from chancery.messages.fieldtypes import Moment
from chancery.messages.payloads import nested, payload, payload_dataclass, schema_of


@payload
@dataclass(frozen=True, slots=True, kw_only=True)
class Stamp:
    """A part nested in a message."""

    label: Annotated[str, fields.String(required=True)]


@payload
@dataclass(frozen=True, slots=True, kw_only=True)
class SampleNotedV1:
    """``sample.noted`` v1: a message for these tests."""

    day: Annotated[date, fields.Date(required=True)]
    note: Annotated[str | None, fields.String(load_default=None, allow_none=True)]
    tags: Annotated[list[str], fields.List(fields.String(), load_default=list)]
    stamp: Annotated[Stamp, nested(Stamp, required=True)]
    level: Annotated[
        str, fields.String(load_default="normal", validate=validate.OneOf(("normal", "high")))
    ]


@payload
@dataclass(frozen=True, slots=True, kw_only=True)
class SampleNotedAgainV1(SampleNotedV1):
    """``sample.noted_again`` v1: a message that adds a field to another's."""

    count: Annotated[int, fields.Integer(required=True)]


def test_the_schema_loads_into_the_frozen_dataclass_with_its_defaults() -> None:
    loaded = schema_of(SampleNotedV1)().load(
        {"day": "2026-12-01", "stamp": {"label": "ა"}, "later": "ignored"}
    )
    assert loaded == SampleNotedV1(
        day=date(2026, 12, 1), note=None, tags=[], stamp=Stamp(label="ა"), level="normal"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.note = "changed"  # type: ignore[misc]
    assert not hasattr(loaded, "__dict__")


def test_the_schema_validates_as_its_fields_say() -> None:
    errors = schema_of(SampleNotedV1)().validate({"day": "2026-12-01", "level": "urgent"})
    assert set(errors) == {"stamp", "level"}


def test_a_dict_and_the_dataclass_dump_to_the_same_wire_form() -> None:
    schema = schema_of(SampleNotedAgainV1)()
    wire = {
        "day": "2026-12-01",
        "note": "Žemaitytė",
        "tags": ["a"],
        "stamp": {"label": "x"},
        "level": "high",
        "count": 3,
    }
    assert schema.dump(schema.load(wire)) == wire
    assert schema.dump({**wire, "day": date(2026, 12, 1)}) == wire


def test_an_inheriting_message_has_its_base_fields_first() -> None:
    assert list(schema_of(SampleNotedAgainV1)().fields) == [
        "day",
        "note",
        "tags",
        "stamp",
        "level",
        "count",
    ]


def test_schemas_are_named_for_the_asyncapi_document() -> None:
    assert schema_of(SampleNotedV1).__name__ == "SampleNotedV1"
    assert schema_of(Stamp).__name__ == "StampSchema"
    assert schema_of(SampleNotedV1).__doc__ == SampleNotedV1.__doc__
    assert issubclass(schema_of(Stamp), PayloadSchema)


def test_a_field_without_its_marshmallow_field_is_refused() -> None:
    with pytest.raises(TypeError, match="annotate it"):

        @payload
        @dataclass(frozen=True)
        class _Bare:
            day: date


def test_a_field_neither_required_nor_defaulted_is_refused() -> None:
    with pytest.raises(TypeError, match="load_default"):

        @payload
        @dataclass(frozen=True)
        class _Loose:
            day: Annotated[date, fields.Date()]


def test_only_a_dataclass_is_a_payload() -> None:
    with pytest.raises(TypeError, match="dataclass"):
        payload(int)
    with pytest.raises(TypeError, match="not a @payload"):
        schema_of(int)


def test_an_edge_schema_extending_a_part_loads_dicts() -> None:
    class StampIn(schema_of(Stamp)):  # type: ignore[misc]
        """An HTTP body's stamp, with the part's rules."""

    assert StampIn().load({"label": "x"}) == {"label": "x"}
    assert schema_of(Stamp)().load({"label": "x"}) == Stamp(label="x")


def test_secret_values_are_read_from_a_loaded_payload_as_from_the_wire_form() -> None:
    wire = {
        "letter_id": "1c0ee7a4-4d1b-4d47-9f0a-3f0e7b8e9a11",
        "registration_number": "P-1",
        "language": "lt",
        "status_lookup_code": "K7XQ2M9PRT",
        "issued_at": "2026-12-01T10:00:00+00:00",
    }
    loaded = contract("letter.access_code_issued", 1).payload_schema.load(wire)
    assert secret_values("letter.access_code_issued", loaded) == ["K7XQ2M9PRT"]
    assert secret_values("letter.access_code_issued", wire) == ["K7XQ2M9PRT"]


def test_a_shared_field_type_gives_each_use_its_own_field() -> None:
    # One alias twice in one contract: marshmallow binds a field to its name, so a
    # shared field object would read and write one of the two under the other's name.
    @payload
    @dataclass(frozen=True, slots=True, kw_only=True)
    class TwiceV1:
        """``sample.twice`` v1: two fields of one shared type."""

        opened_at: Moment
        closed_at: Moment

    schema = schema_of(TwiceV1)()
    wire = {"opened_at": "2026-12-01T10:00:00+00:00", "closed_at": "2026-12-02T11:00:00+00:00"}
    loaded = schema.load(wire)
    assert loaded.opened_at.day == 1
    assert loaded.closed_at.day == 2
    assert schema.dump(loaded) == wire
    assert schema.fields["opened_at"] is not schema.fields["closed_at"]


def test_payload_dataclass_is_a_frozen_slotted_keyword_only_payload() -> None:
    @payload_dataclass
    class BriefV1:
        """``sample.brief`` v1: declared in one line."""

        noted_at: Moment

    noted = schema_of(BriefV1)().load({"noted_at": "2026-12-01T10:00:00+00:00"})
    assert isinstance(noted, BriefV1)
    assert not hasattr(noted, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        noted.noted_at = noted.noted_at  # type: ignore[misc]
    with pytest.raises(TypeError):
        BriefV1(noted.noted_at)  # type: ignore[call-arg]
