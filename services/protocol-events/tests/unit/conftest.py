"""Protocol-events' unit-test system: a real SQLite file, the real wiring, messages and Flask.

Protocol-events' own ``bootstrap`` with a clock the test moves by hand
(``clock=``). Foreign relations' messages go
through the real message-handling core (inbox, contract check, outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.test import TestResponse

from chancery.messages.consumer import Decision
from chancery_testing import Clock, ServiceHarness, wired_service
from protocol_events.adapters.models import Base
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings

# Tuesday 10 March 2026, 09:30 in Vilnius; Wednesday 11 March is a Lithuanian public holiday.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)


@dataclass
class ProtocolSystem(ServiceHarness):
    """One protocol-events deployment on its own SQLite file, with a hand-moved clock."""

    def deliver(
        self, message_type: str, payload: dict[str, Any], message_id: str | None = None
    ) -> Decision:
        """Hand a message (from foreign relations or intake) to the message-handling core."""
        return self.handle(message_type, payload, "foreign-relations", message_id)

    def as_officer(
        self, method: str, url: str, body: Any = None, *, if_match: str | None = None
    ) -> TestResponse:
        """``method`` on ``url`` with the JSON ``body`` (if any), as the protocol officer."""
        extra = {"If-Match": if_match} if if_match else {}
        return self.client.open(
            url, method=method, json=body, headers=self.headers("protocol_officer", **extra)
        )

    def new_event(self, headers: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
        """Create an event, as the protocol officer unless ``headers`` say who: a diplomatic
        reception in the town hall on 4 May 2026, 10:00-12:00 in Vilnius, but for what
        ``fields`` replace; the event as answered."""
        body = {
            "kind": "official_reception",
            "protocol_level": "diplomatic",
            "title": {"lt": "Oficialus priėmimas", "ka": "ოფიციალური მიღება"},
            "venue": "Rotušė, Didžioji salė",
            "starts_at": "2026-05-04T10:00:00+03:00",
            "ends_at": "2026-05-04T12:00:00+03:00",
            **fields,
        }
        response = self.client.post(
            "/events", json=body, headers=headers or self.headers("protocol_officer")
        )
        assert response.status_code == 201, response.get_json()
        created: dict[str, Any] = response.get_json()
        return created

    def book(
        self,
        official_id: str,
        starts_at: str,
        visitor: dict[str, Any],
        topic: str,
        headers: dict[str, str] | None = None,
    ) -> TestResponse:
        """``POST /appointments``: a registrar books ``visitor`` with the official (the answer)."""
        return self.client.post(
            "/appointments",
            headers=headers or self.headers("registrar"),
            json={
                "official_id": official_id,
                "starts_at": starts_at,
                "topic": topic,
                "visitor": visitor,
            },
        )

    def add_official(self, official: dict[str, Any], hours: list[dict[str, Any]]) -> str:
        """Create ``official`` and set its reception ``hours`` as the protocol officer; its id."""
        officer = self.headers("protocol_officer")
        created = self.client.post("/officials", json=official, headers=officer)
        assert created.status_code == 201, created.get_json()
        official_id: str = created.get_json()["id"]
        answer = self.client.put(
            f"/officials/{official_id}/hours", json={"hours": hours}, headers=officer
        )
        assert answer.status_code == 200, answer.get_json()
        return official_id

    def audit(self, object_type: str) -> list[tuple[str, str, str]]:
        """(actor, action, object id) of the audit records of ``object_type``."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [
                (r.actor, r.action, r.object_id)
                for r in conn.execute(
                    select(table).where(table.c.object_type == object_type).order_by(table.c.id)
                )
            ]


def build_system(
    directory: Path, profile: str = "alytus", now: datetime = DEFAULT_NOW
) -> ProtocolSystem:
    """Protocol-events' production wiring on a fresh SQLite file in ``directory``."""
    clock = Clock(now)
    settings, wiring = wired_service(
        directory,
        load_settings,
        bootstrap,
        {"CHANCERY_PROFILE": profile, "PROTOCOL_EVENTS_PUBLIC_URL": "https://chancery.example.org"},
        clock=clock,
    )
    return ProtocolSystem(settings=settings, wiring=wiring, clock=clock, metadata=Base.metadata)


@pytest.fixture(name="build_system")
def build_system_fixture() -> Callable[..., ProtocolSystem]:
    """How chancery_testing's ``make_system`` and ``system`` build this service."""
    return build_system
