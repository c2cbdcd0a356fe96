"""Tests for chancery.messages.envelope: the JSON body every message travels in."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from chancery.messages.envelope import Envelope, InvalidMessage, routing_key

PEOPLE = {
    "lt": "Ona Žemaitytė, Šiaulių g. 7, Alytus",
    "lv": "Jānis Bērziņš, Ķīšezera iela 3, Daugavpils",
    "ka": "ნინო ბერიძე, ლაგოდეხი",
    "sq": "Arbër Hoxha, Rruga Çamëria, Vlorë",
}


def _envelope(**changes: object) -> Envelope:
    fields = {
        "type": "letter.registered",
        "version": 1,
        "producer": "intake",
        "payload": {"senders": PEOPLE, "subject": "Prašymas dėl gatvės apšvietimo"},
        "correlation_id": str(uuid.uuid4()),
        "causation_id": str(uuid.uuid4()),
        "occurred_at": datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return Envelope(**fields)  # type: ignore[arg-type]


def _document(**changes: object) -> dict:
    document = json.loads(_envelope().to_json())
    document.update(changes)
    return document


def _body(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def test_round_trip_keeps_every_field() -> None:
    original = _envelope()
    parsed = Envelope.from_json(original.to_json().encode("utf-8"))
    assert parsed == original


def test_round_trip_keeps_unicode_text_byte_for_byte() -> None:
    parsed = Envelope.from_json(_envelope().to_json().encode("utf-8"))
    for language, text in PEOPLE.items():
        assert parsed.payload["senders"][language].encode("utf-8") == text.encode("utf-8")
    assert parsed.payload["subject"] == "Prašymas dėl gatvės apšvietimo"


def test_body_contains_raw_utf8_not_escapes() -> None:
    body = _envelope().to_json().encode("utf-8")
    assert "ნინო ბერიძე".encode() in body
    assert "Jānis Bērziņš".encode() in body
    assert "Arbër Hoxha".encode() in body
    assert b"\\u" not in body


def test_from_json_accepts_text_as_well_as_bytes() -> None:
    original = _envelope()
    assert Envelope.from_json(original.to_json()) == original


def test_round_trip_keeps_missing_causation_as_none() -> None:
    original = _envelope(causation_id=None)
    assert Envelope.from_json(original.to_json()).causation_id is None


def test_new_envelopes_get_distinct_ids_and_aware_times() -> None:
    first = Envelope(
        type="letter.routed", version=1, producer="routing", payload={}, correlation_id="c"
    )
    second = Envelope(
        type="letter.routed", version=1, producer="routing", payload={}, correlation_id="c"
    )
    assert first.message_id != second.message_id
    assert uuid.UUID(first.message_id).version == 4
    assert first.occurred_at.utcoffset() is not None


def test_routing_key_is_type_and_version() -> None:
    assert _envelope().routing_key == "letter.registered.v1"
    assert _envelope(type="letter.status_changed", version=3).routing_key == (
        "letter.status_changed.v3"
    )
    assert routing_key("letter.routed", 2) == "letter.routed.v2"


def test_refuses_bytes_that_are_not_utf8() -> None:
    body = b'{"type": "letter.registered", "producer": "\xc5\xa0iauli\xc5"}'
    with pytest.raises(InvalidMessage, match="not UTF-8"):
        Envelope.from_json(body)


def test_refuses_utf16_encoded_json() -> None:
    body = _envelope().to_json().encode("utf-16")
    with pytest.raises(InvalidMessage, match="not UTF-8"):
        Envelope.from_json(body)


def test_refuses_non_json() -> None:
    with pytest.raises(InvalidMessage, match="not UTF-8 JSON: Expecting value"):
        Envelope.from_json(b"Labdien, Jani!")


def test_refuses_a_json_array() -> None:
    with pytest.raises(InvalidMessage, match="not a JSON object"):
        Envelope.from_json(_body([_document()]))  # type: ignore[arg-type]


def test_refuses_missing_message_id() -> None:
    document = _document()
    del document["message_id"]
    with pytest.raises(InvalidMessage, match=r"message_id.*Missing data for required field"):
        Envelope.from_json(_body(document))


def test_refuses_a_message_id_that_is_not_a_uuid() -> None:
    with pytest.raises(InvalidMessage, match=r"message_id.*Not a valid UUID"):
        Envelope.from_json(_body(_document(message_id="ona-1")))


@pytest.mark.parametrize(
    "bad_type",
    ["Letter.Registered", "letter", "letter.registered.v1", "letter-registered.x", "ვერცერთი.ტიპი"],
)
def test_refuses_a_type_not_matching_the_pattern(bad_type: str) -> None:
    with pytest.raises(InvalidMessage, match=r"'type'.*does not match expected pattern"):
        Envelope.from_json(_body(_document(type=bad_type)))


def test_refuses_version_zero() -> None:
    with pytest.raises(InvalidMessage, match=r"'version'.*greater than or equal to 1"):
        Envelope.from_json(_body(_document(version=0)))


def test_refuses_version_as_text() -> None:
    with pytest.raises(InvalidMessage, match=r"'version'.*Not a valid integer"):
        Envelope.from_json(_body(_document(version="1")))


def test_refuses_a_naive_occurred_at() -> None:
    with pytest.raises(InvalidMessage, match=r"'occurred_at'.*Not a valid aware datetime"):
        Envelope.from_json(_body(_document(occurred_at="2026-11-22T10:00:00")))


def test_refuses_an_unknown_envelope_field() -> None:
    with pytest.raises(InvalidMessage, match=r"'traceparent'.*Unknown field"):
        Envelope.from_json(_body(_document(traceparent="00-abc-def-01")))


def test_refuses_a_payload_that_is_not_an_object() -> None:
    with pytest.raises(InvalidMessage, match=r"'payload'.*Not a valid mapping"):
        Envelope.from_json(_body(_document(payload=["Arbër Hoxha"])))
