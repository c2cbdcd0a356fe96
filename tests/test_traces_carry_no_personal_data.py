"""Request and SQL spans carry no tokens, e-mail addresses or search text; names are templates.

Three services in this process, each on its own SQLite file, traced into
the shared in-memory exporter (``recorded_spans``): the calls put a feed
token, an e-mail address and Lithuanian search text into paths and query
strings, and no span attribute may hold any of them.
"""

from __future__ import annotations

import secrets
from contextlib import ExitStack

import pytest
from flask.testing import FlaskClient
from opentelemetry.trace import SpanKind
from sqlalchemy import select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import message_handling, web_app
from chancery.services import installed_services
from chancery_testing import migrated_service
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.integration
SERVICES = {definition.name: definition for definition in installed_services()}


def test_no_span_attribute_holds_a_token_an_address_or_search_text(recorded_spans, tmp_path):
    email = f"ona.{secrets.token_hex(4)}@example.org"
    search = "Žemaitytė"
    auth = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['operator', 'registrar'])}"}
    organiser = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['protocol_officer'])}"}
    with ExitStack() as stack:

        def traced_client(name: str) -> FlaskClient:
            wiring = stack.enter_context(migrated_service(SERVICES[name], tmp_path))
            return web_app(wiring).test_client()

        events = traced_client("protocol-events")
        official = events.post(
            "/officials",
            headers=organiser,
            json={"name": "Rasa Petrauskienė", "position": {"lt": "Merė", "en": "Mayor"}},
        )
        assert official.status_code == 201, official.get_data(as_text=True)
        feed = events.post(f"/officials/{official.get_json()['id']}/feed", headers=organiser)
        feed_token = feed.get_json()["token"]
        assert events.get(f"/feeds/{feed_token}.ics").status_code == 200
        # A resident's booking link is a bearer secret too.
        booking_token = secrets.token_urlsafe(32)
        assert events.get(f"/public/bookings/{booking_token}").status_code == 404
        notifications = traced_client("notifications")
        assert notifications.get(f"/preferences/{email}", headers=auth).status_code == 404
        assert notifications.get(f"/nowhere/{email}?who={email}").status_code == 404
        intake = traced_client("intake")
        assert intake.get(f"/letters?q={search}", headers=auth).status_code == 200

    spans = recorded_spans.get_finished_spans()
    server_names = sorted(s.name for s in spans if s.kind is SpanKind.SERVER)
    assert server_names == [
        "GET",
        "GET /feeds/<string:token>.ics",
        "GET /letters",
        "GET /preferences/<string:recipient>",
        "GET /public/bookings/<string:token>",
        "POST /officials",
        "POST /officials/<uuid:official_id>/feed",
    ]
    assert any("db.statement" in (s.attributes or {}) for s in spans), "SQL spans are checked too"
    for span in spans:
        assert feed_token not in span.name
        assert booking_token not in span.name
        assert email not in span.name
        for key, value in (span.attributes or {}).items():
            for secret in (
                feed_token,
                booking_token,
                email,
                search,
                "%C5%BDemaityt",
                "Petrauskien",
            ):
                assert secret not in str(value), f"{span.name}: {key} carries {secret!r}"


def test_a_peoples_rights_request_leaves_no_name_address_or_letter_in_spans_or_logs(
    recorded_spans, tmp_path, caplog
):
    email = f"gintare.{secrets.token_hex(4)}@example.org"
    name, subject = "Gintarė Žukauskienė", "Konfidencialu: skundas dėl kaimyno"
    clerk = {
        "Authorization": "Bearer " + issue_token(DEV_JWT_SECRET, ["registrar", "clearance_secret"])
    }
    dpo = {"Authorization": "Bearer " + issue_token(DEV_JWT_SECRET, ["data_protection_officer"])}
    caplog.set_level("DEBUG")
    with (
        migrated_service(SERVICES["intake"], tmp_path) as intake_wiring,
        migrated_service(SERVICES["notifications"], tmp_path) as notifications_wiring,
    ):
        intake = web_app(intake_wiring).test_client()
        assert (
            intake.post(
                "/letters",
                headers=clerk,
                json=incoming_letter(
                    "complaint",
                    "lt",
                    subject,
                    person(name, email),
                    confidentiality="confidential",
                ),
            ).status_code
            == 201
        )
        started = intake.post(
            "/personal-data-requests",
            headers=dpo,
            json={"action": "access", "person": {"name": name, "email": email}},
        )
        assert started.status_code == 201, started.get_data(as_text=True)
        number = started.get_json()["number"]
        asked = _outbox_bodies(intake_wiring, "personal_data.requested")
        message_handling(notifications_wiring).handle(asked[0])
        message_handling(intake_wiring).handle(
            _outbox_bodies(notifications_wiring, "personal_data.answered")[0]
        )
        read = intake.get(f"/personal-data-requests/{number}", headers=dpo).get_json()
        assert read["answered"] == ["intake", "notifications"]
        assert subject in str(read["parts"])
    spans = recorded_spans.get_finished_spans()
    assert any(s.name == "POST /personal-data-requests" for s in spans)
    for span in spans:
        for value in [span.name, *map(str, (span.attributes or {}).values())]:
            for secret in (email, name, subject, "Žukauskien", "%C5%BDukauskien"):
                assert secret not in value, f"{span.name} carries {secret!r}"
    for logged in caplog.records:
        for secret in (email, name, subject):
            assert secret not in logged.getMessage()
            assert secret not in str(logged.__dict__)


def _outbox_bodies(wiring, message_type: str) -> list[bytes]:
    table = wiring.tables.outbox
    with wiring.engine.connect() as conn:
        return [
            row.body.encode() if isinstance(row.body, str) else row.body
            for row in conn.execute(
                select(table.c.body).where(table.c.message_type == message_type)
            )
        ]
