"""Intake's production wiring on a throwaway PostgreSQL database, for the tests beside it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from chancery.idempotency import StoredResponse
from chancery.principal import Principal
from chancery.runtime import ServiceWiring, web_app
from chancery_testing import wired_service
from intake.bootstrap import bootstrap
from intake.config import load_settings
from intake.usecases.letters import RegisterLetter

CLERK = Principal(subject=f"clerk-{uuid.uuid4().hex[:6]}", roles=frozenset({"registrar"}))


@pytest.fixture
def make_wiring(database_url: str, tmp_path: Path) -> Iterator[Callable[..., ServiceWiring]]:
    """Intake migrated on ``database_url`` with ``bootstrap``'s overrides (``clock=...``).

    The in-memory broker; scans under tmp_path.
    """
    made: list[ServiceWiring] = []

    def make(**overrides: Any) -> ServiceWiring:
        _, wired = wired_service(
            tmp_path, load_settings, bootstrap, database_url=database_url, **overrides
        )
        made.append(wired)
        return wired

    yield make
    for wired in made:
        wired.engine.dispose()


@pytest.fixture
def wiring(make_wiring: Callable[..., ServiceWiring]) -> ServiceWiring:
    """Intake migrated on ``database_url``, on the real clock."""
    return make_wiring()


@pytest.fixture
def client(wiring: ServiceWiring) -> FlaskClient:
    """Intake's web app over ``wiring``, through Flask's test client."""
    return web_app(wiring).test_client()


def _register(wiring: ServiceWiring, **letter: Any) -> dict[str, str]:
    """Register an incoming letter through the use case as the registry clerk: a complaint
    by e-mail to the mayor from Ona, but for what ``letter`` replaces; its id, registration
    number and access code (``id``, ``number``, ``code``)."""
    fields = {
        "direction": "incoming",
        "kind": "complaint",
        "channel": "email",
        "language": "lt",
        "subject": "Dėl gatvės apšvietimo",
        "addressee": {"kind": "mayor"},
        "correspondent": {"type": "person", "name": "Ona Žemaitytė"},
        **letter,
    }
    registered = wiring.extensions["letters"].register(
        RegisterLetter(**fields),
        CLERK,
        str(uuid.uuid4()),
        None,
        lambda r: StoredResponse(
            201, {"id": r.letter.id, "number": r.letter.registration_number, "code": r.access_code}
        ),
    )
    body: dict[str, str] = registered.body
    return body


@pytest.fixture
def register_letter() -> Callable[..., dict[str, str]]:
    """How a test registers a letter through the use case (see :func:`_register`)."""
    return _register
