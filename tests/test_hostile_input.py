"""Hostile input to every endpoint of every service: a clear 4xx problem, never a 500.

Each service runs as its web app (SQLite, in-memory broker) and is read from
its own OpenAPI document: every query parameter and every field of every
JSON body gets what was seen in the wild (100,000 nested brackets, lone
surrogates, NUL, line breaks in a line, 2^63 as an offset, the year
99999999999999, days in the year 1). The caller holds every role, so the
input reaches the edge's checks rather than a 403. An empty ``PUT`` or
``PATCH`` body is a 422, never a reset.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.http.problems import PROBLEM_JSON
from chancery.runtime import web_app
from chancery.services import installed_services
from chancery.vocabulary import ROLES
from chancery_testing import migrated_services

SERVICES = [definition.name for definition in installed_services()]
NESTED = b"[" * 100_000 + b"]" * 100_000
# What each type of field gets; a JSON text so that lone surrogates survive as escapes.
LINE_BREAK = '"eilut\\u0117\\nBcc: x"'
HOSTILE_JSON = {
    "string": ['"Skundas \\ud800"', '"NUL \\u0000 baitas"', LINE_BREAK],
    "integer": ["9223372036854775808", "99999999999999", "-9223372036854775809"],
    "number": ["1e400"],
    "date": ['"0001-01-01"', '"9999-12-31"'],
    "date-time": ['"0001-01-01T00:00:00+05:00"', '"9999-12-31T23:59:59-05:00"'],
}
HOSTILE_QUERY = {
    "string": ["Skundas\x00", "eilutė\nBcc: x"],
    "integer": [str(2**63), "99999999999999"],
    "date": ["0001-01-01", "99999-01-01"],
    "date-time": ["0001-01-01T00:00:00+05:00"],
}


@dataclass(frozen=True)
class Service:
    """A service's test client, its OpenAPI document and a token with every role."""

    client: FlaskClient
    spec: dict[str, Any]
    headers: dict[str, str]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Service]]:
    token = issue_token(DEV_JWT_SECRET, list(ROLES), department="LEGAL", subject="tester")
    with migrated_services(tmp_path_factory.mktemp("hostile")) as wirings:
        running = {}
        for name, wiring in wirings.items():
            client = web_app(wiring).test_client()
            running[name] = Service(
                client,
                client.get("/openapi.json").get_json(),
                # An ETag, so changes that require If-Match (428)
                # reach the body's validation.
                {"Authorization": f"Bearer {token}", "If-Match": '"1"'},
            )
        yield running


# Path parameters that are not ids: a year and an act's number are whole numbers.
NUMERIC_PATH_PARAMETERS = {"year": "2026", "number": "1"}


def _path(template: str) -> str:
    return re.sub(
        r"\{([^}]+)\}",
        lambda match: NUMERIC_PATH_PARAMETERS.get(match.group(1), str(uuid.uuid4())),
        template,
    )


def _send(running: Service, method: str, template: str, body: bytes) -> TestResponse:
    """``body`` as JSON to the operation at ``template``, its path parameters filled in."""
    return running.client.open(
        _path(template),
        method=method.upper(),
        headers=running.headers,
        data=body,
        content_type="application/json",
    )


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kind(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "string" in kinds and schema.get("format") in ("date", "date-time"):
        return schema["format"]
    return next((k for k in kinds if k in ("string", "integer", "number")), None)


def _operations(
    spec: dict[str, Any], methods: tuple[str, ...]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if method in methods:
                yield template, method, operation


def _json_schema(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(spec, content["application/json"].get("schema", {}))


def _problem(response: Any, where: str) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (
        where,
        response.status_code,
        response.get_data(as_text=True)[:300],
    )
    assert response.mimetype == PROBLEM_JSON, where
    return response.get_json()


def _named(problem: dict[str, Any], name: str) -> bool:
    return any(
        e["field"] == name or e["field"].startswith((f"{name}.", f"{name}["))
        for e in problem.get("errors", [])
    )


@pytest.mark.parametrize("service", SERVICES)
def test_hostile_query_parameters_are_refused_by_name(services, service):
    running = services[service]
    checked = 0
    for template, _, operation in _operations(running.spec, ("get",)):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            kind = _kind(_resolve(running.spec, parameter.get("schema", {})))
            for value in HOSTILE_QUERY.get(kind or "", []):
                where = f"{service} GET {template}?{parameter['name']}={value!r}"
                response = running.client.get(
                    _path(template),
                    headers=running.headers,
                    query_string={parameter["name"]: value},
                )
                problem = _problem(response, where)
                assert response.status_code == 404 or _named(problem, parameter["name"]), (
                    where,
                    problem,
                )
                checked += 1
    if checked == 0:
        pytest.skip(f"{service} declares no typed query parameters")


@pytest.mark.parametrize("service", SERVICES)
def test_hostile_body_fields_are_refused_by_name(services, service):
    running = services[service]
    checked = 0
    for template, method, operation in _operations(running.spec, ("post", "put", "patch")):
        schema = _json_schema(running.spec, operation)
        if schema is None:
            continue
        for name, field in schema.get("properties", {}).items():
            if field.get("readOnly"):
                continue
            field = _resolve(running.spec, field)
            for value in HOSTILE_JSON.get(_kind(field) or "", []):
                if field.get("x-multi-line") and value == LINE_BREAK:
                    continue  # prose: a line feed is text
                where = f"{service} {method.upper()} {template} {name}={value}"
                response = _send(running, method, template, f'{{"{name}": {value}}}'.encode())
                problem = _problem(response, where)
                assert _named(problem, name), (where, problem)
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("service", SERVICES)
def test_deeply_nested_bodies_are_a_400_everywhere(services, service):
    running = services[service]
    for template, method, operation in _operations(running.spec, ("post", "put", "patch")):
        if _json_schema(running.spec, operation) is None:
            continue
        response = _send(running, method, template, NESTED)
        assert _problem(response, f"{service} {method.upper()} {template}")["status"] == 400


@pytest.mark.parametrize("service", SERVICES)
def test_an_empty_put_or_patch_is_a_422_never_a_reset(services, service):
    running = services[service]
    for template, method, operation in _operations(running.spec, ("put", "patch")):
        if _json_schema(running.spec, operation) is None:
            continue
        for body in (b"{}", b""):
            response = _send(running, method, template, body)
            where = f"{service} {method.upper()} {template} {body!r}"
            assert response.status_code == 422, (where, response.get_data(as_text=True))
            assert response.mimetype == PROBLEM_JSON, where
