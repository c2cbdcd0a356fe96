"""A letter routing cannot decide ends in triage with the reason, and intake learns it.

Seen before: intake accepted a receipt date of 1900-01-01, routing found no
deadline rule for it, dead-lettered ``letter.registered``, and the letter
stayed "registered" in intake forever with no one to route it. Intake refuses
such dates now, so the letter is registered normally and its message is then
given the old date on its way (as a letter registered before the check, or
by another road, would carry). Intake and routing each run on their own
PostgreSQL database; their outbox relays publish to a recorder whose
messages are handed to the other service's message-handling core, the code a
worker runs for each delivery.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import Any

import pytest

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.consumer import Outcome
from chancery.messages.outbox import OutgoingMessage
from chancery.runtime import ServiceWiring, message_handling, relay, web_app
from chancery_testing import migrated_service, throwaway_database
from intake.bootstrap import DEFINITION as INTAKE
from routing.bootstrap import DEFINITION as ROUTING
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.integration

OLD_RECEIPT = "0450-07-24T08:00:00+00:00"


class Recorder:
    """A publisher that keeps what it was given (the broker's place in this test)."""

    def __init__(self) -> None:
        self.messages: list[OutgoingMessage] = []

    def publish(self, messages: Sequence[OutgoingMessage]) -> dict[str, str]:
        self.messages.extend(messages)
        return {}

    def close(self) -> None:
        """Nothing to release."""

    def take(self, message_type: str) -> list[dict[str, Any]]:
        return [json.loads(m.body) for m in self.messages if m.message_type == message_type]


@pytest.fixture
def system(postgres_server: str, tmp_path) -> Iterator[dict[str, ServiceWiring]]:
    with ExitStack() as stack:
        wirings = {}
        for definition in (INTAKE, ROUTING):
            url = stack.enter_context(throwaway_database(postgres_server))
            wirings[definition.name] = stack.enter_context(
                migrated_service(definition, tmp_path, url)
            )
        yield wirings


def _headers(*roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, list(roles), subject='t')}"}


def test_a_letter_with_a_receipt_date_no_rule_covers_ends_in_triage_and_intake_knows(system):
    intake, routing = system["intake"], system["routing"]
    intake_web = web_app(intake).test_client()
    registered = intake_web.post(
        "/letters",
        headers=_headers("registrar"),
        json=incoming_letter(
            "complaint", "lt", "Dėl neišvežtų atliekų Žalgirio gatvėje", person("Ona Žemaitytė")
        ),
    )
    assert registered.status_code == 201, registered.get_json()
    letter_id = registered.get_json()["id"]

    from_intake = Recorder()
    relay(intake, from_intake).run_once()
    [envelope] = from_intake.take("letter.registered")
    envelope["payload"]["received_at"] = OLD_RECEIPT
    decision = message_handling(routing).handle(json.dumps(envelope).encode())
    assert decision.outcome is Outcome.HANDLED, decision

    triage = web_app(routing).test_client().get("/triage", headers=_headers("registrar"))
    [waiting] = [item for item in triage.get_json()["items"] if item["id"] == letter_id]
    assert waiting["status"] == "registered"
    assert "0450-07-24" in waiting["triage_reason"]

    from_routing = Recorder()
    relay(routing, from_routing).run_once()
    [triaged] = from_routing.take("letter.triaged")
    assert message_handling(intake).handle(json.dumps(triaged).encode()).outcome is Outcome.HANDLED
    seen = intake_web.get(f"/letters/{letter_id}", headers=_headers("registrar")).get_json()
    assert (seen["status"], seen["triage_reason"]) == ("registered", waiting["triage_reason"])
