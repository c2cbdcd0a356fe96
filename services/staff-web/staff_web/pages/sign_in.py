"""Signing in: OpenID Connect (authorization code with PKCE), the development sign-in, out."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_client import OAuth
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from chancery.auth import issue_token
from staff_web import municipality, security
from staff_web.config import StaffWebSettings
from staff_web.identity import Person, demo_people, person_from_claims

blueprint = Blueprint("sign_in", __name__)
DEV_TOKEN_HOURS = 8


def register(app: Flask, settings: StaffWebSettings) -> None:
    """The sign-in pages, with the provider registered when one is configured."""
    if settings.oidc is not None:
        oauth = OAuth(app)
        oauth.register(
            "provider",
            client_id=settings.oidc.client_id,
            client_secret=settings.oidc.client_secret,
            server_metadata_url=settings.oidc.metadata_url,
            client_kwargs={"scope": settings.oidc.scopes, "code_challenge_method": "S256"},
        )
        app.extensions["staff_web.oauth"] = oauth
    app.register_blueprint(blueprint)


def _settings() -> StaffWebSettings:
    return current_app.extensions["staff_web.settings"]


def _next_page() -> str:
    target = request.values.get("next") or session.get("next") or url_for("registry.home")
    parts = urlsplit(target)
    # Only a path on this site: never an open redirect ("//host" and "/\\host" are hosts).
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return url_for("registry.home")
    return target


@blueprint.get("/sign-in")
def page() -> str:
    """The sign-in page: the provider's button, and in development the demo people."""
    settings = _settings()
    profile = municipality.profile()
    people = demo_people([d.code for d in profile.departments]) if settings.dev_sign_in else []
    session["next"] = _next_page()
    return render_template(
        "sign_in.html",
        oidc=settings.oidc is not None,
        people=people,
        expired=g.get("session_expired") or request.args.get("expired") == "1",
    )


@blueprint.get("/sign-in/provider")
def provider() -> Any:
    """Off to the identity provider (state, nonce and the PKCE verifier kept in the session)."""
    oauth = current_app.extensions.get("staff_web.oauth")
    if oauth is None:
        abort(404)
    return oauth.provider.authorize_redirect(url_for("sign_in.callback", _external=True))


@blueprint.get("/sign-in/callback")
def callback() -> Any:
    """Back from the provider: exchange the code, map the claims, start the session."""
    oauth, oidc = current_app.extensions.get("staff_web.oauth"), _settings().oidc
    if oauth is None or oidc is None:
        abort(404)
    target = _next_page()
    try:
        token = oauth.provider.authorize_access_token()
    except Exception as exc:  # Authlib raises its own errors for state, nonce and the exchange
        current_app.logger.warning("sign-in failed: %s", exc)
        abort(400, description="sign-in failed")
    claims = token.get("userinfo") or {}
    person = person_from_claims(claims, oidc)
    expires_at = float(token.get("expires_at") or time.time() + 300)
    security.sign_in(person, token["access_token"], expires_at)
    return redirect(target)


@blueprint.post("/sign-in/dev")
def dev() -> Any:
    """Development only: sign in as a demo person with a token the services' dev secret signs."""
    settings = _settings()
    if not settings.dev_sign_in:
        abort(404)
    profile = municipality.profile()
    chosen = {p.key: p for p in demo_people([d.code for d in profile.departments])}.get(
        request.form.get("person", "")
    )
    if chosen is None:
        abort(400, description="person")
    token = issue_token(
        settings.dev_jwt_secret,
        list(chosen.roles),
        chosen.department,
        subject=f"demo-{chosen.key}",
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=timedelta(hours=DEV_TOKEN_HOURS),
    )
    person = Person(f"demo-{chosen.key}", chosen.key, frozenset(chosen.roles), chosen.department)
    security.sign_in(person, token, time.time() + DEV_TOKEN_HOURS * 3600)
    return redirect(_next_page())


@blueprint.post("/sign-out")
def sign_out() -> Any:
    """End the session."""
    security.sign_out()
    return redirect(url_for("sign_in.page"))
