"""Every service's web app in embedded mode (SQLite, in-memory broker), served over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from chancery.runtime import migrate, web_app
from chancery.services import installed_services

SERVICES = [definition.name for definition in installed_services()]


@dataclass(frozen=True)
class RunningService:
    """A service listening on a free port, and the OpenAPI document it serves."""

    name: str
    url: str
    spec: dict[str, Any]


@pytest.fixture(scope="session")
def running_services(tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[dict[str, RunningService]]:
    data_dir = tmp_path_factory.mktemp("api")
    running, servers, wirings = {}, [], []
    for definition in installed_services():
        wiring = definition.wiring_from_env({
            "DATABASE_URL": f"sqlite:///{Path(data_dir, definition.name)}.db",
            "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(data_dir),
            "CHANCERY_PROFILE": "alytus"})
        migrate(wiring)
        wirings.append(wiring)
        app = web_app(wiring)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        spec = app.test_client().get("/openapi.json").get_json()
        running[definition.name] = RunningService(
            definition.name, f"http://127.0.0.1:{server.server_port}", spec)
    yield running
    for server in servers:
        server.shutdown()
    for wiring in wirings:
        wiring.engine.dispose()
