"""Every service's OpenAPI document is valid and says what the service really answers."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from openapi_spec_validator import validate

from chancery.http.problems import PROBLEM_JSON
from chancery.vocabulary import LANGUAGE_PATTERN

from .conftest import SERVICES, RunningService

METHODS = ("get", "put", "post", "delete", "patch")


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _schemas(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, field, prop)
        for name, schema in spec["components"]["schemas"].items()
        for field, prop in schema.get("properties", {}).items()
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_is_valid(running_services: dict[str, RunningService], service: str) -> None:
    served = requests.get(running_services[service].url + "/openapi.json", timeout=10).json()
    validate(served)


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_a_unique_id_a_tag_and_says_who_may_call_it(
    running_services: dict[str, RunningService], service: str
) -> None:
    operations = _operations(running_services[service].spec)
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations:
        assert operation["tags"], (method, path)
        assert "**Who may call it:**" in operation["description"], (method, path)


@pytest.mark.parametrize("service", SERVICES)
def test_every_error_is_documented_as_the_problem_the_service_answers(
    running_services: dict[str, RunningService], service: str
) -> None:
    spec = running_services[service].spec
    assert "Error" not in spec["components"]["schemas"]
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}
    responses = spec["components"]["responses"]
    for path, method, operation in _operations(spec):
        assert "default" in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            if status == "default" or int(status) >= 400:
                name = response["$ref"].rsplit("/", 1)[-1]
                content = responses[name]["content"]
                assert list(content) == [PROBLEM_JSON], (method, path, status)


@pytest.mark.parametrize("service", SERVICES)
def test_statuses_follow_what_each_view_declares(
    running_services: dict[str, RunningService], service: str
) -> None:
    for path, method, operation in _operations(running_services[service].spec):
        statuses = set(operation["responses"])
        guarded = "security" in operation
        assert ("401" in statuses) == guarded, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= statuses, (method, path)


def test_a_view_that_honours_if_match_documents_412(
    running_services: dict[str, RunningService],
) -> None:
    operation = running_services["protocol-events"].spec["paths"]["/events/{event_id}"]["patch"]
    assert "412" in operation["responses"]
    read = running_services["protocol-events"].spec["paths"]["/events/{event_id}"]["get"]
    assert "412" not in read["responses"]


def test_versioned_reads_and_guarded_changes_document_their_headers(
    running_services: dict[str, RunningService],
) -> None:
    paths = running_services["protocol-events"].spec["paths"]
    read, change = paths["/events/{event_id}"]["get"], paths["/events/{event_id}"]["patch"]
    assert "304" in read["responses"]
    assert "ETag" in read["responses"]["200"]["headers"]
    assert [p["name"] for p in read["parameters"] if p["in"] == "header"] == ["If-None-Match"]
    [if_match] = [p for p in change["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] is True
    assert {"412", "428"} <= set(change["responses"])
    routed = running_services["routing"].spec["paths"]["/letters/{letter_id}/route"]["post"]
    [optional] = [p for p in routed["parameters"] if p["name"] == "If-Match"]
    assert optional["required"] is False
    assert "428" not in routed["responses"]


def test_the_roles_of_require_are_the_roles_documented(
    running_services: dict[str, RunningService],
) -> None:
    operation = running_services["routing"].spec["paths"]["/calendar/days"]["post"]
    assert operation["description"].endswith(
        "**Who may call it:** Needs a bearer token with one of the roles: ``operator``."
    )
    status = running_services["intake"].spec["paths"]["/status/{registration_number}"]["get"]
    assert "Open to anyone, without a token." in status["description"]
    assert "429" in status["responses"]


@pytest.mark.parametrize("service", SERVICES)
def test_money_is_a_decimal_string_without_bounds_as_strings(
    running_services: dict[str, RunningService], service: str
) -> None:
    for name, field, prop in _schemas(running_services[service].spec):
        assert not isinstance(prop.get("minimum"), str), (name, field)
        assert not isinstance(prop.get("maximum"), str), (name, field)
        assert prop.get("type") != "number" or prop.get("format") != "decimal", (name, field)
        if prop.get("format") == "decimal":
            assert "string" in prop["type"], (name, field)


def _property(running: RunningService, schema: str, name: str) -> dict[str, Any]:
    """The property ``name`` of the component ``schema`` in the service's document."""
    return running.spec["components"]["schemas"][schema]["properties"][name]


def test_money_is_served_as_the_decimal_string_documented(
    running_services: dict[str, RunningService],
) -> None:
    budget = _property(running_services["foreign-relations"], "ProjectOut", "budget")
    assert budget["format"] == "decimal"
    assert "string" in budget["type"]


def test_language_keyed_texts_constrain_their_keys_as_the_server_does(
    running_services: dict[str, RunningService],
) -> None:
    title = _property(running_services["protocol-events"], "EventIn", "title")
    assert title["propertyNames"]["pattern"] == LANGUAGE_PATTERN


@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_with_a_body_names_its_media_type(
    running_services: dict[str, RunningService], service: str
) -> None:
    for path, method, operation in _operations(running_services[service].spec):
        for status, response in operation["responses"].items():
            if status.startswith("2") and status != "204":
                assert response.get("content"), (method, path, status)


def test_calendars_and_csv_are_documented_with_their_media_types(
    running_services: dict[str, RunningService],
) -> None:
    events = running_services["protocol-events"].spec["paths"]
    assert list(events["/events/{event_id}.ics"]["get"]["responses"]["200"]["content"]) == [
        "text/calendar"
    ]
    partners = running_services["foreign-relations"].spec["paths"]["/open-data/partners.csv"]
    assert list(partners["get"]["responses"]["200"]["content"]) == ["text/csv"]


def test_urls_are_uris(running_services: dict[str, RunningService]) -> None:
    schemas = running_services["notifications"].spec["components"]["schemas"]
    assert schemas["WebhookIn"]["properties"]["url"]["format"] == "uri"
    partner = running_services["foreign-relations"].spec["components"]["schemas"]["PartnerIn"]
    assert partner["properties"]["website"]["format"] == "uri"


@pytest.mark.parametrize(
    ("service", "path"),
    [
        ("intake", "/letters"),
        ("routing", "/departments"),
        ("protocol-events", "/events"),
        ("foreign-relations", "/partners"),
        ("notifications", "/notifications"),
    ],
)
def test_the_main_operations_give_a_request_and_a_response_example(
    running_services: dict[str, RunningService], service: str, path: str
) -> None:
    operation = running_services[service].spec["paths"][path]["post"]
    assert operation["requestBody"]["content"]["application/json"]["example"]
    [answer] = [
        response for status, response in operation["responses"].items() if status.startswith("2")
    ]
    assert answer["content"]["application/json"]["example"]


# Open data is a file for download (like its CSV twin), not a list to page through.
WHOLE_DOCUMENTS = {("foreign-relations", "/open-data/partners.json")}


@pytest.mark.parametrize("service", SERVICES)
def test_every_list_is_the_same_page_documented_the_same(
    running_services: dict[str, RunningService], service: str
) -> None:
    spec = running_services[service].spec
    schemas = spec["components"]["schemas"]
    lists = 0
    for path, method, operation in _operations(spec):
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if method != "get" or ok is None or (service, path) in WHOLE_DOCUMENTS:
            continue
        schema = ok["schema"]
        assert schema.get("type") != "array", f"{path} answers a bare array"
        name = schema.get("$ref", "").rsplit("/", 1)[-1]
        if not name.endswith("Page"):
            continue
        lists += 1
        page = schemas[name]
        assert set(page["properties"]) == {"items", "next_cursor", "total"}, path
        assert page["properties"]["items"]["type"] == "array", path
        parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        assert {"limit", "cursor", "with_total"} <= set(parameters), path
        assert parameters["limit"]["schema"]["maximum"] == 200, path
        assert parameters["limit"]["schema"]["default"] == 50, path
        assert "Link" in operation["responses"]["200"]["headers"], path
    assert lists >= 3  # the audit trail and the service's own lists


def _undescribed(spec: dict[str, Any]) -> tuple[int, list[str]]:
    """How many properties have no description, and which of them are required or enums."""
    bare, must = 0, []
    for name, schema in spec["components"]["schemas"].items():
        required = set(schema.get("required", []))
        for field, prop in schema.get("properties", {}).items():
            if prop.get("description"):
                continue
            bare += 1
            items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
            if field in required or "enum" in prop or "enum" in items:
                must.append(f"{name}.{field}")
    return bare, must


@pytest.mark.parametrize("service", SERVICES)
def test_every_required_field_and_every_enum_is_described(
    running_services: dict[str, RunningService], service: str
) -> None:
    bare, must = _undescribed(running_services[service].spec)
    print(
        f"{service}: {bare} properties without a description, {len(must)} of them required or enums"
    )
    assert must == []


def test_rules_across_fields_are_in_the_schemas(
    running_services: dict[str, RunningService],
) -> None:
    letter = running_services["intake"].spec["components"]["schemas"]["LetterIn"]
    incoming, outgoing = letter["oneOf"]
    assert {"sender", "addressee", "channel"} <= set(incoming["required"])
    assert incoming["properties"]["channel"]["type"] == "string"  # not null, one of the enum
    assert "subject" in incoming["properties"]  # a whole letter, for generated clients
    assert outgoing["properties"]["direction"]["const"] == "outgoing"
    assert "recipient" in outgoing["required"]
    recipient = running_services["notifications"].spec["components"]["schemas"]["StrictRecipient"]
    assert [way["required"] for way in recipient["anyOf"]] == [["subject"], ["email"], ["phone"]]
    visitor = running_services["protocol-events"].spec["components"]["schemas"]["VisitorIn"]
    assert [way["required"] for way in visitor["anyOf"]] == [["email", "name"], ["name", "phone"]]
    schemas = running_services["foreign-relations"].spec["components"]["schemas"]
    members = schemas["VisitIn"]["properties"]["members"]
    assert (members["minContains"], members["maxContains"]) == (1, 1)
    assert members["contains"]["properties"]["head"] == {"const": True}
    assert schemas["TripIn"]["properties"]["members"]["maxContains"] == 1
