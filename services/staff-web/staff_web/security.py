"""Sessions, CSRF and the sign-in guard.

The session is Flask's signed cookie (HttpOnly, SameSite=Lax, Secure unless
configured off): it holds the person, their bearer token for the services,
the CSRF token and when they were last active. After ``idle_minutes``
without a request, or when the token expires, the session is dropped and
the person signs in again.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from staff_web.api_client import ApiClient
from staff_web.identity import Person

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# How stale "last seen" may grow before a request writes it again. A request writes the
# session cookie only when it changes something: a browser's requests overlap (a page, its
# favicon), and a response carrying the session as it was read would undo what an
# overlapping one changed, such as the language just chosen.
LAST_SEEN_PRECISION_SECONDS = 30
# No personal link's token the services give is longer.
LINK_TOKEN_LIMIT = 100


def csrf_token() -> str:
    """The session's CSRF token (created on first use); every form carries it."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _check_csrf() -> None:
    if request.method in SAFE_METHODS or request.endpoint in ("static", None):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
    expected = session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        abort(400, description="csrf")


def sign_in(person: Person, token: str, expires_at: float) -> None:
    """Start a fresh session for ``person`` (a new CSRF token, nothing kept from before)."""
    language = session.get("lang")
    session.clear()
    session.update(
        person=person.to_session(),
        token=token,
        token_exp=expires_at,
        last_seen=time.time(),
        csrf=secrets.token_urlsafe(32),
    )
    if language:
        session["lang"] = language
    session.permanent = True


def sign_out() -> None:
    """Forget the person (the language choice stays)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _load_person() -> None:
    g.person = None
    if request.endpoint == "static":
        return
    data = session.get("person")
    if not data:
        return
    now = time.time()
    idle = current_app.config["STAFF_WEB_IDLE_SECONDS"]
    if now - session.get("last_seen", 0) > idle or now >= session.get("token_exp", 0):
        sign_out()
        g.session_expired = True
        return
    # An address no page answers (a browser's own /favicon.ico) is no sign of activity.
    stale = now - session.get("last_seen", 0) >= LAST_SEEN_PRECISION_SECONDS
    if stale and request.endpoint is not None:
        session["last_seen"] = now
    g.person = Person.from_session(data)


def current_person() -> Person | None:
    """The signed-in person of this request, if any."""
    return g.get("person")


def holds_any(*roles: str) -> bool:
    """Whether this request's person holds one of ``roles`` (no one signed in: no)."""
    person = current_person()
    return person is not None and person.has_any(*roles)


def signed_in_person() -> Person:
    """The signed-in person of a view behind :func:`signed_in` (403 in a view without it)."""
    person = current_person()
    if person is None:
        abort(403)
    return person


def api() -> ApiClient:
    """An API client carrying the signed-in person's token (none on public pages)."""
    factory = current_app.extensions["staff_web.api"]
    return factory(session.get("token") if g.get("person") else None)


def signed_in(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Serve the view only to a signed-in person holding one of ``roles`` (any, if none)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            person = current_person()
            if person is None:
                expired: dict[str, Any] = {"expired": "1"} if g.get("session_expired") else {}
                return redirect(
                    url_for("sign_in.page", next=request.full_path.rstrip("?"), **expired)
                )
            if roles and not person.has_any(*roles):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def link_token(token: str) -> str:
    """A personal link's token (an invitation to answer, a booking) as the address carries
    it; a longer one than any the services give is not found, without asking them."""
    if len(token) > LINK_TOKEN_LIMIT:
        abort(404)
    return token


def install(app: Flask, idle_minutes: int, secure_cookies: bool) -> None:
    """Session cookie settings, the CSRF check and the person loader for ``app``."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="chancery",
        PERMANENT_SESSION_LIFETIME=idle_minutes * 60,
        SESSION_REFRESH_EACH_REQUEST=False,
        STAFF_WEB_IDLE_SECONDS=idle_minutes * 60,
    )
    app.before_request(_load_person)
    app.before_request(_check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_person"] = current_person

    @app.after_request
    def _headers(response: Any) -> Any:
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'self'; frame-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if g.get("person") is not None:
            response.headers["Cache-Control"] = "no-store"
        return response
