"""Deliveries against a real SMTP server, a real webhook receiver and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, select, text

from chancery.messages.consumer import Outcome
from chancery.runtime import ServiceWiring, message_handling
from chancery_testing import message_body, wait_for
from notifications.adapters.channels import EmailChannel
from notifications.adapters.models import Delivery
from notifications.usecases.deliveries import Deliveries, TokenBucket

pytestmark = pytest.mark.integration
GEORGIAN_SUBJECT = "განცხადება ქუჩის განათების შესახებ"


def registered(
    letter_id: str, number: str, email: str = "nino.beridze@example.org", language: str = "ka"
) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "letter_id": letter_id,
        "registration_number": number,
        "register": "incoming",
        "kind": "application",
        "channel": "e_services",
        "language": "ka",
        "subject": GEORGIAN_SUBJECT,
        "addressee": {"kind": "mayor"},
        "sender": {
            "type": "person",
            "name": "ნინო ბერიძე",
            "email": email,
            "preferred_language": language,
        },
        "confidentiality": "normal",
        "received_at": now,
        "registered_at": now,
        "status_lookup_code": "K7QM2X9PRT",
        "municipality": "lagodekhi",
    }


def send_until(wiring: ServiceWiring, done: Callable[[], bool], timeout: float = 10) -> None:
    deliveries = wiring.extensions["deliveries"]

    def step() -> bool:
        deliveries.send_due()
        return done()

    wait_for(step, timeout, "the deliveries", interval=0.02)


def deliveries_of(wiring: ServiceWiring) -> list[Delivery]:
    with wiring.unit_of_work() as uow:
        return list(uow.session.scalars(select(Delivery).order_by(Delivery.created_at)))


def test_georgian_acknowledgement_is_mailed_once_though_the_event_arrives_twice(
    make_wiring, smtp_server
):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    handling = message_handling(wiring)
    body = message_body(
        "letter.registered", registered(str(uuid.uuid4()), "SH-2026-00042"), "intake"
    )
    assert handling.handle(body).outcome is Outcome.HANDLED
    assert handling.handle(body).outcome is Outcome.DUPLICATE
    send_until(wiring, lambda: len(smtp.messages) == 1)
    wiring.extensions["deliveries"].send_due()
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    delivery = deliveries_of(wiring)[0]
    assert mail["To"] == "nino.beridze@example.org"
    assert mail["Message-ID"] == f"<{delivery.id}@chancery.example.org>"
    assert (
        "SH-2026-00042" in mail["Subject"]
        or "SH-2026-00042" in mail.get_body(("plain",)).get_content()
    )
    text = mail.get_body(("plain",)).get_content()
    assert "SH-2026-00042" in text
    assert "K7QM2X9PRT" in text
    assert GEORGIAN_SUBJECT in text
    assert delivery.language == "ka"
    assert delivery.subject == mail["Subject"]
    assert any("\u10d0" <= ch <= "\u10ff" for ch in mail["Subject"]), "the subject is Georgian"
    assert delivery.status == "delivered"


def one_letter_until(wiring: ServiceWiring, number: str, status: str) -> Delivery:
    """Hand one registered letter to the wiring and send until its one delivery is ``status``."""
    message_handling(wiring).handle(
        message_body("letter.registered", registered(str(uuid.uuid4()), number), "intake")
    )
    send_until(wiring, lambda: deliveries_of(wiring)[0].status == status)
    return deliveries_of(wiring)[0]


def test_a_451_then_250_gives_exactly_one_delivered_mail(make_wiring, smtp_server):
    url, smtp = smtp_server
    smtp.failures = ["451 4.3.0 Mailbox busy, try again later"]
    wiring = make_wiring(url)
    delivery = one_letter_until(wiring, "SH-2026-00043", "delivered")
    assert smtp.attempts == 2
    assert len(smtp.messages) == 1
    assert delivery.attempts == 2
    assert delivery.last_error is None or "451" in delivery.last_error


def test_a_550_is_a_permanent_failure_with_its_reason(make_wiring, smtp_server):
    url, smtp = smtp_server
    smtp.failures = ["550 5.1.1 No such user here"]
    wiring = make_wiring(url)
    delivery = one_letter_until(wiring, "SH-2026-00044", "permanent_failure")
    assert "550" in delivery.last_error
    assert smtp.messages == []
    wiring.extensions["deliveries"].send_due()
    assert smtp.attempts == 1


def test_an_unreachable_server_is_retried_then_given_up(make_wiring):
    wiring = make_wiring("smtp://127.0.0.1:9", NOTIFY_MAX_ATTEMPTS="3")
    delivery = one_letter_until(wiring, "SH-2026-00045", "permanent_failure")
    assert delivery.attempts == 3
    assert delivery.last_error.startswith("gave up after 3 attempts")


def test_webhooks_are_signed_and_retried_after_a_server_error(
    make_wiring, smtp_server, webhook_receiver
):
    smtp_url, _ = smtp_server
    hook_url, receiver = webhook_receiver
    wiring = make_wiring(smtp_url)
    from chancery.principal import Principal

    operator = Principal(subject="operator-1", roles=frozenset({"operator"}))
    _, secret = wiring.extensions["webhooks"].add(
        "Registry system", hook_url, ["letter.routed"], None, operator
    )
    receiver.secret = secret
    receiver.answers = [503]
    letter_id = str(uuid.uuid4())
    routed = {
        "letter_id": letter_id,
        "registration_number": "SH-2026-00046",
        "department_code": "COMM",
        "copy_department_codes": [],
        "due_date": "2026-12-21",
        "routed_at": datetime.now(UTC).isoformat(),
        "subject": GEORGIAN_SUBJECT,
        "kind": "application",
        "language": "ka",
    }
    message_handling(wiring).handle(message_body("letter.routed", routed, "routing"))
    send_until(wiring, lambda: len(receiver.received) == 1)
    posted = receiver.received[0]
    assert receiver.refused == 0
    assert posted["body"]["data"]["payload"]["subject"] == GEORGIAN_SUBJECT
    assert posted["body"]["data"]["event"] == "letter.routed"
    hook_delivery = next(d for d in deliveries_of(wiring) if d.channel == "webhook")
    assert posted["headers"]["webhook-id"] == hook_delivery.id
    assert hook_delivery.attempts == 2


def test_opt_out_skips_a_routine_notice_but_not_one_the_law_requires(make_wiring, smtp_server):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    from chancery.principal import Principal

    clerk = Principal(subject="registrar-1", roles=frozenset({"registrar"}))
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    wiring.extensions["preferences"].save(email, "en", None, ["all"], clerk)
    message_handling(wiring).handle(
        message_body(
            "letter.registered",
            registered(str(uuid.uuid4()), "SH-2026-00047", email=email),
            "intake",
        )
    )
    send_until(wiring, lambda: len(smtp.messages) == 1)
    assert smtp.messages[0]["To"] == email
    assert deliveries_of(wiring)[0].language == "en", "the preferred language wins"


def test_a_subscription_switched_off_in_one_process_is_off_in_every_other(make_wiring, smtp_server):
    url, _ = smtp_server
    web, worker = make_wiring(url), make_wiring(url)
    web.extensions["audiences"].configure("letter.registered", active=False, channel=None)
    assert not next(
        s for s in worker.extensions["audiences"].all() if s.event == "letter.registered"
    ).active
    message_handling(worker).handle(
        message_body("letter.registered", registered(str(uuid.uuid4()), "SH-2026-00048"), "intake")
    )
    assert deliveries_of(worker) == []


def test_in_app_notices_reach_the_feed_on_postgresql_and_name_a_secret_letter_neutrally(
    make_wiring, smtp_server
):
    url, _ = smtp_server
    wiring = make_wiring(url)
    member = f"staff-{uuid.uuid4().hex[:8]}"
    handling = message_handling(wiring)
    handling.handle(
        message_body(
            "staff.member_changed",
            {
                "subject": member,
                "name": "ნინო ბერიძე",
                "language": "ka",
                "department_code": "COMM",
                "roles": ["department_staff"],
                "positions": {},
                "email": None,
                "phone": None,
                "active": True,
                "changed_at": datetime.now(UTC).isoformat(),
            },
            "routing",
        )
    )
    letter = {**registered(str(uuid.uuid4()), "SH-2026-00048"), "confidentiality": "secret"}
    handling.handle(message_body("letter.registered", letter, "intake"))
    decision = handling.handle(
        message_body(
            "letter.routed",
            {
                "letter_id": letter["letter_id"],
                "registration_number": "SH-2026-00048",
                "department_code": "COMM",
                "due_date": "2026-04-07",
                "routed_at": datetime.now(UTC).isoformat(),
                "subject": GEORGIAN_SUBJECT,
                "confidentiality": "secret",
            },
            "routing",
        )
    )
    assert decision.outcome is Outcome.HANDLED, decision.reason
    [item] = wiring.extensions["feed"].items(member, unread_only=False)
    assert "საიდუმლო დოკუმენტი № SH-2026-00048" in item.body
    assert GEORGIAN_SUBJECT not in item.title + item.body


class DatabaseGoesAwayAfterFirstSend:
    """The real e-mail channel; after its first mail the database refuses every connection.

    This is what a PostgreSQL restart looks like to a sender holding a claimed batch.
    """

    def __init__(self, channel: Any, database_url: str) -> None:
        self._channel, self._url = channel, make_url(database_url)
        self.sent = 0

    def send(self, outgoing: Any) -> Any:
        result = self._channel.send(outgoing)
        self.sent += 1
        if self.sent == 1:
            self._allow_connections(False)
        return result

    def _allow_connections(self, allowed: bool) -> None:
        admin = create_engine(self._url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(
                f'ALTER DATABASE "{self._url.database}" ALLOW_CONNECTIONS {str(allowed).lower()}'
            )
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self._url.database},
            )
        admin.dispose()

    def database_back(self) -> None:
        self._allow_connections(True)


def test_a_database_outage_mid_batch_neither_strands_the_batch_nor_sends_twice(
    make_wiring, smtp_server, database_url
):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    handling = message_handling(wiring)
    numbers = [f"SH-2026-{n:05d}" for n in (51, 52, 53)]
    for number in numbers:
        handling.handle(
            message_body("letter.registered", registered(str(uuid.uuid4()), number), "intake")
        )
    faulty = DatabaseGoesAwayAfterFirstSend(
        EmailChannel(url, "Lagodekhi <no-reply@lagodekhi.example.org>", "chancery.example.org"),
        database_url,
    )
    # The stale period is the production default: nothing may depend on it passing.
    deliveries = Deliveries(
        wiring.unit_of_work, {"email": faulty}, "ka", 8, 0, {"email": 1000}, 300
    )
    try:
        assert deliveries.send_due() == 1, "the first is sent; its result waits"
        assert len(smtp.messages) == 1
        assert deliveries.send_due() == 0, "nothing new is claimed while a result waits"
    finally:
        faulty.database_back()
    assert deliveries.send_due() == 2, "the waiting result recorded, the rest go out"
    assert [d.status for d in deliveries_of(wiring)] == ["delivered"] * 3
    deliveries.send_due()
    assert len(smtp.messages) == 3, "no acknowledgement went out twice"
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(
        f"<{d.id}@chancery.example.org>" for d in deliveries_of(wiring)
    )


class SenderKilled(BaseException):
    """The sender's process dying mid-send (kill -9): nothing after it runs."""


class DiesOnFirstSend:
    """A channel whose process is killed while it sends its first mail."""

    def send(self, outgoing):
        raise SenderKilled


def test_a_sender_killed_mid_send_strands_only_the_mail_it_was_sending(make_wiring, smtp_server):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    handling = message_handling(wiring)
    for n in (61, 62, 63):
        handling.handle(
            message_body(
                "letter.registered",
                registered(str(uuid.uuid4()), f"SH-2026-{n:05d}"),
                "intake",
            )
        )
    dying = Deliveries(
        wiring.unit_of_work, {"email": DiesOnFirstSend()}, "ka", 8, 0, {"email": 1000}, 300
    )
    with pytest.raises(SenderKilled):
        dying.send_due()
    # Another replica (or the restarted sender), with the production stale period.
    alive = Deliveries(
        wiring.unit_of_work,
        {
            "email": EmailChannel(
                url, "Lagodekhi <no-reply@lagodekhi.example.org>", "chancery.example.org"
            )
        },
        "ka",
        8,
        0,
        {"email": 1000},
        300,
    )
    assert alive.send_due() == 2, "the others do not wait for the stale period"
    statuses = sorted(d.status for d in deliveries_of(wiring))
    assert statuses == ["delivered", "delivered", "sending"], (
        "only the mail in flight waits: whether it left is not known"
    )
    assert len(smtp.messages) == 2


def test_sender_replicas_share_one_rate(make_wiring, smtp_server):
    url, _ = smtp_server
    replicas = [make_wiring(url) for _ in range(2)]
    now = [1_000_000.0]
    buckets = [
        TokenBucket(replica.unit_of_work, "email", 4, clock=lambda: now[0]) for replica in replicas
    ]
    assert buckets[0].take(10) == 4
    assert buckets[1].take(10) == 0, "the other replica draws on the same second's worth"
    buckets[0].refund(1)
    assert buckets[1].take(10) == 1
    now[0] += 0.5
    assert buckets[1].take(10) == 2
    assert buckets[0].take(10) == 0
