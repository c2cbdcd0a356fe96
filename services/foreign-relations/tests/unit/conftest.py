"""Foreign relations' unit-test system: a real SQLite file, the real wiring, messages and Flask.

The system is foreign relations' own ``bootstrap`` with a clock the test
moves by hand (``clock=``). Intake's and routing's
messages go through the real message-handling core, so the inbox, the
catalogue's payload validation and the outbox are all in play.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.test import TestResponse

from chancery.messages.consumer import Decision, Outcome
from chancery_testing import Clock, ServiceHarness, wired_service
from foreign_relations.adapters.models import Base
from foreign_relations.bootstrap import bootstrap
from foreign_relations.config import load_settings

# A Tuesday morning in March 2026: 09:30 in Vilnius and Riga.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
OFFICER = "foreign_relations_officer"


@dataclass
class System(ServiceHarness):
    """One foreign-relations deployment on its own SQLite file, with a hand-moved clock."""

    @property
    def department(self) -> str:
        return self.invitations.department

    # Intake's and routing's messages ------------------------------------------------

    def registered_payload(
        self,
        kind: str = "invitation",
        letter_id: str | None = None,
        number: str | None = None,
        subject: str = "Kvietimas į Daugpilio miesto šventę",
        language: str = "lt",
    ) -> dict[str, Any]:
        """A ``letter.registered`` payload as intake publishes it (random id and number)."""
        received = self.clock.now - timedelta(hours=1)
        return {
            "letter_id": letter_id or str(uuid.uuid4()),
            "registration_number": number or f"G-2026-{uuid.uuid4().int % 10**5:05d}",
            "register": "incoming",
            "kind": kind,
            "channel": "email",
            "language": language,
            "subject": subject,
            "summary": "Kvietimas dalyvauti rugpjūčio 18–20 d.",
            "addressee": {"kind": "mayor"},
            "sender": {
                "type": "organisation",
                "name": "Līga Ozoliņa",
                "organisation": "Daugavpils valstspilsētas pašvaldība",
                "email": "liga.ozolina@example.org",
                "preferred_language": "lv",
            },
            "confidentiality": "normal",
            "received_at": received.isoformat(),
            "registered_at": received.isoformat(),
            "status_lookup_code": "K7Q2M4XPAB",
            "municipality": "alytus",
        }

    def routed_payload(
        self,
        registered: dict[str, Any],
        department: str | None = None,
        kind: str | None = "invitation",
        previous: str | None = None,
    ) -> dict[str, Any]:
        """The ``letter.routed`` payload routing publishes for a registered letter."""
        return {
            "letter_id": registered["letter_id"],
            "registration_number": registered["registration_number"],
            "department_code": department or self.department,
            "copy_department_codes": [],
            "due_date": "2026-03-24",
            "rule": "invitations",
            "routed_at": self.clock.now.isoformat(),
            "kind": kind,
            "subject": registered["subject"],
            "language": registered["language"],
            "previous_department_code": previous,
            "reason": "re-routed" if previous else None,
        }

    def deliver(
        self, message_type: str, payload: dict[str, Any], message_id: str | None = None
    ) -> Decision:
        """Hand one message to the message-handling core, as the worker would."""
        producer = "intake" if message_type == "letter.registered" else "routing"
        decision = self.handle(message_type, payload, producer, message_id)
        assert decision.outcome in (Outcome.HANDLED, Outcome.DUPLICATE), decision
        return decision

    def get(self, path: str, role: str = OFFICER) -> TestResponse:
        """``GET`` ``path`` with a token of ``role`` (the officer's)."""
        return self.client.get(path, headers=self.headers(role))

    def post(self, path: str, body: Any, role: str = OFFICER) -> TestResponse:
        """``POST`` ``body`` as JSON to ``path`` with a token of ``role`` (the officer's)."""
        return self.client.post(path, json=body, headers=self.headers(role))

    def order_translation(self, **fields: Any) -> dict[str, Any]:
        """The officer orders a Latvian invitation's translation into Lithuanian; the task."""
        response = self.post(
            "/translations",
            {
                "source_language": "lv",
                "target_language": "lt",
                "title": "Ielūgums",
                "source_text": "Mīļie draugi! Ielūdzam jūs uz Daugavpils pilsētas svētkiem.",
                **fields,
            },
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    # What is stored ------------------------------------------------------------------

    def audit(self) -> list[tuple[str, str, str]]:
        """(actor, action, object type) of every audit record."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [(r.actor, r.action, r.object_type) for r in conn.execute(select(table))]


def build_system(
    directory: Path, now: datetime = DEFAULT_NOW, env: dict[str, str] | None = None
) -> System:
    """Foreign relations' production wiring on a fresh SQLite file in ``directory``."""
    clock = Clock(now)
    settings, wiring = wired_service(directory, load_settings, bootstrap, env, clock=clock)
    return System(settings=settings, wiring=wiring, clock=clock, metadata=Base.metadata)


@pytest.fixture(name="build_system")
def build_system_fixture() -> Callable[..., System]:
    """How chancery_testing's ``make_system`` and ``system`` build this service."""
    return build_system
