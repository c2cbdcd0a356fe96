"""Errors use cases raise; the HTTP base turns them into problem+json.

They keep the core free of Flask: a use case says *what* is wrong, the
adapter decides the status code.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a client can cause."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, field: str | None = None, reason: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.reason = reason or detail


class InvalidInput(DomainError):
    """A field's value breaks a rule the schema could not check (422)."""

    status = 422
    title = "Invalid request"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know it exists (404)."""

    status = 404
    title = "Not found"


class Forbidden(DomainError):
    """The caller is known but may not do this (403)."""

    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The request conflicts with the current state, e.g. an impossible transition (409)."""

    status = 409
    title = "Conflict"


class PreconditionFailed(DomainError):
    """``If-Match`` named a version that is no longer current (412)."""

    status = 412
    title = "Precondition failed"


def check_version(what: str, current: int, expected: int | None) -> None:
    """Refuse a change made from a stale read: 412 when ``If-Match`` named another version.

    ``expected`` is the version the client's ``If-Match`` named (None when it
    sent none, and the change applies to the current version); ``what`` names
    the record in the answer, e.g. ``"letter"``.
    """
    if expected is not None and current != expected:
        raise PreconditionFailed(
            f"The {what} changed meanwhile (version {current}, not {expected}); read it again.",
            field="If-Match",
            reason="stale version",
        )


class TooManyRequests(DomainError):
    """Slow down; ``retry_after`` seconds (429)."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
