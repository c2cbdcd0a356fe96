"""Tests for the HTTP base: problem+json for every error, the token guard, operational routes."""

import json
import uuid
from importlib import metadata
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from chancery.auth import issue_token
from chancery.errors import Conflict
from chancery.http.problems import PROBLEM_BASE, PROBLEM_JSON
from chancery.http.security import principal, require
from chancery_testing import blueprint_app

SECRET = "test-secret-" + uuid.uuid4().hex
GEORGIAN_NAME = "ნინო ბერიძე"


class AddressSchema(Schema):
    city = fields.String(required=True)
    street = fields.String()


class GreetingSchema(Schema):
    name = fields.String(required=True)
    address = fields.Nested(AddressSchema, required=True)


def _blueprint() -> Blueprint:
    blp = Blueprint("greetings", __name__, url_prefix="/greetings")

    @blp.route("", methods=["POST"])
    @blp.arguments(GreetingSchema)
    @blp.response(200)
    @require("registrar")
    def greet(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": data["name"],
            "city": data["address"]["city"],
            "subject": principal().subject,
        }

    @blp.route("/conflict", methods=["POST"])
    @blp.response(200)
    @require()
    def conflict() -> dict[str, Any]:
        raise Conflict(
            "Letter is already answered.",
            field="status",
            reason="answered letters cannot be voided",
        )

    @blp.route("/broken", methods=["GET"])
    @blp.response(200)
    def broken() -> dict[str, Any]:
        raise RuntimeError("password=hunter2 in Šiauliai")

    return blp


def _database_down() -> None:
    raise ConnectionError("database at 127.0.0.1 refused the connection")


@pytest.fixture
def app() -> Flask:
    return blueprint_app(
        _blueprint(),
        secret=SECRET,
        readiness_checks={"database": _database_down, "broker": lambda: None},
        max_request_bytes=1000,
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _auth(roles: list[str], secret: str = SECRET, subject: str = "ona.zemaityte") -> dict:
    token = issue_token(secret, roles, subject=subject)
    return {"Authorization": f"Bearer {token}"}


def _greeting(name: str = "Arbër Hoxha") -> dict:
    return {"name": name, "address": {"city": "Vlorë"}}


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["type"] == PROBLEM_BASE + kind
    assert body["status"] == status
    assert body["title"]
    return body


def _fields(body: dict) -> dict[str, str]:
    return {error["field"]: error["reason"] for error in body.get("errors", [])}


def _sent_as_text(client: FlaskClient, text: str, content_type: str) -> Any:
    """The registrar's greeting sent as ``text`` of ``content_type``, not encoded from JSON."""
    return client.post(
        "/greetings", data=text, content_type=content_type, headers=_auth(["registrar"])
    )


def test_unknown_path_is_404_problem(client: FlaskClient) -> None:
    body = _problem(client.get("/nowhere"), 404, "not-found")
    assert body["title"] == "Not Found"


def test_wrong_method_is_405_with_allow(client: FlaskClient) -> None:
    response = client.get("/greetings", headers=_auth(["registrar"]))
    _problem(response, 405, "method-not-allowed")
    assert "POST" in [m.strip() for m in response.headers["Allow"].split(",")]
    assert "GET" not in response.headers["Allow"]


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post(
        "/greetings", json=_greeting("Ona Žemaitytė " * 100), headers=_auth(["registrar"])
    )
    _problem(response, 413, "payload-too-large")


def test_text_body_is_415_naming_content_type(client: FlaskClient) -> None:
    response = _sent_as_text(client, "name=Jānis Bērziņš", "text/plain")
    body = _problem(response, 415, "unsupported-media-type")
    assert _fields(body) == {"Content-Type": "must be application/json"}
    assert "text/plain" in body["detail"]


def test_missing_fields_are_422_with_paths(client: FlaskClient) -> None:
    response = client.post(
        "/greetings", json={"address": {"street": "Rruga Çamëria"}}, headers=_auth(["registrar"])
    )
    body = _problem(response, 422, "validation")
    assert _fields(body) == {
        "name": "Missing data for required field.",
        "address.city": "Missing data for required field.",
    }
    assert {error["location"] for error in body["errors"]} == {"json"}


def test_unknown_field_is_422_with_its_path(client: FlaskClient) -> None:
    data = {"name": "Arbër Hoxha", "address": {"city": "Vlorë", "zip": "9401"}}
    response = client.post("/greetings", json=data, headers=_auth(["registrar"]))
    body = _problem(response, 422, "validation")
    assert _fields(body) == {"address.zip": "Unknown field."}


def test_malformed_json_is_400(client: FlaskClient) -> None:
    response = _sent_as_text(client, '{"name": "Ona"', "application/json")
    _problem(response, 400, "bad-request")


def test_no_token_is_401_with_www_authenticate(client: FlaskClient) -> None:
    response = client.post("/greetings", json=_greeting())
    body = _problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="chancery"'
    assert body["detail"] == "A bearer token is required."


def test_token_of_another_secret_is_401(client: FlaskClient) -> None:
    other_secret = "another-service-secret-" + uuid.uuid4().hex
    response = client.post(
        "/greetings", json=_greeting(), headers=_auth(["registrar"], secret=other_secret)
    )
    body = _problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "Signature verification failed" in body["detail"]


def test_token_without_the_role_is_403(client: FlaskClient) -> None:
    response = client.post("/greetings", json=_greeting(), headers=_auth(["department_staff"]))
    body = _problem(response, 403, "forbidden")
    assert body["detail"] == "This needs one of the roles: registrar."


def test_right_token_echoes_georgian_text_byte_for_byte(client: FlaskClient) -> None:
    response = client.post(
        "/greetings",
        json=_greeting(GEORGIAN_NAME),
        headers=_auth(["registrar"], subject="nino.beridze"),
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert GEORGIAN_NAME.encode("utf-8") in response.data
    assert b"\\u" not in response.data
    assert json.loads(response.data) == {
        "name": GEORGIAN_NAME,
        "city": "Vlorë",
        "subject": "nino.beridze",
    }


def test_response_carries_the_correlation_id(client: FlaskClient) -> None:
    correlation = str(uuid.uuid4())
    response = client.get("/healthz", headers={"X-Correlation-ID": correlation})
    assert response.headers["X-Correlation-ID"] == correlation
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_domain_error_is_409_with_the_field(client: FlaskClient) -> None:
    response = client.post("/greetings/conflict", headers=_auth(["department_staff"]))
    body = _problem(response, 409, "conflict")
    assert body["detail"] == "Letter is already answered."
    assert body["errors"] == [
        {"field": "status", "location": "json", "reason": "answered letters cannot be voided"}
    ]


def test_unexpected_error_is_500_without_its_text(client: FlaskClient) -> None:
    response = client.get("/greetings/broken")
    body = _problem(response, 500, "internal-error")
    assert b"hunter2" not in response.data
    assert "RuntimeError" not in json.dumps(body)


def test_readyz_is_503_naming_the_failing_check_but_not_its_error(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get("/readyz")
    body = _problem(response, 503, "unavailable")
    assert body["errors"] == [
        {"field": "database", "location": "dependency", "reason": "unreachable"}
    ]
    assert "127.0.0.1" not in response.text
    assert "ConnectionError" not in response.text
    assert response.headers["Retry-After"].isdigit()
    logged = [r for r in caplog.records if r.getMessage() == "readiness check failed"]
    assert [(r.check, r.error) for r in logged] == [
        ("database", "database at 127.0.0.1 refused the connection")
    ]


def test_a_reported_check_shows_but_does_not_decide_readiness() -> None:
    app = blueprint_app(
        readiness_checks={"database": lambda: None}, reported_checks={"broker": _database_down}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "broker": "unreachable"},
    }


def test_healthz_is_200(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "service": "test",
        "version": metadata.version("chancery"),
    }


def test_openapi_has_the_bearer_scheme(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert spec["paths"]["/greetings"]["post"]["security"] == [{"bearerAuth": []}]


def test_metrics_count_requests(client: FlaskClient) -> None:
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "chancery_http_requests_total" in text
    assert (
        'chancery_http_requests_total{method="GET",route="/healthz",service="test",status="200"}'
    ) in text
