"""The answers foreign relations' views share: a versioned row, a created one, a key, a
decision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Response, g
from marshmallow import Schema

from chancery.http import idempotent_request, if_match, stored_response, versioned_json
from chancery.http.paging import answer_page, page_request
from chancery.http.security import principal
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.principal import Principal


def versioned_row(schema: Schema, row: Any, status: int = 200) -> Response:
    """``row`` dumped by ``schema``, with its version as the ETag."""
    return versioned_json(schema.dump(row), row.version, status)


def idempotent(operation: str) -> IdempotentRequest | None:
    """The request's Idempotency-Key for ``operation``, scoped to the caller."""
    return idempotent_request(f"{principal().subject}:{operation}")


def created(schema: Schema, location: str) -> Callable[[Any], StoredResponse]:
    """A ``respond`` callback: the 201 answer for a created row, stored with its key."""

    def respond(row: Any) -> StoredResponse:
        return StoredResponse(
            201, schema.dump(row), {"Location": f"{location}/{row.id}", "ETag": f'"{row.version}"'}
        )

    return respond


Creation = Callable[
    [dict[str, Any], IdempotentRequest | None, Callable[[Any], StoredResponse]], StoredResponse
]
"""A use case's ``create(data, idempotent, respond)``: the stored answer of a new record."""


def created_once(
    create: Creation, data: dict[str, Any], schema: Schema, collection: str
) -> Response:
    """The 201 answer of ``POST <collection>``: ``create``'s, stored under the Idempotency-Key.

    A request repeated with the same key gets the stored answer again, not a second record.
    """
    return stored_response(
        create(data, idempotent(f"POST {collection}"), created(schema, collection))
    )


def listed_page(rows: Callable[..., Sequence[Any]], query: dict[str, Any]) -> Any:
    """A page of ``rows(**filters)``: the paging arguments are first taken out of ``query``,
    what is left are the list's filters."""
    asked = page_request(query)
    return answer_page(rows(**query), asked)


Decision = Callable[[str, str, str | None, Principal, str, int | None], Any]
"""A use case's ``decide(id, status, note, principal, correlation_id, expected_version)``."""


def decided(
    schema: Schema, decide: Decision, row_id: Any, status: str, data: dict[str, Any]
) -> Response:
    """The answer of an approve/decline action: ``decide``'s row with its version, the
    decision taken with the body's note, the caller, the correlation and the If-Match."""
    return versioned_row(
        schema, decide(str(row_id), status, data["note"], principal(), g.correlation_id, if_match())
    )
