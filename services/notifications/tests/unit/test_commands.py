"""Notifications asked for directly: the ``notification.requested`` command and the API."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from chancery_testing import problem

NOTICE = {
    "title": "Darbo grupės posėdis perkeltas",
    "message": "Posėdis vyks kovo 12 d. 10 val. 214 kabinete.",
}


def command(
    recipient: dict[str, Any],
    key: str | None = None,
    channel: str | None = None,
    template: str = "generic",
    language: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``notification.requested`` payload."""
    return {
        "idempotency_key": key or uuid.uuid4().hex,
        "recipient": recipient,
        "channel": channel,
        "template": template,
        "language": language,
        "data": NOTICE if data is None else data,
    }


@pytest.fixture
def mailing(make_system, smtp_server):
    """A system that mails to the real SMTP server, and that server's recordings."""
    url, smtp = smtp_server
    return make_system(SMTP_URL=url), smtp


def email() -> str:
    return f"egle.{uuid.uuid4().hex[:8]}@example.org"


# The command ------------------------------------------------------------------------


def test_a_command_from_any_service_tells_a_staff_member_in_app(system):
    subject = system.add_staff("Eglė Jankauskienė", "lt", "EDU", ["department_staff"])
    key = uuid.uuid4().hex
    system.publish("notification.requested", command({"subject": subject}, key), producer="routing")
    [delivery] = system.caused_by(f"request:routing:{key}")
    assert (delivery.channel, delivery.recipient, delivery.status) == (
        "in_app",
        subject,
        "delivered",
    )
    [item] = system.feed.items(subject, unread_only=True)
    assert item.title == NOTICE["title"]
    assert NOTICE["message"] in item.body
    assert item.body.endswith("Pagarbiai\nAlytaus miesto savivaldybė")


def test_the_same_key_in_two_commands_mails_once(mailing):
    system, smtp = mailing
    key, to = uuid.uuid4().hex, email()
    for _ in range(2):
        system.publish(
            "notification.requested",
            command({"email": to}, key, language="lv"),
            producer="foreign-relations",
        )
    [delivery] = system.caused_by(f"request:foreign-relations:{key}")
    assert delivery.language == "lv"
    system.send_until(lambda: smtp.messages)
    system.deliveries.send_due()
    assert [m["To"] for m in smtp.messages] == [to]
    assert smtp.messages[0]["Message-ID"] == f"<{delivery.id}@chancery.example.org>"
    assert "Ar cieņu" in smtp.messages[0].get_body(("plain",)).get_content()


def test_keys_belong_to_their_requester(system):
    key, to = uuid.uuid4().hex, email()
    system.publish("notification.requested", command({"email": to}, key), producer="routing")
    system.publish(
        "notification.requested", command({"email": to}, key), producer="protocol-events"
    )
    assert len(system.caused_by(f"request:routing:{key}")) == 1
    assert len(system.caused_by(f"request:protocol-events:{key}")) == 1


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (command({"email": "ona@example.org"}, template="parking_fine"), "parking_fine"),
        (command({"email": "ona@example.org"}, channel="sms"), "sms"),
        (command({"subject": "nera-tokio"}), "nera-tokio"),
        (command({"name": "Ona Žemaitytė"}), "recipient"),
    ],
)
def test_a_command_that_can_never_be_done_is_dead_lettered_at_once(system, payload, reason):
    before = system.counts()
    _, decision = system.handle("notification.requested", payload, producer="routing")
    assert decision.outcome.value == "dead_letter"
    assert reason in decision.reason
    assert system.counts() == before, "nothing written, not even the inbox row"


def test_a_command_with_an_invalid_payload_is_dead_lettered(system):
    _, decision = system.handle(
        "notification.requested",
        command({"email": "ne-adresas"}, channel="fax"),
        producer="routing",
    )
    assert decision.outcome.value == "dead_letter"
    assert "channel" in decision.reason
    assert "email" in decision.reason


# Over HTTP ----------------------------------------------------------------------------


def test_the_same_idempotency_key_twice_gives_the_same_deliveries_and_one_mail(mailing):
    system, smtp = mailing
    headers = {
        **system.headers("system", subject="svietimo-sistema"),
        "Idempotency-Key": uuid.uuid4().hex,
    }
    body = {
        "recipient": {"email": email()},
        "template": "generic",
        "language": "lt",
        "data": NOTICE,
    }
    first = system.client.post("/notifications", json=body, headers=headers)
    again = system.client.post("/notifications", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert first.get_json() == again.get_json()
    [delivery] = first.get_json()
    assert delivery["status"] == "queued"
    assert delivery["cause"] == f"request:svietimo-sistema:{headers['Idempotency-Key']}"
    system.send_until(lambda: smtp.messages)
    system.deliveries.send_due()
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Subject"] == NOTICE["title"]


def test_a_key_reused_for_another_recipient_is_refused(system):
    headers = {**system.headers("registrar"), "Idempotency-Key": uuid.uuid4().hex}
    body = {"recipient": {"email": email()}, "template": "generic", "data": NOTICE}
    assert system.client.post("/notifications", json=body, headers=headers).status_code == 202
    before = system.counts()
    other = {**body, "recipient": {"email": email()}}
    problem(
        system.client.post("/notifications", json=other, headers=headers), 422, ["Idempotency-Key"]
    )
    assert system.counts() == before


def test_a_staff_member_is_told_in_app_unless_another_channel_is_asked(system):
    subject = system.add_staff(
        "Laura Kazlauskaitė",
        "lt",
        "SOC",
        ["department_staff"],
        email="laura.kazlauskaite@alytus.example.org",
    )
    headers = system.headers("department_head", department="SOC")

    def ask(channel: str | None):
        return system.client.post(
            "/notifications",
            json={
                "recipient": {"subject": subject},
                "channel": channel,
                "template": "generic",
                "data": NOTICE,
            },
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )

    [in_app] = ask(None).get_json()
    assert (in_app["channel"], in_app["recipient"], in_app["status"]) == (
        "in_app",
        subject,
        "delivered",
    )
    [mail] = ask("email").get_json()
    assert (mail["channel"], mail["recipient"], mail["status"]) == (
        "email",
        "laura.kazlauskaite@alytus.example.org",
        "queued",
    )
    before = system.counts()
    document = problem(ask("sms"), 422, ["channel"])
    assert "no sms address" in document["errors"][0]["reason"]
    assert system.counts() == before
    assert [i.title for i in system.feed.items(subject, unread_only=False)] == [NOTICE["title"]]


def test_a_phone_number_is_told_by_sms(system):
    delivery = system.ask(
        {"phone": "+995 599 12 34 56"},
        {"title": "შეხსენება", "message": "ხვალ 10 საათზე გელოდებით."},
        "ka",
    )
    assert (delivery["channel"], delivery["recipient"], delivery["language"]) == (
        "sms",
        "+995 599 12 34 56",
        "ka",
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {
                "recipient": {"email": "ona@example.org"},
                "channel": "sms",
                "template": "generic",
                "data": NOTICE,
            },
            ["channel"],
        ),
        (
            {
                "recipient": {"phone": "+370 612 34567"},
                "channel": "email",
                "template": "generic",
                "data": NOTICE,
            },
            ["channel"],
        ),
        (
            {
                "recipient": {"email": "ona@example.org"},
                "channel": "in_app",
                "template": "generic",
                "data": NOTICE,
            },
            ["channel"],
        ),
        (
            {"recipient": {"email": "ona@example.org"}, "template": "parking_fine", "data": NOTICE},
            ["template"],
        ),
        (
            {
                "recipient": {"email": "ona@example.org"},
                "template": "generic",
                "data": {"title": "Tik pavadinimas"},
            },
            ["data"],
        ),
        (
            {"recipient": {"name": "Ona Žemaitytė"}, "template": "generic", "data": NOTICE},
            ["recipient"],
        ),
        (
            {
                "recipient": {"email": "ne-adresas", "fax": "1"},
                "channel": "webhook",
                "template": "Generic!",
                "language": "lietuvių",
            },
            ["channel", "language", "recipient.email", "recipient.fax", "template"],
        ),
    ],
)
def test_requests_that_cannot_be_done_are_422_and_write_nothing(system, body, fields):
    before = system.counts()
    response = system.client.post(
        "/notifications",
        json=body,
        headers={**system.headers("registrar"), "Idempotency-Key": uuid.uuid4().hex},
    )
    problem(response, 422, set(fields))
    assert system.counts() == before


@pytest.mark.parametrize("key", [None, "", "k" * 201])
def test_the_idempotency_key_is_required(system, key):
    headers = system.headers("registrar")
    if key is not None:
        headers["Idempotency-Key"] = key
    response = system.client.post(
        "/notifications",
        headers=headers,
        json={"recipient": {"email": "ona@example.org"}, "template": "generic", "data": NOTICE},
    )
    [error] = problem(response, 422, ["Idempotency-Key"])["errors"]
    assert error["location"] == "headers"
    assert system.counts()["deliveries"] == 0


def test_no_token_is_401_and_a_role_that_may_not_send_is_403(system):
    body = {"recipient": {"email": "ona@example.org"}, "template": "generic", "data": NOTICE}
    anonymous = system.client.post(
        "/notifications", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}
    )
    problem(anonymous, 401)
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    forged = system.client.post(
        "/notifications",
        json=body,
        headers={"Authorization": "Bearer not.a.token", "Idempotency-Key": uuid.uuid4().hex},
    )
    problem(forged, 401)
    for role in ("clearance_secret", "mayor"):
        problem(
            system.client.post(
                "/notifications",
                json=body,
                headers={**system.headers(role), "Idempotency-Key": uuid.uuid4().hex},
            ),
            403,
        )
    assert system.counts()["deliveries"] == 0
