"""Routing's unit-test system: a real SQLite file, the real wiring, messages and Flask.

Nothing of routing or the shared library is replaced. The system is built the
way ``bootstrap`` builds it; only its use cases are then constructed again with
a clock the test moves by hand (the same classes, the same unit of work and
profile), and the message handlers and the web app are built on those.
Intake's events go through the real message-handling core
(:func:`chancery.runtime.message_handling`), so the inbox, the catalogue's
payload validation and the outbox are all in play.
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

from chancery.auth import Principal, issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.consumer import Decision, MessageHandling, Outcome
from chancery.messages.envelope import Envelope
from chancery.profiles import Profile
from chancery.runtime import ServiceWiring, message_handling, migrate, web_app
from routing.bootstrap import bootstrap
from routing.calendar_days import DeclaredDays
from routing.config import RoutingSettings, load_settings
from routing.directory import Directory
from routing.handlers import message_handlers
from routing.models import (
    Assignment,
    Base,
    Endorsement,
    HistoryEntry,
    StaffMember,
    WorkflowLetter,
)
from routing.registry import Registry
from routing.reports import Reports
from routing.services import Workflow
from routing.tasks import Tasks

# A Tuesday morning in March 2026: 09:30 in Vilnius and Riga, 11:30 in Tbilisi.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)

# Invented people, one per language the profiles use.
ONA = {"type": "person", "name": "Ona Žemaitytė", "email": "ona.zemaityte@example.org",
       "address": "Žalgirio g. 7, Alytus", "preferred_language": "lt"}
JANIS = {"type": "person", "name": "Jānis Bērziņš", "email": "janis.berzins@example.org",
         "preferred_language": "lv"}
NINO = {"type": "organisation", "name": "ნინო ბერიძე",
        "organisation": "თელავის მუნიციპალიტეტი", "preferred_language": "ka"}
ARBER = {"type": "person", "name": "Arbër Hoxha", "phone": "+355 69 123 4567",
         "preferred_language": "sq"}
JOHN = {"type": "organisation", "name": "Margaret Ellison",
        "organisation": "Twin Towns Association", "preferred_language": "en"}
SENDERS = {"lt": ONA, "lv": JANIS, "ka": NINO, "sq": ARBER, "en": JOHN}


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
class RoutingSystem:
    """One routing deployment on its own SQLite file, with a hand-moved clock."""

    settings: RoutingSettings
    wiring: ServiceWiring
    profile: Profile
    clock: Clock
    handling: MessageHandling

    @functools.cached_property
    def app(self) -> Flask:
        """The web app on the same wiring (built on first use: most tests do not need it)."""
        return web_app(self.wiring)

    @property
    def client(self) -> FlaskClient:
        """Flask's test client for :attr:`app`."""
        return self.app.test_client()

    # The use cases -------------------------------------------------------------------

    @property
    def workflow(self) -> Workflow:
        return self.wiring.extensions["workflow"]

    @property
    def registry(self) -> Registry:
        return self.wiring.extensions["registry"]

    @property
    def tasks(self) -> Tasks:
        return self.wiring.extensions["tasks"]

    @property
    def reports(self) -> Reports:
        return self.wiring.extensions["reports"]

    # Who is calling ------------------------------------------------------------------

    @staticmethod
    def principal(*roles: str, department: str | None = None,
                  subject: str | None = None) -> Principal:
        """A principal with a fresh (random) subject."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
        return Principal(subject=subject, roles=frozenset(roles), department=department)

    @staticmethod
    def headers(*roles: str, department: str | None = None,
                subject: str | None = None) -> dict[str, str]:
        """An ``Authorization`` header for a fresh (random) subject with ``roles``."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
        token = issue_token(DEV_JWT_SECRET, list(roles), department=department, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    # Intake's events -------------------------------------------------------------------

    def registered_payload(self, subject: str = "Dėl neišvežtų atliekų Žalgirio gatvėje",
                           kind: str = "application", language: str = "lt",
                           sender: dict[str, Any] | None = None,
                           addressee: dict[str, Any] | None = None,
                           confidentiality: str = "normal",
                           received_at: datetime | None = None,
                           letter_id: str | None = None) -> dict[str, Any]:
        """A ``letter.registered`` payload as intake publishes it (random id and number)."""
        received_at = received_at or self.clock.now - timedelta(minutes=5)
        register = "applications" if kind in ("application", "complaint") else "incoming"
        prefix = "P" if register == "applications" else "G"
        return {
            "letter_id": letter_id or str(uuid.uuid4()),
            "registration_number": f"{prefix}-{received_at.year}-{uuid.uuid4().int % 10**5:05d}",
            "register": register, "kind": kind, "channel": "email", "language": language,
            "subject": subject, "summary": None,
            "addressee": addressee or {"kind": "mayor"},
            "sender": sender or SENDERS.get(language, ONA), "confidentiality": confidentiality,
            "received_at": received_at.isoformat(),
            "registered_at": max(received_at, self.clock.now).isoformat(),
            "status_lookup_code": uuid.uuid4().hex[:10].upper(),
            "municipality": self.profile.code,
        }

    @staticmethod
    def envelope(message_type: str, payload: dict[str, Any],
                 message_id: str | None = None, producer: str = "intake") -> bytes:
        """A message body from intake (or ``producer``), as it arrives on routing's queue."""
        extra = {"message_id": message_id} if message_id else {}
        return Envelope(type=message_type, version=1, producer=producer, payload=payload,
                        correlation_id=f"c-{uuid.uuid4().hex[:10]}", **extra).to_json().encode()

    def deliver(self, message_type: str, payload: dict[str, Any],
                message_id: str | None = None, producer: str = "intake") -> Decision:
        """Hand one of intake's (or ``producer``'s) messages to routing's handling core."""
        return self.handling.handle(self.envelope(message_type, payload, message_id,
                                                  producer))

    def register(self, **fields: Any) -> str:
        """Deliver ``letter.registered`` (see :meth:`registered_payload`); the letter's id."""
        payload = self.registered_payload(**fields)
        decision = self.deliver("letter.registered", payload)
        assert decision.outcome is Outcome.HANDLED, decision
        return payload["letter_id"]

    def reply(self, letter_id: str, registered_at: datetime | None = None) -> dict[str, Any]:
        """Deliver ``letter.reply_registered`` answering ``letter_id``; the payload sent."""
        registered_at = registered_at or self.clock.now
        payload = {
            "letter_id": str(uuid.uuid4()),
            "registration_number": f"S-{registered_at.year}-{uuid.uuid4().int % 10**5:05d}",
            "register": "outgoing", "kind": "reply", "language": "lt",
            "subject": "Atsakymas dėl atliekų išvežimo", "recipient": ONA,
            "department_code": None, "in_reply_to_letter_id": letter_id,
            "in_reply_to_registration_number": None,
            "registered_at": registered_at.isoformat()}
        decision = self.deliver("letter.reply_registered", payload)
        assert decision.outcome is Outcome.HANDLED, decision
        return payload

    # What is stored ----------------------------------------------------------------------

    def letter(self, letter_id: str) -> WorkflowLetter:
        """A letter's workflow row as stored now."""
        with self.wiring.unit_of_work() as uow:
            row = uow.session.get(WorkflowLetter, letter_id)
            assert row is not None, f"no letter {letter_id}"
            return row

    def history(self, letter_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(actor, action, details) of a letter's history, oldest first."""
        with self.wiring.unit_of_work() as uow:
            return [(entry.actor, entry.action, entry.details)
                    for entry in uow.session.scalars(select(HistoryEntry).where(
                        HistoryEntry.letter_id == letter_id).order_by(HistoryEntry.id))]

    def assignments(self, letter_id: str | None = None) -> list[Assignment]:
        """Assignments (of one letter, or all), oldest first."""
        query = select(Assignment).order_by(Assignment.created_at, Assignment.id)
        if letter_id is not None:
            query = query.where(Assignment.letter_id == letter_id)
        with self.wiring.unit_of_work() as uow:
            return list(uow.session.scalars(query))

    def endorsements(self, letter_id: str) -> list[Endorsement]:
        """A letter's endorsements, oldest first."""
        with self.wiring.unit_of_work() as uow:
            return list(uow.session.scalars(select(Endorsement).where(
                Endorsement.letter_id == letter_id).order_by(Endorsement.requested_at)))

    def outbox(self, message_type: str | None = None,
               letter_id: str | None = None) -> list[dict[str, Any]]:
        """Published envelopes (oldest first), optionally of one type and one letter."""
        table = self.wiring.tables.outbox
        # SQLite's rowid is the insertion order (created_at may tie within a transaction).
        query = select(table.c.body, table.c.message_type).order_by(literal_column("rowid"))
        if message_type:
            query = query.where(table.c.message_type == message_type)
        with self.wiring.engine.connect() as conn:
            envelopes = [json.loads(row.body) for row in conn.execute(query)]
        if letter_id is not None:
            envelopes = [e for e in envelopes if e["payload"].get("letter_id") == letter_id]
        return envelopes

    def outbox_types(self, letter_id: str | None = None) -> list[str]:
        """The types of the published messages, oldest first."""
        return [envelope["type"] for envelope in self.outbox(letter_id=letter_id)]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: what a refused request must leave as it was."""
        with self.wiring.engine.connect() as conn:
            return {table.name: sorted(tuple(str(value) for value in row)
                                       for row in conn.execute(select(table)))
                    for table in Base.metadata.sorted_tables}


def build_system(directory: Path, profile: str = "alytus",
                 now: datetime = DEFAULT_NOW) -> RoutingSystem:
    """Routing on a fresh SQLite file in ``directory``, migrated, the profile loaded."""
    settings = load_settings({"DATABASE_URL": f"sqlite:///{directory}/routing.db",
                              "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(directory),
                              "CHANCERY_PROFILE": profile})
    wiring = bootstrap(settings)
    migrate(wiring)
    clock = Clock(now)
    loaded = wiring.extensions["workflow"].profile  # bootstrap loaded it already
    workflow = Workflow(wiring.unit_of_work, loaded, clock=clock)
    wiring.handlers = message_handlers(workflow)
    wiring.extensions = {
        "workflow": workflow,
        "registry": wiring.extensions["registry"],
        "tasks": Tasks(wiring.unit_of_work, workflow.calendars, loaded.due_soon_working_days,
                       clock=clock),
        "reports": Reports(wiring.unit_of_work, workflow.calendar, clock=clock),
        "declared_days": DeclaredDays(wiring.unit_of_work, loaded, clock=clock),
        "directory": Directory(wiring.unit_of_work, clock=clock),
    }
    _seed_directory(wiring)
    return RoutingSystem(settings=settings, wiring=wiring, profile=loaded, clock=clock,
                         handling=message_handling(wiring))


# Invented people the tests give work to, by department (the executor must be one).
PEOPLE = {"LEGAL": ("Ieva Kazlauskienė", "Dovilė Jankauskaitė", "staff-ieva"),
          "MUNI": ("Rūta Vaitkienė", "Tomas Kazlauskas"),
          "EDU": ("Jonas Jonaitis",), "FIN": ("Laima Stankevičienė", "Paulius Grigas"),
          "COMM": ("Eglė Petrauskaitė",)}


def _seed_directory(wiring: ServiceWiring) -> None:
    """The people as rows, not announcements: no test expects their messages."""
    with wiring.unit_of_work() as uow:
        for department, subjects in PEOPLE.items():
            uow.session.add_all(StaffMember(
                subject=subject, name=subject, department_code=department,
                roles=["department_staff"], positions={"lt": "Specialistas"},
                language="lt", active=True, updated_at=DEFAULT_NOW) for subject in subjects)
        uow.session.add(StaffMember(
            subject="mayor-nerijus", name="Nerijus Vaitkus", department_code=None,
            roles=["mayor"], positions={"lt": "Meras", "en": "Mayor"}, language="lt",
            active=True, updated_at=DEFAULT_NOW))
        uow.commit()


@pytest.fixture
def make_system(tmp_path: Path) -> Iterator[Callable[..., RoutingSystem]]:
    """A factory for systems with another profile or start time (each in its own folder)."""
    systems: list[RoutingSystem] = []

    def make(profile: str = "alytus", now: datetime = DEFAULT_NOW) -> RoutingSystem:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        system = build_system(directory, profile, now)
        systems.append(system)
        return system

    yield make
    for system in systems:
        system.wiring.engine.dispose()


@pytest.fixture
def system(make_system: Callable[..., RoutingSystem]) -> RoutingSystem:
    """Routing with the Alytus profile, its departments and its rules."""
    return make_system()

