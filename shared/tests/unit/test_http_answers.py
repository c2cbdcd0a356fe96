"""Answer schemas declared by a spec: names, order, kinds, nulls, described fields, a base."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from marshmallow import Schema, fields

from chancery.http.answers import answer_schema
from chancery.http.times import LocalDateTime


def test_an_answer_keeps_its_name_and_the_order_of_its_spec() -> None:
    line = answer_schema("LineOut", "id title amount:decimal note? place?", doc="A line.")
    assert line.__name__ == "LineOut"
    assert line.__doc__ == "A line."
    assert list(line().fields) == ["id", "title", "amount", "note", "place"]
    assert line().dump({"id": "a", "title": "ქუთაისი", "amount": Decimal(1), "note": None}) == {
        "id": "a",
        "title": "ქუთაისი",
        "amount": "1",
        "note": None,
    }


def test_each_word_gives_its_kind_and_a_question_mark_allows_null() -> None:
    declared = answer_schema(
        "KindsOut",
        "text count:int flag:bool on:date at:time when:datetime instant:aware "
        "texts:dict names:[str] rows:[dict] gone:date?",
    )().fields
    expected = {
        "text": fields.String,
        "count": fields.Integer,
        "flag": fields.Boolean,
        "on": fields.Date,
        "at": fields.Time,
        "when": LocalDateTime,
        "instant": fields.AwareDateTime,
        "texts": fields.Dict,
        "names": fields.List,
        "rows": fields.List,
        "gone": fields.Date,
    }
    assert {name: type(field) for name, field in declared.items()} == expected
    assert [name for name, field in declared.items() if field.allow_none] == ["gone"]
    assert isinstance(declared["names"], fields.List)
    assert isinstance(declared["names"].inner, fields.String)


def test_times_are_hours_and_minutes() -> None:
    window = answer_schema("WindowOut", "start:time")
    assert window().dump({"start": dt.time(9, 30)}) == {"start": "09:30"}


def test_a_described_field_stands_where_the_spec_lists_it() -> None:
    computed = fields.Function(lambda row: row["first"] * 2)
    answer = answer_schema("DoubledOut", "first:int doubled last", doubled=computed)
    assert list(answer().fields) == ["first", "doubled", "last"]
    assert answer().dump({"first": 2, "last": "z"}) == {"first": 2, "doubled": 4, "last": "z"}


def test_a_described_field_the_spec_does_not_list_is_refused() -> None:
    with pytest.raises(TypeError, match="forgotten"):
        answer_schema("ForgetfulOut", "id", forgotten=fields.String())


def test_a_note_describes_a_field_of_the_kind_the_spec_gives() -> None:
    declared = answer_schema(
        "NotedOut", "id count:int reason?", notes={"count": "counted from 1", "reason": "why"}
    )().fields
    assert isinstance(declared["count"], fields.Integer)
    assert declared["count"].metadata == {"description": "counted from 1"}
    assert declared["reason"].allow_none
    assert declared["reason"].metadata == {"description": "why"}
    assert declared["id"].metadata == {}


def test_a_note_the_spec_does_not_list_is_refused() -> None:
    with pytest.raises(TypeError, match="forgotten"):
        answer_schema("ForgetfulOut", "id", notes={"forgotten": "never listed"})


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        answer_schema("OddOut", "id count:integer")


def test_an_answer_extends_its_base_after_the_base_fields() -> None:
    summary = answer_schema("SummaryOut", "id name")
    full = answer_schema("FullOut", "secret", base=summary)
    assert issubclass(full, summary)
    assert issubclass(summary, Schema)
    assert list(full().fields) == ["id", "name", "secret"]
