"""A Georgian letter registered at intake is acknowledged once, in Georgian, by e-mail.

Intake and notifications run as separate processes over real RabbitMQ and
PostgreSQL; the e-mail goes to a real SMTP server in the test. The same
``letter.registered`` message is then published a second time, as a relay
would after a crash, and no second e-mail may follow.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from kombu import Connection, Exchange, Producer, Queue

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.realmode import free_port
from chancery_testing import development_env, process_group, throwaway_database, unique, wait_for
from intake.bootstrap import DEFINITION as INTAKE
from notifications.bootstrap import DEFINITION as NOTIFICATIONS
from tests.e2e.conftest import start_side_by_side
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.e2e
SUBJECT = "განცხადება ქუჩის განათების შესახებ"


@pytest.fixture
def second_database(database_url: str) -> Iterator[str]:
    with throwaway_database(database_url) as url:
        yield url


@pytest.fixture
def system(database_url, second_database, broker_url, smtp_server, tmp_path):
    smtp_url, smtp = smtp_server
    env = development_env(
        broker_url,
        tmp_path / "data",
        CHANCERY_PROFILE="lagodekhi",
        SMTP_URL=smtp_url,
        NOTIFY_BACKOFF_SECONDS="0.2",
        NOTIFY_SENDER_INTERVAL_SECONDS="0.05",
    )
    ports = {"intake": free_port(), "notifications": free_port()}
    with process_group(tmp_path / "logs", env) as group:
        start_side_by_side(
            group,
            [
                (INTAKE, ports["intake"], {"DATABASE_URL": database_url}),
                (
                    NOTIFICATIONS,
                    ports["notifications"],
                    {
                        "DATABASE_URL": second_database,
                        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
                    },
                ),
            ],
        )
        yield ports, smtp, group


def duplicates_seen(port: int) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "chancery_messages_consumed_total"
        and sample.labels == {"service": "notifications", "outcome": "duplicate"}
    )


def test_one_georgian_acknowledgement_even_when_the_event_is_delivered_twice(system, broker_url):
    ports, smtp, _ = system
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="e2e-clerk")
    with Connection(broker_url) as connection:
        copy = Queue(
            unique("e2e-copy-"),
            Exchange("intake.events", type="topic", durable=True),
            routing_key="letter.registered.v1",
            durable=False,
        )
        copy(connection.default_channel).declare()
        response = requests.post(
            f"http://127.0.0.1:{ports['intake']}/letters",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
            json=incoming_letter(
                "application",
                "ka",
                SUBJECT,
                person("ნინო ბერიძე", "nino.beridze@example.org", "ka"),
                channel="e_services",
            ),
        )
        assert response.status_code == 201, response.text
        letter = response.json()
        mail = wait_for(lambda: smtp.messages[:1], what="the acknowledgement")[0]
        published = wait_for(
            lambda: connection.default_channel.basic_get(copy.name, no_ack=True),
            what="the copy of letter.registered",
        )
        # Publish the very same message again, as a relay that crashed before
        # marking its row sent would.
        Producer(connection.default_channel).publish(
            published.body,
            exchange="intake.events",
            routing_key="letter.registered.v1",
            message_id=published.properties["message_id"],
            headers=published.properties.get("application_headers") or {},
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
        )
    wait_for(
        lambda: duplicates_seen(ports["notifications"]) >= 1,
        what="notifications to see the duplicate",
    )
    assert len(smtp.messages) == 1
    body = mail.get_body(("plain",)).get_content()
    assert mail["To"] == "nino.beridze@example.org"
    assert letter["registration_number"] in mail["Subject"]
    assert letter["registration_number"] in body
    assert letter["status_lookup_code"] in body
    assert SUBJECT in body
    assert any("\u10d0" <= ch <= "\u10ff" for ch in mail["Subject"])


def test_an_smtp_server_that_answers_451_then_250_delivers_one_mail(system):
    ports, smtp, _ = system
    smtp.failures = ["451 4.7.1 Greylisted, please try again"]
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="e2e-clerk")
    response = requests.post(
        f"http://127.0.0.1:{ports['intake']}/letters",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
        json=incoming_letter(
            "complaint", "ka", SUBJECT, person("გიორგი კაპანაძე", "giorgi.k@example.org", "ka")
        ),
    )
    assert response.status_code == 201
    wait_for(lambda: smtp.messages, what="the mail after the retry")
    assert smtp.attempts == 2
    assert len(smtp.messages) == 1
