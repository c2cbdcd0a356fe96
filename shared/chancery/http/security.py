"""The bearer-token guard for views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request

from chancery.auth import AuthError, TokenVerifier
from chancery.http.openapi import ROLES_ATTRIBUTE
from chancery.http.problems import Problem
from chancery.principal import Principal

View = TypeVar("View", bound=Callable[..., Any])


def require(*roles: str) -> Callable[[View], View]:
    """Allow the view only with a valid bearer token holding one of ``roles``.

    The verified :class:`Principal` is available as :func:`principal`.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            g.principal = authenticate()
            if roles and not g.principal.has_any(*roles):
                raise Problem(403, "Forbidden", f"This needs one of the roles: {', '.join(roles)}.")
            return view(*args, **kwargs)

        # The OpenAPI document reads them (chancery.http.openapi), so "who may call" never drifts.
        setattr(guarded, ROLES_ATTRIBUTE, roles)
        doc = getattr(guarded, "_apidoc", {})
        doc.setdefault("manual_doc", {})["security"] = [{"bearerAuth": []}]
        guarded._apidoc = doc  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def authenticate() -> Principal:
    """The principal of the request's bearer token, or a 401 problem."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            "Unauthorized",
            "A bearer token is required.",
            headers={"WWW-Authenticate": 'Bearer realm="chancery"'},
        )
    try:
        verifier: TokenVerifier = current_app.extensions["chancery.verifier"]
        return verifier.verify(token.strip())
    except AuthError as exc:
        raise Problem(
            exc.status,
            "Unauthorized",
            exc.detail,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from exc


def principal() -> Principal:
    """The authenticated principal of the current request."""
    found: Principal = g.principal
    return found
