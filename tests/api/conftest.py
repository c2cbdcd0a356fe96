"""Every service's web app in embedded mode (SQLite, in-memory broker), served over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.serving import make_server

from chancery.runtime import web_app
from chancery.services import installed_services
from chancery_testing import migrated_services

SERVICES = [definition.name for definition in installed_services()]


@dataclass(frozen=True)
class RunningService:
    """A service listening on a free port, and the OpenAPI document it serves."""

    name: str
    url: str
    spec: dict[str, Any]


@pytest.fixture(scope="session")
def running_services(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, RunningService]]:
    running, servers = {}, []
    with migrated_services(tmp_path_factory.mktemp("api")) as wirings:
        for name, wiring in wirings.items():
            app = web_app(wiring)
            server = make_server("127.0.0.1", 0, app, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            spec = app.test_client().get("/openapi.json").get_json()
            running[name] = RunningService(name, f"http://127.0.0.1:{server.server_port}", spec)
        yield running
        for server in servers:
            server.shutdown()
