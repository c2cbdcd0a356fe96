"""Notifications' unit-test system: a real SQLite file, the real wiring, messages and Flask.

Nothing of notifications or the shared library is replaced. One database is
migrated per test session with :func:`chancery.runtime.migrate` (which also
loads the shipped templates); every test gets its own copy of that file and
its own wiring from :func:`notifications.bootstrap.bootstrap`. Events and
commands enter through the real message-handling core, so the inbox and the
catalogue's payload validation are in play. Outside things are real local
servers: aiosmtpd (``smtp_server``), the webhook receiver and a fake SMS
gateway below.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from chancery.auth import Principal, issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.consumer import Decision, MessageHandling, Outcome
from chancery.messages.envelope import Envelope
from chancery.runtime import ServiceWiring, message_handling, migrate, web_app
from chancery_testing import wait_for
from notifications.bootstrap import bootstrap
from notifications.catalog import Catalog, Feed
from notifications.commands import Requests
from notifications.config import NotificationSettings, load_settings
from notifications.delivery import Deliveries
from notifications.models import (
    Delivery,
    FeedItem,
    LetterContact,
    Preference,
    StaffMember,
    Template,
    WebhookSubscription,
)
from notifications.subscriptions import Subscriptions

# A Tuesday morning in March 2026 (09:30 in Alytus).
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
LANGUAGES = ("lt", "lv", "ka", "sq", "en")

# Invented citizens, one per language, and the subjects of their letters.
CITIZENS = {
    "lt": ("Gintarė Vaitkevičiūtė", "gintare.vaitkeviciute", "+370 612 34567"),
    "lv": ("Ilze Ozoliņa", "ilze.ozolina", "+371 2612 3456"),
    "ka": ("თამარ გელაშვილი", "tamar.gelashvili", "+995 599 12 34 56"),
    "sq": ("Blerina Krasniqi", "blerina.krasniqi", "+355 69 765 4321"),
    "en": ("Margaret Ellison", "margaret.ellison", "+44 20 7946 0123"),
}
SUBJECTS = {
    "lt": "Dėl šaligatvio remonto Vilties gatvėje",
    "lv": "Iesniegums par bērnu rotaļu laukumu Saules ielā",
    "ka": "თხოვნა სკოლის ეზოს განათების შესახებ",
    "sq": "Kërkesë për riparimin e rrugës në Lagjen e Re",
    "en": "Invitation to the twin towns forum",
}


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def wait_until(condition: Callable[[], Any], timeout: float = 10.0,
               what: str = "the condition") -> Any:
    """Poll ``condition`` until it is truthy or the deadline passes."""
    return wait_for(condition, timeout, what, interval=0.01)


@pytest.fixture(name="wait_until")
def wait_until_fixture() -> Callable[..., Any]:
    """:func:`wait_until` for tests (conftest is no module to import from)."""
    return wait_until


@dataclass
class NotificationSystem:
    """One notifications deployment on its own SQLite file."""

    settings: NotificationSettings
    wiring: ServiceWiring
    app: Flask
    client: FlaskClient
    handling: MessageHandling
    operator: Principal = field(default_factory=lambda: Principal(
        subject=f"operator-{uuid.uuid4().hex[:8]}", roles=frozenset({"operator"})))

    @property
    def deliveries(self) -> Deliveries:
        return self.wiring.extensions["deliveries"]

    @property
    def catalog(self) -> Catalog:
        return self.wiring.extensions["catalog"]

    @property
    def requests(self) -> Requests:
        return self.wiring.extensions["requests"]

    @property
    def subscriptions(self) -> Subscriptions:
        return self.wiring.extensions["subscriptions"]

    @property
    def feed(self) -> Feed:
        return self.wiring.extensions["feed"]

    def headers(self, *roles: str, department: str | None = None,
                subject: str | None = None) -> dict[str, str]:
        """An ``Authorization`` header for a (random unless given) subject with ``roles``."""
        subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:12]}"
        token = issue_token(DEV_JWT_SECRET, list(roles), department=department, subject=subject)
        return {"Authorization": f"Bearer {token}"}

    # Messages ------------------------------------------------------------------------

    def handle(self, message_type: str, payload: dict[str, Any], producer: str = "intake",
               message_id: str | None = None) -> tuple[str, Decision]:
        """Hand one message to the real message-handling core; its id and the decision."""
        envelope = Envelope(type=message_type, version=1, producer=producer,
                            payload=payload, correlation_id=str(uuid.uuid4()),
                            message_id=message_id or str(uuid.uuid4()))
        return envelope.message_id, self.handling.handle(envelope.to_json().encode())

    def publish(self, message_type: str, payload: dict[str, Any],
                producer: str = "intake") -> str:
        """Handle a message that must be handled; its id (the cause of its deliveries)."""
        message_id, decision = self.handle(message_type, payload, producer)
        assert decision.outcome is Outcome.HANDLED, decision.reason
        return message_id

    # State ---------------------------------------------------------------------------

    def caused_by(self, cause: str) -> list[Delivery]:
        """The deliveries a cause produced, as stored now."""
        with self.wiring.unit_of_work() as uow:
            return list(uow.session.scalars(select(Delivery).where(Delivery.cause == cause)
                                            .order_by(Delivery.channel, Delivery.recipient)))

    def told(self, cause: str) -> set[tuple[str, str, str, str]]:
        """(channel, recipient, kind, language) of every delivery a cause produced."""
        return {(d.channel, d.recipient, d.kind, d.language) for d in self.caused_by(cause)}

    def delivery(self, delivery_id: str) -> Delivery:
        with self.wiring.unit_of_work() as uow:
            found = uow.session.get(Delivery, delivery_id)
            assert found is not None
            return found

    def counts(self) -> dict[str, int]:
        """Rows in every table a request or a message could write."""
        models = {"deliveries": Delivery, "feed": FeedItem, "staff": StaffMember,
                  "preferences": Preference, "webhooks": WebhookSubscription,
                  "templates": Template, "contacts": LetterContact}
        with self.wiring.engine.connect() as conn:
            counts = {name: conn.scalar(select(func.count()).select_from(model))
                      for name, model in models.items()}
            counts["inbox"] = conn.scalar(select(func.count())
                                          .select_from(self.wiring.tables.inbox))
        return counts

    def add_staff(self, name: str, language: str, department: str | None,
                  roles: list[str], email: str | None = None, phone: str | None = None,
                  active: bool = True) -> str:
        """Add a staff member with a random subject through the catalogue; the subject."""
        subject = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}"
        self.catalog.save_staff(subject, {
            "name": name, "language": language, "department": department, "roles": roles,
            "email": email, "phone": phone, "active": active}, self.operator)
        return subject

    def send_until(self, done: Callable[[], Any], timeout: float = 10.0) -> None:
        """Run the sender until ``done`` holds (or fail at the deadline)."""

        def step() -> Any:
            self.deliveries.send_due()
            return done()

        wait_until(step, timeout, "the deliveries")


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once, with the shipped templates loaded (copied per test)."""
    directory = tmp_path_factory.mktemp("notifications-migrated")
    wiring = bootstrap(load_settings({
        "DATABASE_URL": f"sqlite:///{directory}/notifications.db", "BROKER_URL": "memory://",
        "CHANCERY_DATA_DIR": str(directory), "CHANCERY_PROFILE": "alytus",
        "SMTP_URL": "log://"}))
    migrate(wiring)
    wiring.engine.dispose()
    return directory / "notifications.db"


@pytest.fixture
def make_system(tmp_path: Path, migrated_database: Path
                ) -> Iterator[Callable[..., NotificationSystem]]:
    """A factory for systems with extra settings (each on its own copy of the database)."""
    systems: list[NotificationSystem] = []

    def make(**env: str) -> NotificationSystem:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        shutil.copyfile(migrated_database, directory / "notifications.db")
        settings = load_settings({
            "DATABASE_URL": f"sqlite:///{directory}/notifications.db",
            "BROKER_URL": "memory://", "CHANCERY_DATA_DIR": str(directory),
            "CHANCERY_PROFILE": "alytus", "SMTP_URL": "log://",
            "NOTIFY_BACKOFF_SECONDS": "0",
            # The local webhook receivers: plain http on 127.0.0.1, allowed explicitly.
            "NOTIFY_WEBHOOK_ALLOW_HTTP": "true", "NOTIFY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            **env})
        wiring = bootstrap(settings)
        app = web_app(wiring)
        system = NotificationSystem(settings=settings, wiring=wiring, app=app,
                                    client=app.test_client(),
                                    handling=message_handling(wiring))
        systems.append(system)
        return system

    yield make
    for system in systems:
        system.wiring.engine.dispose()


@pytest.fixture
def system(make_system: Callable[..., NotificationSystem]) -> NotificationSystem:
    """Notifications for Alytus, e-mail to the log transport, SMS to the log provider."""
    return make_system()


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock at a Tuesday morning in March 2026 (UTC)."""
    return Clock()


# Events as the other services publish them ----------------------------------------


def _number(prefix: str = "P") -> str:
    return f"{prefix}-2026-{uuid.uuid4().int % 100_000:05d}"


class Events:
    """Payloads of the messages notifications consumes, with random ids and numbers."""

    subjects = SUBJECTS

    @staticmethod
    def citizen(language: str, email: bool = True, phone: bool = False) -> dict[str, Any]:
        """An invented sender who writes in ``language``, with a random e-mail address."""
        name, slug, number = CITIZENS[language]
        return {"type": "person", "name": name,
                "email": f"{slug}.{uuid.uuid4().hex[:6]}@example.org" if email else None,
                "phone": number if phone else None, "preferred_language": language}

    @staticmethod
    def registered(sender: dict[str, Any], language: str | None = None,
                   department: str | None = "COMM", **changes: Any) -> dict[str, Any]:
        """``letter.registered``: an application in the sender's language."""
        language = language or sender.get("preferred_language") or "lt"
        now = DEFAULT_NOW.isoformat()
        payload = {"letter_id": str(uuid.uuid4()), "registration_number": _number(),
                   "register": "applications", "kind": "application",
                   "channel": "e_services", "language": language,
                   "subject": SUBJECTS[language],
                   "addressee": ({"kind": "department", "department_code": department}
                                 if department else {"kind": "mayor"}),
                   "sender": sender, "confidentiality": "normal", "received_at": now,
                   "registered_at": now,
                   "status_lookup_code": uuid.uuid4().hex[:10].upper(),
                   "municipality": "alytus"}
        payload.update(changes)
        return payload

    @staticmethod
    def routed(letter: dict[str, Any], department: str = "COMM", **changes: Any
               ) -> dict[str, Any]:
        payload = {"letter_id": letter["letter_id"],
                   "registration_number": letter["registration_number"],
                   "department_code": department, "copy_department_codes": [],
                   "due_date": "2026-04-07", "rule": "Prašymai dėl gatvių → COMM",
                   "routed_at": DEFAULT_NOW.isoformat(), "kind": letter["kind"],
                   "subject": letter["subject"], "language": letter["language"]}
        payload.update(changes)
        return payload

    @staticmethod
    def answered(letter: dict[str, Any]) -> dict[str, Any]:
        return {"letter_id": letter["letter_id"],
                "registration_number": letter["registration_number"],
                "answered_at": "2026-03-24T12:15:00+00:00",
                "reply_letter_id": str(uuid.uuid4()), "reply_registration_number": _number("S")}

    @staticmethod
    def deadline_extended(letter: dict[str, Any]) -> dict[str, Any]:
        return {"letter_id": letter["letter_id"],
                "registration_number": letter["registration_number"],
                "previous_due_date": "2026-04-07", "due_date": "2026-04-21",
                "reason": "Reikia papildomos ekspertizės",
                "extended_at": DEFAULT_NOW.isoformat()}

    @staticmethod
    def not_ours(letter: dict[str, Any]) -> dict[str, Any]:
        return {"letter_id": letter["letter_id"],
                "registration_number": letter["registration_number"],
                "reason": "Klausimas priklauso Alytaus regiono aplinkos apsaugos departamentui",
                "forwarded_to": "Aplinkos apsaugos departamentas",
                "decided_at": DEFAULT_NOW.isoformat()}

    @staticmethod
    def status_changed(letter: dict[str, Any]) -> dict[str, Any]:
        return {"letter_id": letter["letter_id"],
                "registration_number": letter["registration_number"],
                "previous_status": "routed", "status": "in_progress",
                "changed_at": DEFAULT_NOW.isoformat(), "department_code": "COMM"}

    @staticmethod
    def reply_registered(letter: dict[str, Any]) -> dict[str, Any]:
        return {"letter_id": str(uuid.uuid4()), "registration_number": _number("S"),
                "register": "outgoing", "kind": "reply", "language": letter["language"],
                "subject": f"Atsakymas: {letter['subject']}", "recipient": letter["sender"],
                "department_code": "COMM", "in_reply_to_letter_id": letter["letter_id"],
                "in_reply_to_registration_number": letter["registration_number"],
                "registered_at": DEFAULT_NOW.isoformat()}

    @staticmethod
    def assignment(department: str = "COMM", executor: str | None = None,
                   **extra: Any) -> dict[str, Any]:
        """The common part of ``assignment.*``; add the event's own fields in ``extra``."""
        return {"assignment_id": str(uuid.uuid4()), "letter_id": str(uuid.uuid4()),
                "registration_number": _number(),
                "title": "Parengti atsakymą dėl šaligatvio remonto",
                "department_code": department, "executor": executor,
                "due_date": date(2026, 4, 7).isoformat(), **extra}

    @staticmethod
    def endorsement(department: str = "COMM", approver_role: str = "department_head",
                    executor: str | None = None, **extra: Any) -> dict[str, Any]:
        """The common part of ``endorsement.*``; add the event's own fields in ``extra``."""
        return {"endorsement_id": str(uuid.uuid4()), "letter_id": str(uuid.uuid4()),
                "registration_number": _number(),
                "reply_subject": "Dėl šaligatvio remonto Vilties gatvėje",
                "step": 1, "steps": 2, "approver_role": approver_role,
                "department_code": department, "executor": executor, **extra}


@pytest.fixture
def events() -> type[Events]:
    """Builders of the payloads other services publish."""
    return Events


# A fake SMS gateway (an outside thing) --------------------------------------------


@dataclass
class SmsGateway:
    """What the fake gateway received, and the statuses it answers first."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def sms_gateway() -> Iterator[SmsGateway]:
    """An HTTP SMS gateway on a free port: keeps each message and its bearer key."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    gateway = SmsGateway(url=f"http://127.0.0.1:{server.server_address[1]}/messages")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            with gateway.lock:
                status = gateway.answers.pop(0) if gateway.answers else 202
                if status < 300:
                    gateway.received.append({"body": body,
                                             "authorization": self.headers["Authorization"]})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"status": status}).encode())

        def log_message(self, *_: object) -> None:
            return

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
