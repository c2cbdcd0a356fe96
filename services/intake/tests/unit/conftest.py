"""Intake's unit-test system: a real SQLite file, the real wiring and Flask's test client.

Nothing of intake or the shared library is replaced; only the clock of a
hand-built :class:`~intake.services.Intake` is controllable.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import ServiceWiring, migrate, web_app
from intake.bootstrap import bootstrap
from intake.config import IntakeSettings, load_settings
from intake.models import Attachment, Letter, RegisterCounter
from intake.services import Intake


@dataclass
class IntakeSystem:
    """One intake deployment on its own SQLite file and attachments folder."""

    settings: IntakeSettings
    wiring: ServiceWiring
    app: Flask
    client: FlaskClient

    @property
    def intake(self) -> Intake:
        return self.wiring.extensions["intake"]

    @property
    def attachments_dir(self) -> Path:
        return self.settings.attachments_dir

    def headers(self, *roles: str, department: str | None = None,
                subject: str | None = None) -> dict[str, str]:
        """An ``Authorization`` header for a fresh (random) subject with ``roles``."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:12]}"
        token = issue_token(DEV_JWT_SECRET, list(roles), department=department, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    def snapshot(self) -> dict[str, Any]:
        """Everything a request could have written: rows, counters and stored files."""
        tables = self.wiring.tables
        with self.wiring.engine.connect() as conn:
            counters = sorted(tuple(row) for row in conn.execute(select(
                RegisterCounter.register_code, RegisterCounter.year,
                RegisterCounter.last_sequence)))
            snapshot = {
                "letters": conn.scalar(select(func.count()).select_from(Letter)),
                "attachments": conn.scalar(select(func.count()).select_from(Attachment)),
                "outbox": conn.scalar(select(func.count()).select_from(tables.outbox)),
                "idempotency": conn.scalar(select(func.count()).select_from(tables.idempotency)),
                "counters": counters,
            }
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
        return [{"type": row.message_type, "routing_key": row.routing_key, "body": row.body,
                 "envelope": json.loads(row.body)} for row in rows]

    def audit(self) -> list[dict[str, Any]]:
        """The audit log, oldest first."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(
                select(table).order_by(table.c.id))]

    def letter(self, letter_id: str) -> Letter:
        """A letter as stored now."""
        with self.wiring.unit_of_work() as uow:
            letter = uow.session.get(Letter, letter_id)
            assert letter is not None
            return letter


def build_system(directory: Path, **env: str) -> IntakeSystem:
    settings = load_settings({"DATABASE_URL": f"sqlite:///{directory}/intake.db",
                              "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(directory),
                              **env})
    wiring = bootstrap(settings)
    migrate(wiring)
    app = web_app(wiring)
    return IntakeSystem(settings=settings, wiring=wiring, app=app, client=app.test_client())


@pytest.fixture
def make_system(tmp_path: Path) -> Callable[..., IntakeSystem]:
    """A factory for systems with extra settings (each in its own folder)."""
    systems: list[IntakeSystem] = []

    def make(**env: str) -> IntakeSystem:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        system = build_system(directory, **env)
        systems.append(system)
        return system

    yield make
    for system in systems:
        system.wiring.engine.dispose()


@pytest.fixture
def system(make_system: Callable[..., IntakeSystem]) -> IntakeSystem:
    """Intake with the default (alytus) profile and default limits."""
    return make_system()


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock at a Tuesday morning in March 2026 (UTC)."""
    return Clock(datetime(2026, 3, 10, 7, 30, tzinfo=UTC))
