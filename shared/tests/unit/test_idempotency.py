"""Tests for idempotency keys: fingerprints and remembered responses on SQLite."""

import re
import uuid

import pytest
from sqlalchemy.orm import Session

from chancery.errors import InvalidInput
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    find_response,
    fingerprint,
    remember_response,
)


def _letter(name: str = "Ona Žemaitytė") -> dict:
    return {
        "subject": "Prašymas dėl Šiaulių gatvės",
        "sender": {"name": name, "type": "person"},
        "kind": "application",
    }


def _request(body: dict, key: str | None = None, scope: str = "registrar:ona") -> IdempotentRequest:
    return IdempotentRequest(
        scope=scope, key=key or str(uuid.uuid4()), fingerprint=fingerprint(body)
    )


def test_fingerprint_ignores_key_order() -> None:
    first = {"kind": "application", "sender": {"type": "person", "name": "Jānis Bērziņš"}}
    second = {"sender": {"name": "Jānis Bērziņš", "type": "person"}, "kind": "application"}
    assert fingerprint(first) == fingerprint(second)


def test_fingerprint_differs_for_different_bodies() -> None:
    assert fingerprint(_letter("Ona Žemaitytė")) != fingerprint(_letter("Ona Zemaityte"))
    assert fingerprint(_letter("ნინო ბერიძე")) != fingerprint(_letter("ნანა ბერიძე"))


def test_fingerprint_is_a_sha256_hex_digest() -> None:
    digest = fingerprint(_letter("Arbër Hoxha"))
    assert re.fullmatch(r"[0-9a-f]{64}", digest)


def test_unknown_key_has_no_stored_response(db) -> None:
    with Session(db.engine) as session:
        assert find_response(session, db.tables.idempotency, _request(_letter())) is None


def test_remembered_response_is_found_as_a_replay(db) -> None:
    request = _request(_letter("Jānis Bērziņš"))
    body = {"registration_number": "IE-2026-00007", "sender": "Jānis Bērziņš"}
    with Session(db.engine) as session:
        remember_response(
            session,
            db.tables.idempotency,
            request,
            StoredResponse(201, body, {"Location": "/letters/7"}),
        )
        session.commit()
    with Session(db.engine) as session:
        stored = find_response(session, db.tables.idempotency, request)
    assert stored == StoredResponse(
        status=201, body=body, headers={"Location": "/letters/7"}, replayed=True
    )


def test_same_key_in_another_scope_is_independent(db) -> None:
    key = str(uuid.uuid4())
    first = _request(_letter(), key=key, scope="registrar:ona")
    with Session(db.engine) as session:
        remember_response(session, db.tables.idempotency, first, StoredResponse(201, {"id": 1}))
        session.commit()
        other = _request(_letter("Arbër Hoxha"), key=key, scope="registrar:arber")
        assert find_response(session, db.tables.idempotency, other) is None


def test_uncommitted_response_is_not_remembered(db) -> None:
    request = _request(_letter())
    with Session(db.engine) as session:
        remember_response(session, db.tables.idempotency, request, StoredResponse(201, {}))
        session.rollback()
    with Session(db.engine) as session:
        assert find_response(session, db.tables.idempotency, request) is None


def test_same_key_with_another_body_is_refused(db) -> None:
    key = str(uuid.uuid4())
    with Session(db.engine) as session:
        remember_response(
            session,
            db.tables.idempotency,
            _request(_letter(), key=key),
            StoredResponse(201, {"id": 1}),
        )
        session.commit()
    changed = _request(_letter("ნინო ბერიძე"), key=key)
    with Session(db.engine) as session, pytest.raises(InvalidInput) as caught:
        find_response(session, db.tables.idempotency, changed)
    assert caught.value.field == "Idempotency-Key"
    assert caught.value.status == 422
    assert caught.value.reason == "reused with a different body"
