"""Foreign relations' unit-test system: a real SQLite file, the real wiring, messages and Flask.

The system is built the way ``bootstrap`` builds it; only the use cases are
built again with a clock the test moves by hand. Intake's and routing's
messages go through the real message-handling core, so the inbox, the
catalogue's payload validation and the outbox are all in play.
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
from chancery.messages.consumer import Decision, MessageHandling, Outcome
from chancery.messages.envelope import Envelope
from chancery.runtime import ServiceWiring, message_handling, migrate, web_app
from foreign_relations.bootstrap import bootstrap
from foreign_relations.config import ForeignRelationsSettings, load_settings
from foreign_relations.handlers import message_handlers
from foreign_relations.invitations import Invitations
from foreign_relations.models import Base
from foreign_relations.partners import Partners
from foreign_relations.projects import Projects
from foreign_relations.timers import Timers
from foreign_relations.translations import Translations
from foreign_relations.travel import Travel

# A Tuesday morning in March 2026: 09:30 in Vilnius and Riga.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
OFFICER = "foreign_relations_officer"


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
class System:
    """One foreign-relations deployment on its own SQLite file, with a hand-moved clock."""

    settings: ForeignRelationsSettings
    wiring: ServiceWiring
    clock: Clock
    handling: MessageHandling

    @functools.cached_property
    def app(self) -> Flask:
        """The web app on the same wiring."""
        return web_app(self.wiring)

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    @property
    def department(self) -> str:
        return self.invitations.department

    @property
    def partners(self) -> Partners:
        return self.wiring.extensions["partners"]

    @property
    def invitations(self) -> Invitations:
        return self.wiring.extensions["invitations"]

    @property
    def travel(self) -> Travel:
        return self.wiring.extensions["travel"]

    @property
    def timers(self) -> Timers:
        return self.wiring.extensions["timers"]

    @staticmethod
    def headers(*roles: str, subject: str | None = None, **extra: str) -> dict[str, str]:
        """An ``Authorization`` header for a fresh (random) subject with ``roles``."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
        token = issue_token(DEV_JWT_SECRET, list(roles), subject=subject)
        return {"Authorization": f"Bearer {token}", **extra}

    # Intake's and routing's messages ------------------------------------------------

    def registered_payload(self, kind: str = "invitation", letter_id: str | None = None,
                           number: str | None = None,
                           subject: str = "Kvietimas į Daugpilio miesto šventę",
                           language: str = "lt") -> dict[str, Any]:
        """A ``letter.registered`` payload as intake publishes it (random id and number)."""
        received = self.clock.now - timedelta(hours=1)
        return {
            "letter_id": letter_id or str(uuid.uuid4()),
            "registration_number": number or f"G-2026-{uuid.uuid4().int % 10**5:05d}",
            "register": "incoming", "kind": kind, "channel": "email", "language": language,
            "subject": subject, "summary": "Kvietimas dalyvauti rugpjūčio 18–20 d.",
            "addressee": {"kind": "mayor"},
            "sender": {"type": "organisation", "name": "Līga Ozoliņa",
                       "organisation": "Daugavpils valstspilsētas pašvaldība",
                       "email": "liga.ozolina@example.org", "preferred_language": "lv"},
            "confidentiality": "normal", "received_at": received.isoformat(),
            "registered_at": received.isoformat(), "status_lookup_code": "K7Q2M4XPAB",
            "municipality": "alytus"}

    def routed_payload(self, registered: dict[str, Any], department: str | None = None,
                       kind: str | None = "invitation",
                       previous: str | None = None) -> dict[str, Any]:
        """The ``letter.routed`` payload routing publishes for a registered letter."""
        return {
            "letter_id": registered["letter_id"],
            "registration_number": registered["registration_number"],
            "department_code": department or self.department, "copy_department_codes": [],
            "due_date": "2026-03-24", "rule": "invitations", "routed_at":
            self.clock.now.isoformat(), "kind": kind, "subject": registered["subject"],
            "language": registered["language"], "previous_department_code": previous,
            "reason": "re-routed" if previous else None}

    def deliver(self, message_type: str, payload: dict[str, Any],
                message_id: str | None = None) -> Decision:
        """Hand one message to the message-handling core, as the worker would."""
        producer = "intake" if message_type == "letter.registered" else "routing"
        extra = {"message_id": message_id} if message_id else {}
        body = Envelope(type=message_type, version=1, producer=producer, payload=payload,
                        correlation_id=f"c-{uuid.uuid4().hex[:10]}", **extra).to_json().encode()
        decision = self.handling.handle(body)
        assert decision.outcome in (Outcome.HANDLED, Outcome.DUPLICATE), decision
        return decision

    # What is stored ------------------------------------------------------------------

    def outbox(self, message_type: str | None = None) -> list[dict[str, Any]]:
        """Published envelopes, oldest first, optionally of one type."""
        table = self.wiring.tables.outbox
        query = select(table.c.body).order_by(literal_column("rowid"))
        if message_type:
            query = query.where(table.c.message_type == message_type)
        with self.wiring.engine.connect() as conn:
            return [json.loads(row.body) for row in conn.execute(query)]

    def audit(self) -> list[tuple[str, str, str]]:
        """(actor, action, object type) of every audit record."""
        table = self.wiring.tables.audit
        with self.wiring.engine.connect() as conn:
            return [(r.actor, r.action, r.object_type) for r in conn.execute(select(table))]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: what a refused request must leave as it was."""
        with self.wiring.engine.connect() as conn:
            return {table.name: sorted(tuple(str(value) for value in row)
                                       for row in conn.execute(select(table)))
                    for table in Base.metadata.sorted_tables}


def build_system(directory: Path, now: datetime = DEFAULT_NOW,
                 env: dict[str, str] | None = None) -> System:
    """Foreign relations on a fresh SQLite file in ``directory``, migrated."""
    settings = load_settings({"DATABASE_URL": f"sqlite:///{directory}/fr.db",
                              "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(directory),
                              "CHANCERY_PROFILE": "alytus", **(env or {})})
    wiring = bootstrap(settings)
    migrate(wiring)
    clock = Clock(now)
    profile = wiring.extensions["partners"].profile
    uow = wiring.unit_of_work
    invitations = Invitations(uow, profile, clock=clock)
    translations = Translations(uow, profile, settings.translation_working_days, clock=clock)
    wiring.handlers = message_handlers(invitations, translations)
    wiring.extensions = {
        "partners": Partners(uow, profile, clock=clock), "invitations": invitations,
        "travel": Travel(uow, profile, settings.passport_margin_months, clock=clock),
        "translations": translations,
        "projects": Projects(uow, profile, clock=clock),
        "timers": Timers(uow, profile, settings.agreement_lead_days,
                         settings.project_lead_days, clock=clock)}
    return System(settings=settings, wiring=wiring, clock=clock,
                  handling=message_handling(wiring))


@pytest.fixture
def make_system(tmp_path: Path) -> Iterator[Callable[..., System]]:
    """A factory for systems with another start time or settings (each in its own folder)."""
    systems: list[System] = []

    def make(now: datetime = DEFAULT_NOW, env: dict[str, str] | None = None) -> System:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        system = build_system(directory, now, env)
        systems.append(system)
        return system

    yield make
    for system in systems:
        system.wiring.engine.dispose()


@pytest.fixture
def system(make_system: Callable[..., System]) -> System:
    """Foreign relations with the Alytus profile (foreign relations: COMM)."""
    return make_system()
