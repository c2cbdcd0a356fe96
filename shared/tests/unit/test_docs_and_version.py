"""/docs works offline (every asset same-origin and served), and the version is reported."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from importlib import metadata
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from chancery_testing import blueprint_app

BASE = "http://chancery.example:8001"


class _References(HTMLParser):
    """Every URL a page makes the browser load: scripts, stylesheets, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "img": "src", "iframe": "src", "link": "href"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


@pytest.fixture
def app() -> Flask:
    return blueprint_app(service=f"test-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_docs_load_only_same_origin_assets_that_answer(client: FlaskClient) -> None:
    page = client.get("/docs", base_url=BASE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    references = _References()
    references.feed(html)
    urls = [urljoin(f"{BASE}/docs", url) for url in references.urls]
    assert {urlsplit(url).path for url in urls} >= {
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
    }
    for url in urls:
        assert urlsplit(url).netloc == urlsplit(BASE).netloc, url
        asset = client.get(urlsplit(url).path, base_url=BASE)
        assert asset.status_code == 200, url
        assert len(asset.data) > 1000, url
    assert "https://" not in html
    assert "validatorUrl" in html  # no online validator is asked about the document


def test_the_page_shows_the_services_own_document(client: FlaskClient) -> None:
    html = client.get("/docs").get_data(as_text=True)
    assert '"/openapi.json"' in html
    assert client.get("/openapi.json").status_code == 200


def test_an_asset_outside_the_distribution_is_not_served(client: FlaskClient) -> None:
    assert client.get("/docs/assets/../../http/__init__.py").status_code == 404
    assert client.get("/docs/assets/nothing.js").status_code == 404


def test_the_version_is_the_same_in_healthz_openapi_and_metrics(
    client: FlaskClient, app: Flask
) -> None:
    version = metadata.version("chancery")
    assert client.get("/healthz").get_json()["version"] == version
    assert client.get("/openapi.json").get_json()["info"]["version"] == version
    metrics = client.get("/metrics").get_data(as_text=True)
    assert f'chancery_build_info{{service="{app.name}",version="{version}"}} 1.0' in metrics
