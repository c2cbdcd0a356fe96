"""Idempotency keys: a retried POST returns the first result and changes nothing.

The use case looks the key up inside its transaction, and stores the
response it produced in the same transaction as the change, so a crash
can never leave a change without its remembered response or the reverse.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from chancery.db import utcnow
from chancery.errors import InvalidInput


@dataclass(frozen=True)
class IdempotentRequest:
    """A request carrying an ``Idempotency-Key``: who sent it, the key and the body's digest."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class StoredResponse:
    """The answer given to the first request with a key."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False


def fingerprint(document: Any) -> str:
    """A digest of a JSON-able request body, independent of key order."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def find_response(session: Session, table: Table, request: IdempotentRequest
                  ) -> StoredResponse | None:
    """The stored response for this key, or None; a different body with the same key is refused."""
    row = session.execute(select(table).where(table.c.scope == request.scope,
                                              table.c.key == request.key)).first()
    if row is None:
        return None
    if row.request_hash != request.fingerprint:
        raise InvalidInput("This Idempotency-Key was used with a different request body.",
                           field="Idempotency-Key", reason="reused with a different body")
    return StoredResponse(status=row.status_code, body=row.response, headers=row.headers,
                          replayed=True)


def remember_response(session: Session, table: Table, request: IdempotentRequest,
                      response: StoredResponse) -> None:
    """Store ``response`` for the key in the caller's transaction."""
    session.execute(insert(table).values(
        scope=request.scope, key=request.key, request_hash=request.fingerprint,
        status_code=response.status, response=response.body, headers=response.headers,
        created_at=utcnow()))
