"""The one place that wires the staff web app together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import requests
from flask import Flask, redirect, render_template, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from chancery.logs import configure_logging
from chancery.metrics import expose_metrics
from chancery.profiles.loading import load_profile
from staff_web import formats, i18n, security
from staff_web.api_client import ApiClient, ApiError
from staff_web.config import SERVICE, StaffWebSettings, load_settings
from staff_web.pages import (
    desk,
    endorsements,
    foreign_desk,
    letters,
    mayor,
    notices,
    operator,
    people,
    protocol_book,
    protocol_desk,
    public,
    public_invitations,
    public_receptions,
    receptions,
    records,
    registry,
    replies,
    sign_in,
    statistics,
    triage,
)
from staff_web.precedence_reasons import place_reason
from staff_web.vocabulary_labels import label


def create_app(settings: StaffWebSettings) -> Flask:
    """The staff web app; with ``public_only`` just the citizen's pages and the probes."""
    app = Flask(__name__)
    if settings.trusted_proxies:
        # The client's address, scheme and host as the nearest trusted proxies saw them.
        count = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents this way
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    app.secret_key = settings.session_secret
    # First, so that its timing starts before and its count follows every other hook.
    expose_metrics(app, SERVICE, settings.metrics_multiprocess)
    profile = load_profile(settings.profile)
    http = requests.Session()
    app.extensions["staff_web.settings"] = settings
    app.extensions["staff_web.profile"] = profile
    app.extensions["staff_web.api"] = lambda token: ApiClient(
        settings.service_urls, token, http, settings.api_timeout_seconds
    )
    security.install(app, settings.idle_minutes, settings.secure_cookies)
    i18n.install(app, profile.languages[0], profile.time_zone)
    app.jinja_env.globals["municipality_name"] = lambda lang: (
        profile.names.get(lang) or profile.names.get("en") or next(iter(profile.names.values()))
    )
    app.jinja_env.globals["public_only"] = settings.public_only
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["place_reason"] = place_reason
    app.jinja_env.globals["department_name"] = i18n.department_name
    app.jinja_env.filters.update(
        datetime=formats.local_datetime, date=formats.local_date, number=formats.number
    )
    app.register_blueprint(public.blueprint)
    app.register_blueprint(public_receptions.blueprint)
    app.register_blueprint(public_invitations.blueprint)
    if not settings.public_only:
        sign_in.register(app, settings)
        for blueprint in (
            registry.blueprint,
            protocol_book.blueprint,
            letters.blueprint,
            triage.blueprint,
            statistics.blueprint,
            protocol_desk.blueprint,
            receptions.blueprint,
            foreign_desk.blueprint,
            desk.blueprint,
            endorsements.blueprint,
            mayor.blueprint,
            notices.blueprint,
            replies.blueprint,
            records.blueprint,
            operator.blueprint,
            people.blueprint,
        ):
            app.register_blueprint(blueprint)
    _operations(app, settings, http)
    _errors(app)
    return app


def _operations(app: Flask, settings: StaffWebSettings, http: requests.Session) -> None:
    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": SERVICE}

    @app.get("/readyz")
    def readyz() -> tuple[dict, int]:
        # The app keeps no data; it is ready when intake, which every page needs, answers.
        try:
            http.get(settings.service_urls["intake"] + "/healthz", timeout=2).raise_for_status()
        except requests.RequestException as exc:
            return {"status": "not ready", "intake": str(exc)[:300]}, 503
        return {"status": "ready", "checks": ["intake"]}, 200


def _errors(app: Flask) -> None:
    def page(status: int, reason: str | None = None) -> tuple[str, int]:
        return render_template("error.html", status=status, reason=reason), status

    for status in (400, 403, 404, 405, 413):
        app.register_error_handler(
            status, lambda error, status=status: page(status, getattr(error, "description", None))
        )

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Any:
        if error.status == 401 and "sign_in" in app.blueprints:
            # The service no longer accepts the person's token: sign in again.
            security.sign_out()
            return redirect(url_for("sign_in.page", expired="1"))
        status = error.status if error.status in (403, 404, 409, 412, 422, 429) else 502
        return page(status, error.detail)


def create_web_app() -> Flask:
    """gunicorn's factory for the staff app (``staff_web.bootstrap:create_web_app()``)."""
    settings = load_settings()
    configure_logging(SERVICE, settings.log_level, settings.log_format)
    return create_app(settings)


def create_public_app() -> Flask:
    """gunicorn's factory for the public pages alone (what an internet proxy exposes)."""
    settings = load_settings(public_only=True)
    configure_logging(SERVICE, settings.log_level, settings.log_format)
    return create_app(settings)


def embedded_app(env: Mapping[str, str], service_urls: Sequence[tuple[str, str]]) -> Flask:
    """The staff app of the embedded mode: the services' URLs given, the dev sign-in on."""
    overrides = {f"{name.replace('-', '_').upper()}_URL": url for name, url in service_urls}
    settings = load_settings({"STAFF_WEB_DEV_SIGN_IN": "true", **env, **overrides})
    return create_app(settings)
