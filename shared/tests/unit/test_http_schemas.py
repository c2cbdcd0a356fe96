"""The shared pieces of the services' HTTP schemas: periods, ids, optional fields, versions."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pytest
from marshmallow import ValidationError, fields

from chancery.errors import PreconditionFailed, check_version
from chancery.http.openapi import idempotency_key
from chancery.http.schemas import (
    COUNTRY,
    Id,
    PeriodQuery,
    ReportPeriodQuery,
    any_of_given,
    optional,
    required_list,
    short_text,
)
from chancery.validation import StrictSchema


class TenYears(PeriodQuery):
    MAX_YEARS: ClassVar[int | None] = 10


class Contact(StrictSchema):
    id = Id(required=True)
    role = optional(short_text)
    country = optional(short_text, validate=COUNTRY)


def _refusal(schema: Any, data: dict[str, Any]) -> Any:
    with pytest.raises(ValidationError) as refused:
        schema.load(data)
    return refused.value.messages


def test_a_period_is_read_from_from_and_to_and_its_end_is_not_before_its_start() -> None:
    assert PeriodQuery().load({"from": "2026-01-01", "to": "2026-01-01"}) == {
        "start": date(2026, 1, 1),
        "end": date(2026, 1, 1),
    }
    assert _refusal(PeriodQuery(), {"from": "2026-02-01", "to": "2026-01-31"}) == {
        "to": ["must not be before 'from'"]
    }


def test_a_period_spans_at_most_its_years_when_it_says_so() -> None:
    assert PeriodQuery().load({"from": "2000-01-01", "to": "2030-01-01"})["end"].year == 2030
    assert TenYears().load({"from": "2016-01-01", "to": "2026-01-01"})["end"].year == 2026
    assert _refusal(TenYears(), {"from": "2016-01-01", "to": "2026-01-31"}) == {
        "to": ["a period is at most 10 years"]
    }


def test_a_report_period_is_a_page_or_a_csv() -> None:
    loaded = ReportPeriodQuery().load({"from": "2026-01-01", "to": "2026-03-31"})
    assert loaded["format"] == "json"
    assert loaded["limit"] > 0
    assert "format" in _refusal(
        ReportPeriodQuery(), {"from": "2026-01-01", "to": "2026-03-31", "format": "xml"}
    )


def test_ids_load_as_text_and_optional_fields_as_none() -> None:
    loaded = Contact().load({"id": "0b0e6c1e-6f1a-4c8e-9d6e-1f2a3b4c5d6e"})
    assert loaded == {"id": "0b0e6c1e-6f1a-4c8e-9d6e-1f2a3b4c5d6e", "role": None, "country": None}
    assert set(_refusal(Contact(), {"id": "x", "role": "", "country": "lv"})) == {
        "id",
        "role",
        "country",
    }


def test_a_stale_version_is_refused_and_none_applies_to_the_current_one() -> None:
    check_version("letter", 3, 3)
    check_version("letter", 3, None)
    with pytest.raises(PreconditionFailed) as refused:
        check_version("letter", 4, 3)
    assert (refused.value.field, refused.value.reason) == ("If-Match", "stale version")
    assert "version 4, not 3" in refused.value.detail


def test_the_idempotency_key_is_documented_as_a_header_of_at_most_200_characters() -> None:
    [parameter] = idempotency_key("books nothing new", required=True)["parameters"]
    assert parameter["in"] == "header"
    assert parameter["name"] == "Idempotency-Key"
    assert parameter["required"] is True
    assert parameter["schema"]["maxLength"] == 200
    assert parameter["description"].endswith("books nothing new.")


class Roster(StrictSchema):
    names = required_list(fields.String(), "who is on it", at_least=1, at_most=2)


def test_a_required_list_is_bounded_and_described() -> None:
    assert Roster().load({"names": ["a", "b"]}) == {"names": ["a", "b"]}
    for given in ({}, {"names": []}, {"names": ["a", "b", "c"]}):
        with pytest.raises(ValidationError) as refused:
            Roster().load(given)
        assert "names" in refused.value.messages
    assert Roster().fields["names"].metadata == {"description": "who is on it"}


def test_any_of_given_states_one_alternative_per_field_in_order() -> None:
    assert any_of_given({"email": "By e-mail", "phone": "By phone"}) == {
        "anyOf": [
            {
                "title": "By e-mail",
                "required": ["email"],
                "properties": {"email": {"type": "string"}},
            },
            {
                "title": "By phone",
                "required": ["phone"],
                "properties": {"phone": {"type": "string"}},
            },
        ]
    }
