"""A Python client generated from each service's live OpenAPI drives a short journey.

``openapi-python-client`` writes the client into a temporary folder (nothing
generated is committed); the journey goes over real HTTP to the service in
embedded mode: a record created from the document's own request example and
read back byte for byte, an unknown one
answered 404 and an invalid one 422, both parsed as the ``Problem`` the
document promises.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.vocabulary import ROLES

from .conftest import RunningService

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


class GeneratedClient:
    """The generated package of one service, and a client of it holding every role."""

    def __init__(self, package: ModuleType, url: str, spec: dict[str, Any]) -> None:
        self.package = package
        self.spec = spec
        token = issue_token(DEV_JWT_SECRET, list(ROLES), department="LEGAL", subject="tester")
        self.client = package.AuthenticatedClient(
            base_url=url, token=token, raise_on_unexpected_status=True
        )
        self.models = importlib.import_module(f"{package.__name__}.models")

    def call(
        self,
        operation_id: str,
        body: dict[str, Any] | None = None,
        model: str | None = None,
        **arguments: Any,
    ) -> Any:
        """Call an operation by its operationId; the parsed answer (model or Problem)."""
        module = self._operation(operation_id)
        if body is not None:
            arguments["body"] = getattr(self.models, model).from_dict(body)
        return module.sync_detailed(client=self.client, **arguments)

    def example(self, path: str) -> dict[str, Any]:
        """The request example the document gives for ``POST path``."""
        return self.spec["paths"][path]["post"]["requestBody"]["content"]["application/json"][
            "example"
        ]

    def _operation(self, operation_id: str) -> ModuleType:
        api = importlib.import_module(f"{self.package.__name__}.api")
        for tag in pkgutil.iter_modules(api.__path__):
            try:
                return importlib.import_module(f"{api.__name__}.{tag.name}.{operation_id}")
            except ModuleNotFoundError:
                continue
        raise LookupError(operation_id)


@pytest.fixture
def generated(
    running_services: dict[str, RunningService], tmp_path: Path, request: pytest.FixtureRequest
) -> GeneratedClient:
    service = running_services[request.param]
    package = f"{service.name.replace('-', '_')}_client_{uuid.uuid4().hex[:8]}"
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(service.spec, ensure_ascii=False), encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: the code is only imported
    finished = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(tmp_path / package),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Warning" not in finished.stdout, finished.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        return GeneratedClient(importlib.import_module(package), service.url, service.spec)
    finally:
        sys.path.remove(str(tmp_path))


def _problem(answer: Any, status: int, field: str | None = None) -> Any:
    assert answer.status_code == status, answer.content
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.parsed
    assert type(problem).__name__ == "Problem"
    assert problem.status == status
    assert problem.type_.startswith("https://chancery.example.org/problems/")
    if field is not None:
        assert field in [error.field for error in problem.errors]
    return problem


@pytest.mark.parametrize("generated", ["intake"], indirect=True)
def test_intake_through_its_generated_client(generated: GeneratedClient) -> None:
    letter = generated.example("/letters")
    registered = generated.call(
        "letters_register_letter", letter, "IncomingLetter", idempotency_key=uuid.uuid4().hex
    )
    assert registered.status_code == 201, registered.content
    read = generated.call("letters_read_letter", letter_id=registered.parsed.id)
    assert read.parsed.subject == letter["subject"]
    by_number = generated.call(
        "letters_read_letter_by_number", registration_number=registered.parsed.registration_number
    )
    assert by_number.parsed.id == registered.parsed.id
    _problem(generated.call("letters_read_letter", letter_id=uuid.uuid4()), 404)
    bad = {**letter, "sender": {**letter["sender"], "email": "ona at example"}}
    _problem(generated.call("letters_register_letter", bad, "IncomingLetter"), 422, "sender.email")


@pytest.mark.parametrize("generated", ["routing"], indirect=True)
def test_routing_through_its_generated_client(generated: GeneratedClient) -> None:
    department = generated.example("/departments")
    code, names = department["code"], department["names"]
    created = generated.call("departments_create_department", department, "NewDepartmentIn")
    assert created.status_code == 201, created.content
    listed = generated.call("departments_list_departments")
    assert code in [department.code for department in listed.parsed.items]
    _problem(generated.call("workflow_read_letter", letter_id=uuid.uuid4()), 404)
    _problem(
        generated.call(
            "departments_create_department",
            {"code": "lower case", "names": names},
            "NewDepartmentIn",
        ),
        422,
        "code",
    )


def _create_read_and_refuse(
    generated: GeneratedClient,
    resource: str,
    schema: str,
    invalid: dict[str, Any],
    **create_options: Any,
) -> tuple[dict[str, Any], Any]:
    """Create the documented example of ``/{resource}s`` and read it back by id; an unknown id
    is a 404 problem and the example with ``invalid`` (one field) a 422 problem naming it.

    The example and the read answer, for the caller's own check of what came back.
    """
    example = generated.example(f"/{resource}s")
    create, read = f"{resource}s_create_{resource}", f"{resource}s_read_{resource}"
    created = generated.call(create, example, schema, **create_options)
    assert created.status_code == 201, created.content
    answer = generated.call(read, **{f"{resource}_id": created.parsed.id})
    _problem(generated.call(read, **{f"{resource}_id": uuid.uuid4()}), 404)
    (field,) = invalid
    _problem(generated.call(create, {**example, **invalid}, schema), 422, field)
    return example, answer


@pytest.mark.parametrize("generated", ["protocol-events"], indirect=True)
def test_protocol_events_through_its_generated_client(generated: GeneratedClient) -> None:
    event, read = _create_read_and_refuse(
        generated, "event", "EventIn", {"venue": "Rotušė\nBcc: x"}
    )
    assert read.parsed.title.to_dict() == event["title"]


@pytest.mark.parametrize("generated", ["foreign-relations"], indirect=True)
def test_foreign_relations_through_its_generated_client(generated: GeneratedClient) -> None:
    partner, read = _create_read_and_refuse(
        generated, "partner", "PartnerIn", {"country": "Georgia"}, idempotency_key=uuid.uuid4().hex
    )
    assert read.parsed.city == partner["city"]


@pytest.mark.parametrize("generated", ["notifications"], indirect=True)
def test_notifications_through_its_generated_client(generated: GeneratedClient) -> None:
    notice = generated.example("/notifications")
    asked = generated.call(
        "notifications_request_notification",
        notice,
        "NotificationIn",
        idempotency_key=uuid.uuid4().hex,
    )
    assert asked.status_code == 202, asked.content
    status = generated.call("notifications_delivery_status", delivery_id=asked.parsed[0].id)
    assert status.status_code == 200, status.content
    _problem(generated.call("notifications_delivery_status", delivery_id=uuid.uuid4()), 404)
    bad = {**notice, "recipient": {"email": "nobody at example"}}
    _problem(
        generated.call(
            "notifications_request_notification",
            bad,
            "NotificationIn",
            idempotency_key=uuid.uuid4().hex,
        ),
        422,
        "recipient.email",
    )
