"""The HTTP base every service's web process is built on.

:func:`create_app` gives a Flask app with flask-smorest (OpenAPI 3.1 at
``/openapi.json``, Swagger UI at ``/docs`` from installed files), problem+json errors for everything
including 404/405/413/415, ``/healthz``, ``/readyz`` (runs the service's
readiness checks), ``/metrics`` and request metrics
(:func:`chancery.metrics.expose_metrics`), correlation ids, the
bearer-token guard (:func:`chancery.http.security.require`) and the audit of
refused personal-data reads (:mod:`chancery.http.auditing`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from flask_smorest import Api, Blueprint
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from chancery.auth import TokenVerifier
from chancery.config import Settings
from chancery.db import describe_error, is_database_unavailable, new_id
from chancery.errors import DomainError, TooManyRequests
from chancery.http.auditing import record_refused_read
from chancery.http.docs import ASSETS_PATH, SWAGGER_UI_CONFIG, add_docs_assets
from chancery.http.openapi import (
    add_schema_keywords,
    clean_text,
    decimal_as_string,
    dictionary_keys,
    document_operations,
    field_keywords,
    plausible_dates,
    problem_responses,
    sizes_and_times,
    url_as_uri,
)
from chancery.http.problems import Problem, field_error, validation_problem
from chancery.http.times import install_time_zone
from chancery.idempotency import IdempotentRequest, StoredResponse, fingerprint
from chancery.metrics import expose_metrics
from chancery.profiles.loading import load_profile
from chancery.telemetry import instrument_flask
from chancery.validation import MAX_JSON_DEPTH, find_unstorable, json_depth
from chancery.version import announce_build

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], None]
UseCaseT = TypeVar("UseCaseT")
# How long a client is asked to wait when a dependency is down (a restart or fail-over).
RETRY_AFTER_SECONDS = 5
JSON_TYPES = ("application/json",)
ACCEPTS_ATTRIBUTE = "_chancery_accepts"


class ProblemApi(Api):  # type: ignore[misc]  # flask-smorest carries no types
    """flask-smorest's Api with problem+json errors (and ``Allow`` on 405), documented so."""

    def _register_responses(self) -> None:
        # Replaces flask-smorest's ``Error`` (application/json), which no answer ever had.
        for name, response in problem_responses().items():
            self.spec.components.response(name, response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:
        """Turn any HTTP error, including webargs' validation errors, into a problem."""
        data = getattr(error, "data", None) or {}
        if error.code == 422 and "messages" in data:
            messages = data["messages"]
            location, fields = (
                next(iter(messages.items())) if len(messages) == 1 else ("request", messages)
            )
            return validation_problem(fields, location).to_response()
        if error.code == 400 and "JSON" in str(data.get("messages", error.description)):
            return Problem(
                400,
                "Bad Request",
                "The body is not valid JSON.",
                [{"field": "body", "location": "json", "reason": "not valid JSON"}],
            ).to_response()
        headers = {}
        valid_methods = getattr(error, "valid_methods", None)
        if error.code == 405 and valid_methods:
            headers["Allow"] = ", ".join(valid_methods)
        detail = data.get("message") or error.description
        return Problem(error.code or 500, error.name, detail, headers=headers).to_response()


def accepts(*mimetypes: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare which request body types a view takes (default: JSON only)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ACCEPTS_ATTRIBUTE, mimetypes)
        return view

    return mark


def create_app(
    settings: Settings,
    *,
    title: str,
    description: str,
    blueprints: Iterable[Blueprint],
    readiness_checks: Mapping[str, ReadinessCheck],
    verifier: TokenVerifier,
    extensions: Mapping[str, Any] | None = None,
    reported_checks: Mapping[str, ReadinessCheck] | None = None,
) -> Flask:
    """Build a service's Flask app; ``extensions`` land in ``app.extensions`` for views.

    ``/readyz`` answers 503 while any of ``readiness_checks`` fails; the
    ``reported_checks`` are only shown in its answer (``ok`` or ``unreachable``).
    """
    app = Flask(settings.service)
    if settings.trusted_proxy_hops:
        # request.remote_addr becomes the address the trusted proxies saw.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents this way
            app.wsgi_app, x_for=settings.trusted_proxy_hops
        )
    version = announce_build(settings.service)
    app.config.update(
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=ASSETS_PATH,
        OPENAPI_SWAGGER_UI_CONFIG=SWAGGER_UI_CONFIG,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
        },
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["chancery.settings"] = settings
    app.extensions["chancery.verifier"] = verifier
    app.extensions.update(extensions or {})
    install_time_zone(app, load_profile(settings.profile).time_zone)
    api = ProblemApi(app)
    api.ma_plugin.converter.add_attribute_function(decimal_as_string)
    api.ma_plugin.converter.add_attribute_function(dictionary_keys)
    api.ma_plugin.converter.add_attribute_function(url_as_uri)
    api.ma_plugin.converter.add_attribute_function(field_keywords)
    api.ma_plugin.converter.add_attribute_function(clean_text)
    api.ma_plugin.converter.add_attribute_function(plausible_dates)
    api.ma_plugin.converter.add_attribute_function(sizes_and_times)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    document_operations(app, api.spec)
    add_schema_keywords(api.spec, api.ma_plugin.converter)
    _add_operational_routes(app, settings, readiness_checks, reported_checks or {}, version)
    add_docs_assets(app)
    expose_metrics(app, settings.service, settings.metrics_multiprocess)
    _add_hooks(app)
    app.register_error_handler(Problem, lambda problem: problem.to_response())
    app.register_error_handler(DomainError, lambda error: problem_from(error).to_response())
    app.register_error_handler(Exception, _unexpected)
    instrument_flask(app)
    return app


def _add_operational_routes(
    app: Flask,
    settings: Settings,
    checks: Mapping[str, ReadinessCheck],
    reported: Mapping[str, ReadinessCheck],
    version: str,
) -> None:
    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "service": settings.service, "version": version}

    @app.get("/readyz")
    def readyz() -> Any:
        states = {name: _check_state(name, check) for name, check in {**checks, **reported}.items()}
        failing = [name for name in checks if states[name] != "ok"]
        if failing:
            errors = [
                {"field": name, "location": "dependency", "reason": "unreachable"}
                for name in failing
            ]
            raise Problem(
                503,
                "Not ready",
                f"Not ready: {', '.join(failing)} unreachable (details in the log).",
                errors,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return {"status": "ready", "checks": states}


def _check_state(name: str, check: ReadinessCheck) -> str:
    """``ok`` or ``unreachable``; why is logged, never answered (it may name hosts and users)."""
    try:
        check()
    except Exception as exc:
        log.warning("readiness check failed", extra={"check": name, "error": describe_error(exc)})
        return "unreachable"
    return "ok"


def _add_hooks(app: Flask) -> None:
    @app.before_request
    def start() -> None:
        g.correlation_id = (request.headers.get("X-Correlation-ID") or new_id())[:100]
        _check_content_type(app)
        _check_json_body()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return record_refused_read(app, _not_modified(response))


def _not_modified(response: Response) -> Response:
    """A read whose ``If-None-Match`` names the answer's ETag: ``304``, headers kept, no body."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or not request.if_none_match
    ):
        return response
    etag, _ = response.get_etag()
    if etag is None or not request.if_none_match.contains_weak(etag):
        return response
    response.status_code = 304
    response.set_data(b"")
    for header in ("Content-Type", "Content-Length", "Content-Disposition"):
        response.headers.pop(header, None)
    return response


def _check_content_type(app: Flask) -> None:
    if request.method not in ("POST", "PUT", "PATCH") or request.endpoint is None:
        return
    view = app.view_functions.get(request.endpoint)
    allowed = getattr(view, ACCEPTS_ATTRIBUTE, JSON_TYPES)
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype not in allowed:
        raise Problem(
            415,
            "Unsupported Media Type",
            f"Send the body as {' or '.join(allowed)}, not "
            f"{request.mimetype or 'an unnamed type'}.",
            [
                {
                    "field": "Content-Type",
                    "location": "headers",
                    "reason": f"must be {' or '.join(allowed)}",
                }
            ],
        )


def _check_json_body() -> None:
    """Refuse, before any view parses it, a JSON body that is too deep, unparsable or unstorable.

    Lone surrogates and NUL are refused here for every field of every
    service, including free-form ones (template data, rule conditions); the
    schemas then check each field's own rules.
    """
    if (
        request.method not in ("POST", "PUT", "PATCH")
        or request.endpoint is None
        or not request.is_json
    ):
        return
    body = request.get_data(cache=True)
    if not body.strip():
        return
    if json_depth(body) > MAX_JSON_DEPTH:
        raise Problem(
            400,
            "Bad Request",
            f"The body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels.",
            [field_error("body", f"nested deeper than {MAX_JSON_DEPTH} levels")],
        )
    try:
        document = json.loads(body)
    except ValueError as exc:  # also UnicodeDecodeError and integers of too many digits
        raise Problem(
            400,
            "Bad Request",
            "The body is not valid JSON.",
            [field_error("body", f"not valid JSON: {str(exc)[:200]}")],
        ) from exc
    errors = [field_error(path, reason) for path, reason in find_unstorable(document)]
    if errors:
        raise Problem(
            422,
            "Invalid request",
            "The request has text no database can store.",
            errors[:50],
            kind="validation",
        )


def versioned_json(
    body: Any, version: int | str, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON answer for one record, its version as the ``ETag`` (``"3"``).

    A ``GET`` whose ``If-None-Match`` names that ETag is answered ``304`` without
    a body (see :func:`_not_modified`); a change sends it back in ``If-Match``.
    """
    response = Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype="application/json",
        headers=dict(headers or {}),
    )
    response.set_etag(str(version))
    return response


def expected_version(if_match: str | None, *, required: bool = False) -> int | None:
    """The version an ``If-Match`` header names (None when absent or ``*``).

    With ``required`` an absent header is a 428 problem: the change must name
    the version its author read (:func:`chancery.http.openapi.if_match_required`).
    """
    if if_match is None and required:
        raise Problem(
            428,
            "Precondition Required",
            "This change needs If-Match with the ETag of the record as you read it.",
            [field_error("If-Match", "required: the record's ETag", "headers")],
        )
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Problem(
            412,
            "Precondition failed",
            "If-Match must be an ETag from this API.",
            [field_error("If-Match", "not an ETag of this resource", "headers")],
        )
    return int(value)


def if_match(*, required: bool = False) -> int | None:
    """The version this request's ``If-Match`` header names (see :func:`expected_version`).

    A view that calls it is documented as honouring ``If-Match`` (412 on a stale
    version; :data:`chancery.http.openapi.IF_MATCH_READERS`).
    """
    return expected_version(request.headers.get("If-Match"), required=required)


def use_case(name: str, kind: type[UseCaseT]) -> Callable[[], UseCaseT]:
    """A views module's accessor of the use case its bootstrap keeps in ``app.extensions``.

    ``_events = use_case("events", Events)`` then ``_events().get(...)`` in a view:
    the app being served is looked up at each call, never at import.
    """

    def current() -> UseCaseT:
        found: UseCaseT = current_app.extensions[name]
        return found

    current.__doc__ = f"The app's {kind.__name__} (``app.extensions[{name!r}]``)."
    return current


def idempotent_request(scope: str) -> IdempotentRequest | None:
    """The request's ``Idempotency-Key`` for ``scope`` (caller and operation), if it has one."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 1 <= len(key) <= 200:
        raise validation_problem(
            {"Idempotency-Key": "1 to 200 characters"},
            "headers",
            "The Idempotency-Key is 1 to 200 characters.",
        )
    return IdempotentRequest(
        scope=scope, key=key, fingerprint=fingerprint(request.get_json(silent=True))
    )


def stored_response(stored: StoredResponse) -> Response:
    """The HTTP answer of a (possibly replayed) stored response."""
    response = Response(
        json.dumps(stored.body, ensure_ascii=False),
        status=stored.status,
        mimetype="application/json",
        headers=stored.headers,
    )
    if stored.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def problem_from(error: DomainError) -> Problem:
    """The problem document for a use case's error."""
    errors = [field_error(error.field, error.reason)] if error.field else None
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else None
    )
    return Problem(error.status, error.title, error.detail, errors, headers=headers)


def _unexpected(error: Exception) -> Response:
    # HTTP errors have their own, more specific handler (ProblemApi); this is for bugs
    # and for a database that is down or busy, which clients should simply retry.
    if is_database_unavailable(error):
        log.warning("database unavailable", extra={"error": describe_error(error)})
        return Problem(
            503,
            "Service Unavailable",
            "The database cannot be reached right now; the request was not "
            "applied. Try again later.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ).to_response()
    log.exception("unhandled error")
    return Problem(
        500,
        "Internal Server Error",
        "Something went wrong on our side; the request was not applied.",
    ).to_response()
