"""Intake's unit-test system: a real SQLite file, the real wiring and Flask's test client.

Nothing of intake or the shared library is replaced: the system is intake's
own ``bootstrap``, on a clock the test moves by hand where a test asks for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chancery.db import new_id
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.principal import Principal
from chancery_testing import Clock, ServiceHarness, row_counts, wired_service
from intake.adapters.models import Attachment, Letter, RegisterCounter
from intake.bootstrap import bootstrap
from intake.config import load_settings
from intake.usecases.letters import RegisteredLetter, RegisterLetter


@dataclass
class IntakeSystem(ServiceHarness):
    """One intake deployment on its own SQLite file and attachments folder."""

    @property
    def attachments_dir(self) -> Path:
        return self.settings.attachments_dir

    def snapshot(self) -> dict[str, Any]:
        """Everything a request could have written: rows, counters and stored files."""
        tables = self.wiring.tables
        with self.wiring.engine.connect() as conn:
            counters = sorted(
                tuple(row)
                for row in conn.execute(
                    select(
                        RegisterCounter.register_code,
                        RegisterCounter.year,
                        RegisterCounter.last_sequence,
                    )
                )
            )
        snapshot: dict[str, Any] = row_counts(
            self.wiring.engine,
            {
                "letters": Letter,
                "attachments": Attachment,
                "outbox": tables.outbox,
                "idempotency": tables.idempotency,
            },
        )
        snapshot["counters"] = counters
        snapshot["files"] = self.files()
        return snapshot

    def files(self) -> list[Path]:
        """Files under the attachments folder."""
        if not self.attachments_dir.exists():
            return []
        return sorted(path for path in self.attachments_dir.rglob("*") if path.is_file())

    def outbox(self, message_type: str | None = None) -> list[dict[str, Any]]:
        """Outbox rows (oldest first) with the raw body and the parsed envelope."""
        table = self.wiring.tables.outbox
        query = select(table).order_by(table.c.created_at)
        if message_type:
            query = query.where(table.c.message_type == message_type)
        with self.wiring.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            {
                "type": row.message_type,
                "routing_key": row.routing_key,
                "body": row.body,
                "envelope": json.loads(row.body),
            }
            for row in rows
        ]

    def audit(self) -> list[dict[str, Any]]:
        """The audit log, oldest first."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]

    @staticmethod
    def answer_body(registered: RegisteredLetter) -> dict[str, Any]:
        """What ``POST /letters`` answers about a registered letter (the parts tests compare)."""
        letter = registered.letter
        return {
            "id": letter.id,
            "registration_number": letter.registration_number,
            "subject": letter.subject,
            "status_lookup_code": registered.access_code,
        }

    def register(
        self,
        command: RegisterLetter,
        principal: Principal | None = None,
        idempotent: IdempotentRequest | None = None,
    ) -> RegisteredLetter:
        """Register ``command`` through the use case (by a fresh registrar unless ``principal``).

        The stored answer is the letter's id, number, subject and access code.
        """
        made: list[RegisteredLetter] = []

        def respond(registered: RegisteredLetter) -> StoredResponse:
            made.append(registered)
            return StoredResponse(201, self.answer_body(registered))

        registrar = principal or self.principal("registrar")
        self.letters.register(command, registrar, new_id(), idempotent, respond)
        return made[0]

    def letter(self, letter_id: str) -> Letter:
        """A letter as stored now."""
        with self.wiring.unit_of_work() as uow:
            letter = uow.session.get(Letter, letter_id)
            assert letter is not None
            return letter


def build_system(directory: Path, clock: Clock | None = None, **env: str) -> IntakeSystem:
    """Intake's production wiring on a fresh SQLite file, on ``clock`` when one is given."""
    overrides = {"clock": clock} if clock else {}
    settings, wiring = wired_service(directory, load_settings, bootstrap, env, **overrides)
    return IntakeSystem(settings=settings, wiring=wiring, clock=clock)


@pytest.fixture(name="build_system")
def build_system_fixture() -> Callable[..., IntakeSystem]:
    """How chancery_testing's ``make_system`` and ``system`` build this service."""
    return build_system


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock at a Tuesday morning in March 2026 (UTC)."""
    return Clock(datetime(2026, 3, 10, 7, 30, tzinfo=UTC))
