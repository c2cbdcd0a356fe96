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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chancery.messages.consumer import Decision, Outcome
from chancery.principal import Principal
from chancery_testing import (
    Clock,
    LocalHandler,
    ServiceHarness,
    message_body,
    row_counts,
    serving_http,
    wait_for,
    wired_service,
)
from notifications.adapters.models import (
    Delivery,
    FeedItem,
    LetterContact,
    Preference,
    StaffMember,
    Template,
    WebhookSubscription,
)
from notifications.bootstrap import bootstrap
from notifications.config import load_settings

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


@dataclass
class NotificationSystem(ServiceHarness):
    """One notifications deployment on its own SQLite file."""

    operator: Principal = field(
        default_factory=lambda: Principal(
            subject=f"operator-{uuid.uuid4().hex[:8]}", roles=frozenset({"operator"})
        )
    )

    # Messages ------------------------------------------------------------------------

    def handle(
        self,
        message_type: str,
        payload: dict[str, Any],
        producer: str = "intake",
        message_id: str | None = None,
    ) -> tuple[str, Decision]:
        """Hand one message to the real message-handling core; its id and the decision."""
        message_id = message_id or str(uuid.uuid4())
        body = message_body(message_type, payload, producer, message_id)
        return message_id, self.handling.handle(body)

    def publish(self, message_type: str, payload: dict[str, Any], producer: str = "intake") -> str:
        """Handle a message that must be handled; its id (the cause of its deliveries)."""
        message_id, decision = self.handle(message_type, payload, producer)
        assert decision.outcome is Outcome.HANDLED, decision.reason
        return message_id

    def from_routing(self, message_type: str, payload: dict[str, Any]) -> str:
        """:meth:`publish` a message routing sends (letters' routes, tasks, endorsements)."""
        return self.publish(message_type, payload, producer="routing")

    def ask(
        self,
        recipient: dict[str, Any],
        data: dict[str, str],
        language: str = "lv",
        channel: str | None = None,
    ) -> dict[str, Any]:
        """Ask for one ``generic`` notice as a department system does; the delivery."""
        response = self.client.post(
            "/notifications",
            json={
                "recipient": recipient,
                "channel": channel,
                "template": "generic",
                "language": language,
                "data": data,
            },
            headers={**self.headers("system"), "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 202, response.get_data(as_text=True)
        [delivery] = response.get_json()
        assert isinstance(delivery, dict)
        return delivery

    # State ---------------------------------------------------------------------------

    def caused_by(self, cause: str) -> list[Delivery]:
        """The deliveries a cause produced, as stored now."""
        return self.rows(
            select(Delivery)
            .where(Delivery.cause == cause)
            .order_by(Delivery.channel, Delivery.recipient)
        )

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
        models = {
            "deliveries": Delivery,
            "feed": FeedItem,
            "staff": StaffMember,
            "preferences": Preference,
            "webhooks": WebhookSubscription,
            "templates": Template,
            "contacts": LetterContact,
        }
        return row_counts(self.wiring.engine, {**models, "inbox": self.wiring.tables.inbox})

    def add_staff(
        self,
        name: str,
        language: str,
        department: str | None,
        roles: list[str],
        email: str | None = None,
        phone: str | None = None,
        active: bool = True,
    ) -> str:
        """Add a staff member with a random subject as routing announces one; the subject."""
        subject = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}"
        self.handle(
            "staff.member_changed",
            {
                "subject": subject,
                "name": name,
                "language": language,
                "department_code": department,
                "roles": roles,
                "positions": {},
                "email": email,
                "phone": phone,
                "active": active,
                "changed_at": "2026-03-02T08:00:00+00:00",
            },
            producer="routing",
        )
        return subject

    def send_until(self, done: Callable[[], Any], timeout: float = 10.0) -> None:
        """Run the sender until ``done`` holds (or fail at the deadline)."""

        def step() -> Any:
            self.deliveries.send_due()
            return done()

        wait_for(step, timeout, "the deliveries", interval=0.01)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once, with the shipped templates loaded (copied per test)."""
    directory = tmp_path_factory.mktemp("notifications-migrated")
    _, wiring = wired_service(directory, load_settings, bootstrap, {"SMTP_URL": "log://"})
    wiring.engine.dispose()
    return directory / "service.db"


@pytest.fixture(name="build_system")
def build_system_fixture(migrated_database: Path) -> Callable[..., NotificationSystem]:
    """How ``make_system`` builds one: on a copy of the migrated database, with these overrides.

    A hand-moved clock, other channels, extra settings: the wiring is ``bootstrap``'s.
    """

    def build(
        directory: Path,
        clock: Clock | None = None,
        channels: dict[str, Any] | None = None,
        **env: str,
    ) -> NotificationSystem:
        shutil.copyfile(migrated_database, directory / "service.db")
        overrides = {"clock": clock} if clock else {}
        settings, wiring = wired_service(
            directory,
            load_settings,
            bootstrap,
            {
                "SMTP_URL": "log://",
                "NOTIFY_BACKOFF_SECONDS": "0",
                # The local webhook receivers: plain http on 127.0.0.1, allowed explicitly.
                "NOTIFY_WEBHOOK_ALLOW_HTTP": "true",
                "NOTIFY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
                **env,
            },
            migrated=False,
            channels=channels,
            **overrides,
        )
        return NotificationSystem(settings=settings, wiring=wiring, clock=clock)

    return build


@pytest.fixture
def clock() -> Clock:
    """A hand-moved clock at a Tuesday morning in March 2026 (UTC)."""
    return Clock(DEFAULT_NOW)


# Events as the other services publish them ----------------------------------------


def _number(prefix: str = "P") -> str:
    return f"{prefix}-2026-{uuid.uuid4().int % 100_000:05d}"


def _about(letter: dict[str, Any]) -> dict[str, Any]:
    """The two fields by which a message names the letter it is about."""
    return {"letter_id": letter["letter_id"], "registration_number": letter["registration_number"]}


class Events:
    """Payloads of the messages notifications consumes, with random ids and numbers."""

    subjects = SUBJECTS

    @staticmethod
    def citizen(language: str, email: bool = True, phone: bool = False) -> dict[str, Any]:
        """An invented sender who writes in ``language``, with a random e-mail address."""
        name, slug, number = CITIZENS[language]
        return {
            "type": "person",
            "name": name,
            "email": f"{slug}.{uuid.uuid4().hex[:6]}@example.org" if email else None,
            "phone": number if phone else None,
            "preferred_language": language,
        }

    @staticmethod
    def registered(
        sender: dict[str, Any],
        language: str | None = None,
        department: str | None = "COMM",
        **changes: Any,
    ) -> dict[str, Any]:
        """``letter.registered``: an application in the sender's language."""
        language = language or sender.get("preferred_language") or "lt"
        now = DEFAULT_NOW.isoformat()
        payload = {
            "letter_id": str(uuid.uuid4()),
            "registration_number": _number(),
            "register": "applications",
            "kind": "application",
            "channel": "e_services",
            "language": language,
            "subject": SUBJECTS[language],
            "addressee": (
                {"kind": "department", "department_code": department}
                if department
                else {"kind": "mayor"}
            ),
            "sender": sender,
            "confidentiality": "normal",
            "received_at": now,
            "registered_at": now,
            "status_lookup_code": uuid.uuid4().hex[:10].upper(),
            "municipality": "alytus",
        }
        payload.update(changes)
        return payload

    @staticmethod
    def routed(letter: dict[str, Any], department: str = "COMM", **changes: Any) -> dict[str, Any]:
        payload = {
            **_about(letter),
            "department_code": department,
            "copy_department_codes": [],
            "due_date": "2026-04-07",
            "rule": "Prašymai dėl gatvių → COMM",
            "routed_at": DEFAULT_NOW.isoformat(),
            "kind": letter["kind"],
            "subject": letter["subject"],
            "language": letter["language"],
        }
        payload.update(changes)
        return payload

    @staticmethod
    def answered(letter: dict[str, Any]) -> dict[str, Any]:
        return {
            **_about(letter),
            "answered_at": "2026-03-24T12:15:00+00:00",
            "reply_letter_id": str(uuid.uuid4()),
            "reply_registration_number": _number("S"),
        }

    @staticmethod
    def deadline_extended(letter: dict[str, Any]) -> dict[str, Any]:
        return {
            **_about(letter),
            "previous_due_date": "2026-04-07",
            "due_date": "2026-04-21",
            "reason": "Reikia papildomos ekspertizės",
            "extended_at": DEFAULT_NOW.isoformat(),
        }

    @staticmethod
    def not_ours(letter: dict[str, Any]) -> dict[str, Any]:
        return {
            **_about(letter),
            "reason": "Klausimas priklauso Alytaus regiono aplinkos apsaugos departamentui",
            "forwarded_to": "Aplinkos apsaugos departamentas",
            "decided_at": DEFAULT_NOW.isoformat(),
        }

    @staticmethod
    def status_changed(letter: dict[str, Any]) -> dict[str, Any]:
        return {
            **_about(letter),
            "previous_status": "routed",
            "status": "in_progress",
            "changed_at": DEFAULT_NOW.isoformat(),
            "department_code": "COMM",
        }

    @staticmethod
    def reply_registered(letter: dict[str, Any]) -> dict[str, Any]:
        return {
            "letter_id": str(uuid.uuid4()),
            "registration_number": _number("S"),
            "register": "outgoing",
            "kind": "reply",
            "language": letter["language"],
            "subject": f"Atsakymas: {letter['subject']}",
            "recipient": letter["sender"],
            "department_code": "COMM",
            "in_reply_to_letter_id": letter["letter_id"],
            "in_reply_to_registration_number": letter["registration_number"],
            "registered_at": DEFAULT_NOW.isoformat(),
        }

    @staticmethod
    def assignment(
        department: str = "COMM", executor: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """The common part of ``assignment.*``; add the event's own fields in ``extra``."""
        return {
            "assignment_id": str(uuid.uuid4()),
            "letter_id": str(uuid.uuid4()),
            "registration_number": _number(),
            "title": "Parengti atsakymą dėl šaligatvio remonto",
            "department_code": department,
            "executor": executor,
            "due_date": date(2026, 4, 7).isoformat(),
            **extra,
        }

    @staticmethod
    def endorsement(
        department: str = "COMM",
        approver_role: str = "department_head",
        executor: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """The common part of ``endorsement.*``; add the event's own fields in ``extra``."""
        return {
            "endorsement_id": str(uuid.uuid4()),
            "letter_id": str(uuid.uuid4()),
            "registration_number": _number(),
            "reply_subject": "Dėl šaligatvio remonto Vilties gatvėje",
            "step": 1,
            "steps": 2,
            "approver_role": approver_role,
            "department_code": department,
            "executor": executor,
            **extra,
        }


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

    class Handler(LocalHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            with gateway.lock:
                status = gateway.answers.pop(0) if gateway.answers else 202
                if status < 300:
                    gateway.received.append(
                        {"body": body, "authorization": self.headers["Authorization"]}
                    )
            answer = json.dumps({"status": status}).encode()
            self.reply(status, answer, {"Content-Type": "application/json"})

    with serving_http(Handler) as url:
        gateway = SmsGateway(url=f"{url}/messages")
        yield gateway
