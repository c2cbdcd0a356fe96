"""Errors as ``application/problem+json`` (RFC 9457), naming the field and the reason.

Every error a client can cause answers with::

    {"type": "https://chancery.example.org/problems/validation", "title": "...",
     "status": 422, "detail": "...", "errors": [{"field": "sender.email",
     "location": "json", "reason": "Not a valid email address."}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Response, json

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://chancery.example.org/problems/"


class Problem(Exception):
    """An error to answer with a problem document; raise it from use cases' adapters."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        errors: list[dict[str, str]] | None = None,
        kind: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.kind = kind or _default_kind(status)
        self.headers = dict(headers or {})

    def to_response(self) -> Response:
        """The Flask response for this problem."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.kind,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = self.errors
        response = Response(
            json.dumps(body, ensure_ascii=False), status=self.status, mimetype=PROBLEM_JSON
        )
        response.headers.update(self.headers)
        return response


def field_error(field: str, reason: str, location: str = "json") -> dict[str, str]:
    """One entry of a problem's ``errors`` list."""
    return {"field": field, "location": location, "reason": reason}


def validation_problem(
    messages: Mapping[str, Any],
    location: str = "json",
    detail: str = "The request has invalid fields.",
) -> Problem:
    """A 422 problem from marshmallow's nested error messages."""
    errors = [field_error(field, reason, location) for field, reason in flatten(messages)]
    return Problem(422, "Invalid request", detail, errors, kind="validation")


def flatten(messages: Any, prefix: str = "") -> Iterable[tuple[str, str]]:
    """Turn marshmallow's nested messages into (dotted field path, reason) pairs."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield from flatten(value, path)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield prefix or "_schema", message
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            yield from flatten(value, f"{prefix}[{index}]")
    else:
        yield prefix or "_schema", str(messages)


def _default_kind(status: int) -> str:
    return {
        400: "bad-request",
        401: "unauthorized",
        403: "forbidden",
        404: "not-found",
        405: "method-not-allowed",
        409: "conflict",
        412: "precondition-failed",
        413: "payload-too-large",
        415: "unsupported-media-type",
        422: "validation",
        428: "precondition-required",
        429: "too-many-requests",
        500: "internal-error",
        503: "unavailable",
    }.get(status, "error")
