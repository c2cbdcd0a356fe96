"""Tests for the edge: request schemas (chancery.validation), JSON bodies (chancery.http)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_smorest import Blueprint
from marshmallow import ValidationError, fields

from chancery.http.problems import PROBLEM_JSON
from chancery.validation import (
    MAX_JSON_DEPTH,
    BoundedInt,
    PlausibleDate,
    PlausibleDateTime,
    StrictSchema,
    Text,
    UpdateSchema,
    json_depth,
)
from chancery_testing import blueprint_app


class LetterIn(StrictSchema):
    subject = fields.String(required=True)
    summary = Text(max_length=1000, single_line=False, load_default=None)
    names = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    copies = fields.List(fields.String(), load_default=list)
    count = fields.Integer(load_default=0)
    amount = fields.Decimal(load_default=None)
    received_at = PlausibleDateTime(max_future=timedelta(minutes=5), load_default=None)
    day = fields.Date(load_default=None)
    event_day = PlausibleDate(within_years=10, load_default=None)
    offset = BoundedInt(minimum=0, maximum=1_000_000, load_default=0)


class PreferenceIn(UpdateSchema):
    language = fields.String(load_default=None)
    opted_out = fields.List(fields.String(), load_default=list)


def _errors(schema: StrictSchema, data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        schema.load(data)
    return refused.value.messages


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Dėl gatvės\napšvietimo"),
        ("subject", "Tab\tin a line"),
        ("subject", "NUL\x00"),
        ("subject", "ESC\x1b[2J"),
        ("subject", "C1\x85"),
        ("subject", "line\u2028separator"),
        ("subject", "lone \ud800 surrogate"),
        ("summary", "carriage\rreturn"),
        ("summary", "bell\x07"),
        ("summary", "NUL\x00"),
        ("summary", "lone \udfff"),
        ("subject", "ž" * 10_001),
    ],
)
def test_text_with_what_makes_no_sense_is_refused_naming_the_field(field, value):
    body = {"subject": "Skundas", field: value}
    assert field in _errors(LetterIn(), body)


def test_inner_fields_of_lists_and_mappings_get_the_rules_too():
    messages = _errors(
        LetterIn(), {"subject": "Skundas", "names": {"lt": "a\nb"}, "copies": ["EDU", "x\x00"]}
    )
    assert set(messages) == {"names", "copies"}


def test_multi_line_text_keeps_line_feeds_tabs_and_every_script():
    text = "Gerbiami,\n\tdėkojame.\nმადლობა — Faleminderit — Paldies 😀"
    loaded = LetterIn().load({"subject": "ნინო ბერიძე — Šiauliai", "summary": text})
    assert loaded["summary"] == text
    assert loaded["subject"] == "ნინო ბერიძე — Šiauliai"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("count", 2**63),
        ("count", -(2**63)),
        ("offset", 2**63),
        ("offset", -1),
        ("offset", 1_000_001),
        ("amount", "1e400"),
        ("amount", "-99999999999999"),
    ],
)
def test_numbers_out_of_bounds_are_refused(field, value):
    assert field in _errors(LetterIn(), {"subject": "Skundas", field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("received_at", "0001-01-01T00:00:00+05:00"),
        ("received_at", "0450-07-24T10:00:00+02:00"),
        ("received_at", "9999-12-31T23:59:59-05:00"),
        ("received_at", (datetime.now(UTC) + timedelta(hours=1)).isoformat()),
        ("day", "0001-01-01"),
        ("day", "9999-12-31"),
        ("day", "1899-12-31"),
        ("event_day", (date.today() + timedelta(days=11 * 366)).isoformat()),
        ("event_day", "2000-01-01"),
    ],
)
def test_dates_outside_their_window_are_refused(field, value):
    assert field in _errors(LetterIn(), {"subject": "Skundas", field: value})


def test_dates_inside_their_window_pass():
    now = datetime.now(UTC)
    loaded = LetterIn().load(
        {
            "subject": "Skundas",
            "received_at": now.isoformat(),
            "day": "1990-06-01",
            "event_day": date.today().isoformat(),
        }
    )
    assert loaded["received_at"] == now
    assert loaded["day"] == date(1990, 6, 1)


def test_an_empty_update_is_refused_and_a_partial_one_passes():
    assert _errors(PreferenceIn(), {}) == {
        "body": [
            "an update needs at least one field; an empty body changes nothing and resets nothing"
        ]
    }
    assert PreferenceIn().load({"language": "lt"}) == {"language": "lt", "opted_out": []}


def test_json_depth_counts_brackets_outside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"[[[["') == 0
    assert json_depth(b'{"a": "\\"[[[["}') == 1
    assert json_depth(b"[" * 100_000) == 100_000


# The HTTP base checks every JSON body before a view parses it ------------------------------


def _blueprint() -> Blueprint:
    blp = Blueprint("letters", __name__, url_prefix="/letters")

    @blp.route("", methods=["POST"])
    @blp.arguments(LetterIn)
    @blp.response(200)
    def create(data: dict[str, Any]) -> dict[str, Any]:
        return {"subject": data["subject"]}

    @blp.route("/raw", methods=["POST"])
    @blp.response(200)
    def raw() -> dict[str, Any]:
        return {"ok": True}

    return blp


@pytest.fixture
def client() -> FlaskClient:
    return blueprint_app(_blueprint(), max_request_bytes=2_000_000).test_client()


def _post(client: FlaskClient, path: str, body: bytes) -> Any:
    return client.post(path, data=body, content_type="application/json")


def _problem(response: Any, status: int) -> dict[str, str]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    return {error["field"]: error["reason"] for error in response.get_json()["errors"]}


@pytest.mark.parametrize("path", ["/letters", "/letters/raw"])
def test_100000_nested_brackets_are_a_400_not_a_recursion_error(client, path):
    errors = _problem(_post(client, path, b"[" * 100_000 + b"]" * 100_000), 400)
    assert errors == {"body": f"nested deeper than {MAX_JSON_DEPTH} levels"}


def test_a_body_as_deep_as_allowed_passes_the_check(client):
    levels = MAX_JSON_DEPTH - 2  # inside the body's object and "names"
    body = b'{"subject": "Skundas", "names": {"x": ' + b"[" * levels + b"]" * levels + b"}}"
    assert json_depth(body) == MAX_JSON_DEPTH
    response = _post(client, "/letters", body)
    assert response.status_code == 422  # the schema's own answer: names.x is not a string
    assert list(_problem(response, 422)) == ["names.x.value"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"subject": "Skundas \\ud800"}', "subject"),
        (b'{"subject": "Skundas", "names": {"lt": "NUL\\u0000"}}', "names.lt"),
        (b'{"subject": "ok", "copies": ["a", "\\udc00"]}', "copies[1]"),
    ],
)
def test_unstorable_text_is_a_422_naming_its_path_on_every_endpoint(client, body, field):
    for path in ("/letters", "/letters/raw"):
        assert field in _problem(_post(client, path, body), 422)


def test_a_key_with_a_lone_surrogate_is_refused(client):
    errors = _problem(_post(client, "/letters/raw", b'{"a": {"\\ud800": 1}}'), 422)
    assert errors == {"a": "a key contains a lone surrogate (U+D800) at position 0"}


def test_an_integer_of_too_many_digits_is_a_400_not_a_500(client):
    errors = _problem(_post(client, "/letters/raw", b'{"n": ' + b"9" * 5000 + b"}"), 400)
    assert errors["body"].startswith("not valid JSON")


def test_emoji_written_as_a_surrogate_pair_is_text(client):
    response = _post(client, "/letters", b'{"subject": "Skundas \\ud83d\\ude00"}')
    assert response.status_code == 200
    assert response.get_json() == {"subject": "Skundas 😀"}


def test_the_rules_stay_on_the_request_schema_and_never_pile_up():
    from chancery.messages.contracts.notifications import RecipientSchema

    class StrictRecipient(RecipientSchema, StrictSchema):
        pass

    for _ in range(3):
        StrictRecipient()
        LetterIn()
    assert RecipientSchema().load({"name": "Ona\nŽemaitytė"}).name == "Ona\nŽemaitytė"
    assert "name" in _errors(StrictRecipient(), {"name": "Ona\nŽemaitytė"})
    subject = LetterIn().fields["subject"]
    assert [type(rule).__name__ for rule in subject.validators] == ["CleanText", "Length"]
    keys = LetterIn().fields["names"].key_field
    assert [type(rule).__name__ for rule in keys.validators] == ["CleanText", "Length"]
    assert LetterIn._declared_fields["subject"].validators == []
