"""Intake's production wiring on a throwaway PostgreSQL database, for the tests beside it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from chancery.runtime import ServiceWiring, web_app
from chancery_testing import wired_service
from intake.bootstrap import bootstrap
from intake.config import load_settings


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
