"""Idempotency keys: a retried POST returns the first result and changes nothing.

The use case looks the key up inside its transaction, and stores the
response it produced in the same transaction as the change, so a crash
can never leave a change without its remembered response or the reverse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.db import UnitOfWork
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


def find_response(
    session: Session, table: Table, request: IdempotentRequest
) -> StoredResponse | None:
    """The stored response for this key, or None; a different body with the same key is refused."""
    row = session.execute(
        select(table).where(table.c.scope == request.scope, table.c.key == request.key)
    ).first()
    if row is None:
        return None
    if row.request_hash != request.fingerprint:
        raise InvalidInput(
            "This Idempotency-Key was used with a different request body.",
            field="Idempotency-Key",
            reason="reused with a different body",
        )
    return StoredResponse(
        status=row.status_code, body=row.response, headers=row.headers, replayed=True
    )


def remember_response(
    session: Session, table: Table, request: IdempotentRequest, response: StoredResponse
) -> None:
    """Store ``response`` for the key in the caller's transaction."""
    session.execute(
        insert(table).values(
            scope=request.scope,
            key=request.key,
            request_hash=request.fingerprint,
            status_code=response.status,
            response=response.body,
            headers=response.headers,
            created_at=utcnow(),
        )
    )


def create_once(
    unit_of_work: Callable[[], UnitOfWork],
    request: IdempotentRequest | None,
    make: Callable[[UnitOfWork], Any],
    respond: Callable[[Any], StoredResponse],
) -> StoredResponse:
    """Run ``make`` and answer with ``respond`` once per idempotency key, in one transaction.

    A repeated request returns the first answer and changes nothing. When a
    concurrent request with the same key commits first, its answer is
    returned; any other IntegrityError (a unique rule of the caller's own
    tables) is raised for the caller to explain.
    """
    try:
        with unit_of_work() as uow:
            if request and (stored := find_response(uow.session, uow.tables.idempotency, request)):
                return stored
            response = respond(make(uow))
            if request is not None:
                remember_response(uow.session, uow.tables.idempotency, request, response)
            uow.commit()
            return response
    except IntegrityError:
        if request is None:
            raise
        with unit_of_work() as uow:
            stored = find_response(uow.session, uow.tables.idempotency, request)
        if stored is None:
            raise
        return stored
