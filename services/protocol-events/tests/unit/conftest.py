"""Protocol-events' unit-test system: a real SQLite file, the real wiring, messages and Flask.

Built the way ``bootstrap`` builds it; only the use cases are constructed
again with a clock the test moves by hand. Foreign relations' messages go
through the real message-handling core (inbox, contract check, outbox).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import literal_column, select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.consumer import Decision, MessageHandling
from chancery.messages.envelope import Envelope
from chancery.profiles import Profile
from chancery.runtime import ServiceWiring, message_handling, migrate, web_app
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings
from protocol_events.handlers import message_handlers
from protocol_events.models import Base
from protocol_events.receptions import Receptions
from protocol_events.services import Events

# Tuesday 10 March 2026, 09:30 in Vilnius; Wednesday 11 March is a Lithuanian public holiday.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class ProtocolSystem:
    """One protocol-events deployment on its own SQLite file, with a hand-moved clock."""

    wiring: ServiceWiring
    profile: Profile
    clock: Clock
    handling: MessageHandling

    @functools.cached_property
    def app(self) -> Flask:
        return web_app(self.wiring)

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    @property
    def events(self) -> Events:
        return self.wiring.extensions["events"]

    @property
    def receptions(self) -> Receptions:
        return self.wiring.extensions["receptions"]

    @staticmethod
    def headers(*roles: str, subject: str | None = None, **extra: str) -> dict[str, str]:
        """An ``Authorization`` header for a fresh (random) subject with ``roles``."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
        token = issue_token(DEV_JWT_SECRET, list(roles), subject=subject)
        return {"Authorization": f"Bearer {token}", **extra}

    def deliver(self, message_type: str, payload: dict[str, Any],
                message_id: str | None = None) -> Decision:
        """Hand a message (from foreign relations or intake) to the message-handling core."""
        extra = {"message_id": message_id} if message_id else {}
        body = Envelope(type=message_type, version=1, producer="foreign-relations",
                        payload=payload, correlation_id=f"c-{uuid.uuid4().hex[:10]}",
                        **extra).to_json().encode()
        return self.handling.handle(body)

    def outbox(self, message_type: str | None = None) -> list[dict[str, Any]]:
        """Written envelopes, oldest first, optionally of one type."""
        table = self.wiring.tables.outbox
        query = select(table.c.body).order_by(literal_column("rowid"))
        if message_type:
            query = query.where(table.c.message_type == message_type)
        with self.wiring.engine.connect() as conn:
            return [json.loads(row.body) for row in conn.execute(query)]

    def audit(self, object_type: str) -> list[tuple[str, str, str]]:
        """(actor, action, object id) of the audit records of ``object_type``."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [(r.actor, r.action, r.object_id) for r in conn.execute(
                select(table).where(table.c.object_type == object_type).order_by(table.c.id))]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: what a refused request must leave as it was."""
        with self.wiring.engine.connect() as conn:
            return {table.name: sorted(tuple(str(v) for v in row)
                                       for row in conn.execute(select(table)))
                    for table in Base.metadata.sorted_tables}


def build_system(directory: Path, profile: str = "alytus",
                 now: datetime = DEFAULT_NOW) -> ProtocolSystem:
    """Protocol-events on a fresh SQLite file in ``directory``, migrated."""
    settings = load_settings({"DATABASE_URL": f"sqlite:///{directory}/protocol.db",
                              "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(directory),
                              "CHANCERY_PROFILE": profile,
                              "PROTOCOL_EVENTS_PUBLIC_URL": "https://chancery.example.org"})
    wiring = bootstrap(settings)
    migrate(wiring)
    clock = Clock(now)
    loaded = wiring.extensions["events"].profile
    events = Events(wiring.unit_of_work, loaded, clock=clock)
    receptions = Receptions(wiring.unit_of_work, loaded, settings.reminder_hours,
                            settings.booking_horizon_days, clock=clock)
    wiring.handlers = message_handlers(events, receptions)
    wiring.extensions = {**wiring.extensions, "events": events, "receptions": receptions}
    return ProtocolSystem(wiring=wiring, profile=loaded, clock=clock,
                          handling=message_handling(wiring))


@pytest.fixture
def make_system(tmp_path: Path) -> Iterator[Callable[..., ProtocolSystem]]:
    """A factory for systems with another profile or start time."""
    systems: list[ProtocolSystem] = []

    def make(profile: str = "alytus", now: datetime = DEFAULT_NOW) -> ProtocolSystem:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        system = build_system(directory, profile, now)
        systems.append(system)
        return system

    yield make
    for system in systems:
        system.wiring.engine.dispose()


@pytest.fixture
def system(make_system: Callable[..., ProtocolSystem]) -> ProtocolSystem:
    """Protocol-events with the Alytus profile."""
    return make_system()
