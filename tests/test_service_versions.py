"""Every service reports its own distribution's version and serves /docs from installed files."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from chancery.embedded import embedded_env
from chancery.runtime import ServiceDefinition, web_app
from chancery.services import installed_services
from chancery.version import distribution_name

SERVICES = installed_services()


@pytest.mark.parametrize("definition", SERVICES, ids=lambda definition: definition.name)
def test_the_service_reports_its_distribution_version(
    definition: ServiceDefinition, tmp_path: Path
) -> None:
    app = web_app(definition.wiring_from_env(embedded_env(tmp_path, {})))
    client = app.test_client()
    version = metadata.version(distribution_name(definition.name))
    assert client.get("/healthz").get_json() == {
        "status": "ok",
        "service": definition.name,
        "version": version,
    }
    assert client.get("/openapi.json").get_json()["info"]["version"] == version
    assert (
        f'chancery_build_info{{service="{definition.name}",version="{version}"}} 1.0'
        in client.get("/metrics").get_data(as_text=True)
    )
    docs = client.get("/docs").get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in docs
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_every_service_is_found() -> None:
    assert len(SERVICES) >= 5
