"""Request and SQL spans carry no tokens, e-mail addresses or search text; names are templates.

Three services in this process, each on its own SQLite file, traced into
the shared in-memory exporter (``recorded_spans``): the calls put a feed
token, an e-mail address and Lithuanian search text into paths and query
strings, and no span attribute may hold any of them.
"""

from __future__ import annotations

import secrets

import pytest
from opentelemetry.trace import SpanKind

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import migrate, web_app
from chancery.services import installed_services

pytestmark = pytest.mark.integration
SERVICES = {definition.name: definition for definition in installed_services()}


def traced_client(name: str, tmp_path):
    wiring = SERVICES[name].wiring_from_env({
        "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3", "BROKER_URL": "memory://",
        "CHANCERY_DATA_DIR": str(tmp_path / name)})
    migrate(wiring)
    return web_app(wiring).test_client(), wiring


def test_no_span_attribute_holds_a_token_an_address_or_search_text(recorded_spans, tmp_path):
    email = f"ona.{secrets.token_hex(4)}@example.org"
    search = "Žemaitytė"
    auth = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['operator', 'registrar'])}"}
    organiser = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['protocol_officer'])}"}
    wirings = []
    try:
        events, wiring = traced_client("protocol-events", tmp_path)
        wirings.append(wiring)
        official = events.post("/officials", headers=organiser, json={
            "name": "Rasa Petrauskienė", "position": {"lt": "Merė", "en": "Mayor"}})
        assert official.status_code == 201, official.get_data(as_text=True)
        feed = events.post(f"/officials/{official.get_json()['id']}/feed", headers=organiser)
        feed_token = feed.get_json()["token"]
        assert events.get(f"/feeds/{feed_token}.ics").status_code == 200
        notifications, wiring = traced_client("notifications", tmp_path)
        wirings.append(wiring)
        assert notifications.get(f"/preferences/{email}", headers=auth).status_code == 404
        assert notifications.get(f"/nowhere/{email}?who={email}").status_code == 404
        intake, wiring = traced_client("intake", tmp_path)
        wirings.append(wiring)
        assert intake.get(f"/letters?q={search}", headers=auth).status_code == 200
    finally:
        for wiring in wirings:
            wiring.engine.dispose()

    spans = recorded_spans.get_finished_spans()
    server_names = sorted(s.name for s in spans if s.kind is SpanKind.SERVER)
    assert server_names == ["GET", "GET /feeds/<string:token>.ics", "GET /letters",
                            "GET /preferences/<string:recipient>", "POST /officials",
                            "POST /officials/<uuid:official_id>/feed"]
    assert any("db.statement" in (s.attributes or {}) for s in spans), "SQL spans are checked too"
    for span in spans:
        assert feed_token not in span.name
        assert email not in span.name
        for key, value in (span.attributes or {}).items():
            for secret in (feed_token, email, search, "%C5%BDemaityt", "Petrauskien"):
                assert secret not in str(value), f"{span.name}: {key} carries {secret!r}"
