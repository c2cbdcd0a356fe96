"""Webhooks: safe destinations, pinned requests, Standard Webhooks signatures, operators' care.

The receivers are real HTTP(S) servers on 127.0.0.1 that verify every
delivery with the ``standardwebhooks`` library; the only fake is DNS (a
resolver answering what a test needs), so a name can point where a test says.
"""

from __future__ import annotations

import base64
import ssl
import uuid
from datetime import datetime, timedelta

import pytest
import trustme
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from chancery.clock import utcnow
from chancery.errors import InvalidInput
from chancery_testing import problem, running_webhook_receiver
from notifications.adapters.channels import Outgoing, WebhookChannel, WebhookTarget
from notifications.adapters.webhooks import DestinationPolicy, UnsafeDestination, new_secret
from notifications.usecases.webhooks import Webhooks

HOST = "sistema.komunikacija.example"


def resolver(answers: dict[str, list[str]]):
    """DNS as a test wants it: ``answers`` may be changed between calls."""
    return lambda host, _port: answers.get(host, [])


def outgoing(text: str = '{"id": "x", "kind": "generic", "data": {"title": "Įvykis"}}') -> Outgoing:
    return Outgoing(str(uuid.uuid4()), f"webhook:{uuid.uuid4()}", "", text, "", [])


def register(system, url: str, **extra) -> dict:
    created = system.client.post(
        "/webhooks",
        headers=system.headers("operator"),
        json={
            "name": "Komunikacijos skyriaus sistema",
            "url": url,
            "kinds": ["letter.routed"],
            **extra,
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return created.get_json()


def route_a_letter(system, events) -> str:
    letter = events.registered(events.citizen("lt"))
    return system.publish("letter.routed", events.routed(letter), producer="routing")


def webhook_deliveries(system, cause: str):
    return [d for d in system.caused_by(cause) if d.channel == "webhook"]


# The policy (plain core) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.20.30.40", "private"),
        ("192.168.1.10", "private"),
        ("172.16.0.5", "private"),
        ("fd00::5", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
    ],
)
def test_a_destination_inside_is_refused_naming_why(address, kind):
    policy = DestinationPolicy(False, [], resolver({HOST: [address]}))
    with pytest.raises(UnsafeDestination, match=f"a {kind} address"):
        policy.check(f"https://{HOST}/hooks")


def test_every_address_of_a_name_must_be_public_unless_the_host_is_allowed():
    answers = {HOST: ["93.184.215.14", "10.0.0.7"]}
    with pytest.raises(UnsafeDestination, match=r"10\.0\.0\.7, a private address"):
        DestinationPolicy(False, [], resolver(answers)).check(f"https://{HOST}/h")
    allowed = DestinationPolicy(False, [HOST.upper()], resolver(answers)).check(
        f"https://{HOST}:8443/h?kanalas=1"
    )
    assert (allowed.address, allowed.port, allowed.target) == (
        "93.184.215.14",
        8443,
        "/h?kanalas=1",
    )
    assert allowed.host_header == f"{HOST}:8443"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://{HOST}/hooks", "the scheme must be https"),
        (f"ftp://{HOST}/hooks", "the scheme must be https"),
        (f"https://vardas:slaptazodis@{HOST}/hooks", "credentials"),
        (f"https://{HOST}:99999/hooks", "port"),
        ("https:///hooks", "names no host"),
        ("https://niekur.example/hooks", "does not resolve"),
    ],
)
def test_only_https_to_a_host_that_resolves(url, reason):
    policy = DestinationPolicy(False, [], resolver({HOST: ["93.184.215.14"]}))
    with pytest.raises(UnsafeDestination, match=reason):
        policy.check(url)
    assert (
        DestinationPolicy(True, [], resolver({HOST: ["93.184.215.14"]}))
        .check(f"http://{HOST}/hooks")
        .scheme
        == "http"
    )


# Registration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.alytus.example.org/in", "the scheme must be https"),
        ("https://127.0.0.1:8443/in", "a loopback address"),
        ("https://localhost/in", "a loopback address"),
        ("https://10.1.2.3/in", "a private address"),
        ("https://169.254.169.254/latest/meta-data", "a link-local address"),
        ("https://[ff02::1]/in", "a multicast address"),
    ],
)
def test_registering_a_destination_inside_is_a_422_and_writes_nothing(make_system, url, reason):
    # A production-like system: no plain http, no allow-list.
    system = make_system(NOTIFY_WEBHOOK_ALLOW_HTTP="false", NOTIFY_WEBHOOK_ALLOWED_HOSTS="")
    before = system.counts()
    document = problem(
        system.client.post(
            "/webhooks",
            headers=system.headers("operator"),
            json={"name": "Vidinė sistema", "url": url, "kinds": ["letter.routed"]},
        ),
        422,
        ["url"],
    )
    assert reason in document["errors"][0]["reason"]
    assert system.counts() == before


def test_a_name_that_moves_inside_after_registration_is_refused_at_send(system, events):
    answers = {HOST: ["93.184.215.14"]}
    policy = DestinationPolicy(False, [], resolver(answers))
    webhooks = Webhooks(system.wiring.unit_of_work, policy, timedelta(hours=24))
    hook, _ = webhooks.add(
        "Sistema", f"https://{HOST}/hooks", ["letter.routed"], None, system.operator
    )
    answers[HOST] = ["127.0.0.1"]  # DNS rebinding: the name now points at the server itself
    channel = WebhookChannel(webhooks.target, policy)
    result = channel.send(Outgoing(str(uuid.uuid4()), f"webhook:{hook.id}", "", "{}", "", []))
    assert (result.outcome, result.detail) == (
        "permanent_failure",
        f"destination refused: {HOST} resolves to 127.0.0.1, a loopback "
        "address; only hosts on the operators' allow-list may",
    )
    with pytest.raises(InvalidInput) as refused:
        webhooks.add("Sistema", f"https://{HOST}/hooks", ["letter.routed"], None, system.operator)
    assert refused.value.field == "url"


def test_taking_a_host_off_the_allow_list_stops_its_deliveries(
    make_system, webhook_receiver, events
):
    url, receiver = webhook_receiver
    system = make_system()
    receiver.secret = register(system, url)["secret"]
    cause = route_a_letter(system, events)
    # The same database, now run without the allow-list.
    strict = make_system(
        DATABASE_URL=system.settings.common.database_url, NOTIFY_WEBHOOK_ALLOWED_HOSTS=""
    )
    strict.send_until(lambda: webhook_deliveries(strict, cause)[0].status != "queued")
    [failed] = webhook_deliveries(strict, cause)
    assert failed.status == "permanent_failure"
    assert "127.0.0.1, a loopback address" in failed.last_error
    assert receiver.requests == 0


# Sending -----------------------------------------------------------------------------


def test_the_request_goes_to_the_checked_address_with_the_host_name_kept():
    with running_webhook_receiver() as (url, receiver):
        port = url.split(":")[2].split("/")[0]
        receiver.secret = secret = new_secret()
        # The name exists only in the policy's answer: a second lookup would fail.
        policy = DestinationPolicy(True, [HOST], resolver({HOST: ["127.0.0.1"]}))
        channel = WebhookChannel(
            lambda _: WebhookTarget(f"http://{HOST}:{port}/hooks", (secret,), True), policy
        )
        result = channel.send(outgoing())
        assert result.outcome == "delivered", result.detail
        [posted] = receiver.received
        assert posted["headers"]["Host"] == f"{HOST}:{port}"


def test_https_is_pinned_too_and_the_certificate_is_checked_for_the_host_name():
    authority = trustme.CA()
    trusting = ssl.create_default_context()
    authority.configure_trust(trusting)
    for certified, outcome in ((HOST, "delivered"), ("kita.example", "temporary_failure")):
        server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(certified).configure_cert(server)
        with running_webhook_receiver(tls=server) as (url, receiver):
            port = url.split(":")[2].split("/")[0]
            receiver.secret = secret = new_secret()
            policy = DestinationPolicy(False, [HOST], resolver({HOST: ["127.0.0.1"]}))
            channel = WebhookChannel(
                lambda _, s=secret, p=port: WebhookTarget(f"https://{HOST}:{p}/hooks", (s,), True),
                policy,
                tls=trusting,
            )
            result = channel.send(outgoing())
            assert result.outcome == outcome, result.detail
            assert len(receiver.received) == (1 if outcome == "delivered" else 0)


def test_a_redirect_is_not_followed_and_fails_permanently(system, events):
    with (
        running_webhook_receiver() as (url, receiver),
        running_webhook_receiver() as (elsewhere, other),
    ):
        receiver.secret = register(system, url)["secret"]
        receiver.answers, receiver.answer_headers = [302], {"Location": elsewhere}
        cause = route_a_letter(system, events)
        system.send_until(lambda: webhook_deliveries(system, cause)[0].status != "queued")
        [failed] = webhook_deliveries(system, cause)
        assert failed.status == "permanent_failure"
        assert failed.last_error == "HTTP 302 Found: redirects are not followed"
        assert other.requests == 0


@pytest.mark.parametrize(
    ("status", "outcome", "reason"),
    [
        (500, "temporary_failure", "HTTP 500 Internal Server Error"),
        (400, "permanent_failure", "HTTP 400 Bad Request"),
        (499, "permanent_failure", "HTTP 499 unknown status"),
    ],
)
def test_a_failure_keeps_the_status_and_never_the_answer_s_body(
    system, events, status, outcome, reason
):
    with running_webhook_receiver() as (url, receiver):
        receiver.secret = register(system, url)["secret"]
        receiver.answers = [status]
        receiver.answer_body = "Traceback: vartotojas=ona slaptažodis=hunter2".encode()
        cause = route_a_letter(system, events)
        system.send_until(lambda: webhook_deliveries(system, cause)[0].status != "queued")
        [failed] = webhook_deliveries(system, cause)
        assert (failed.status, failed.last_error) == (outcome, reason)


# Standard Webhooks signatures and rotation -------------------------------------------


def test_deliveries_verify_with_the_standardwebhooks_library(system, webhook_receiver, events):
    url, receiver = webhook_receiver
    hook = register(system, url)
    assert hook["secret"].startswith("whsec_")
    assert len(base64.b64decode(hook["secret"].removeprefix("whsec_"))) == 32
    receiver.secret = hook["secret"]
    cause = route_a_letter(system, events)
    system.send_until(lambda: receiver.received)
    [posted] = receiver.received
    [delivery] = webhook_deliveries(system, cause)
    assert posted["headers"]["webhook-id"] == delivery.id
    assert posted["headers"]["webhook-signature"].startswith("v1,")
    assert Webhook(hook["secret"]).verify(posted["raw"], posted["headers"]) == posted["body"]
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(posted["raw"], posted["headers"])
    assert receiver.refused == 0


def test_after_a_rotation_both_secrets_sign_until_the_overlap_ends(make_system, events):
    system = make_system(NOTIFY_WEBHOOK_SECRET_OVERLAP_HOURS="24")
    with running_webhook_receiver() as (url, receiver):
        hook = register(system, url)
        started = utcnow()
        rotated = system.client.post(
            f"/webhooks/{hook['id']}/secret", headers=system.headers("operator")
        )
        assert rotated.status_code == 200, rotated.get_data(as_text=True)
        new = rotated.get_json()
        assert new["secret"].startswith("whsec_")
        assert new["secret"] != hook["secret"]
        until = system.client.get("/webhooks", headers=system.headers("operator")).get_json()[
            "items"
        ]
        [listed] = [h for h in until if h["id"] == hook["id"]]
        assert "secret" not in listed
        assert datetime.fromisoformat(listed["previous_secret_until"]) >= started + timedelta(
            hours=23
        )
        receiver.secret = hook["secret"]  # a receiver that has not switched yet
        route_a_letter(system, events)
        system.send_until(lambda: receiver.received)
        [posted] = receiver.received
        assert len(posted["headers"]["webhook-signature"].split(" ")) == 2
        Webhook(new["secret"]).verify(posted["raw"], posted["headers"])
    # Past the overlap only the new secret signs.
    ended = make_system(
        DATABASE_URL=system.settings.common.database_url, NOTIFY_WEBHOOK_SECRET_OVERLAP_HOURS="0"
    )
    with running_webhook_receiver() as (url, receiver):
        hook = register(ended, url)
        new = ended.client.post(
            f"/webhooks/{hook['id']}/secret", headers=ended.headers("operator")
        ).get_json()
        receiver.secret = hook["secret"]
        route_a_letter(ended, events)
        ended.send_until(lambda: receiver.refused)
        assert receiver.received == []
        receiver.secret = new["secret"]
        cause = route_a_letter(ended, events)
        ended.send_until(lambda: receiver.received)
        assert receiver.received[0]["body"]["id"] == cause


# Operators' care ---------------------------------------------------------------------


def test_operators_list_disable_enable_and_delete_webhooks(system, webhook_receiver, events):
    url, receiver = webhook_receiver
    operator = system.headers("operator")
    hook = register(system, url)
    receiver.secret = hook["secret"]
    listed = system.client.get("/webhooks", headers=operator)
    assert listed.status_code == 200
    assert [h for h in listed.get_json()["items"] if h["id"] == hook["id"]] == [
        {
            "id": hook["id"],
            "name": "Komunikacijos skyriaus sistema",
            "url": url,
            "kinds": ["letter.routed"],
            "department": None,
            "active": True,
            "receives_confidential": False,
            "receives_personal_data": False,
            "previous_secret_until": None,
        }
    ]
    queued = route_a_letter(system, events)
    disabled = system.client.post(f"/webhooks/{hook['id']}/disable", headers=operator)
    assert disabled.get_json()["active"] is False
    assert webhook_deliveries(system, route_a_letter(system, events)) == []
    system.send_until(lambda: webhook_deliveries(system, queued)[0].status != "queued")
    assert (
        webhook_deliveries(system, queued)[0].last_error == "the webhook subscription is disabled"
    )
    enabled = system.client.post(f"/webhooks/{hook['id']}/enable", headers=operator)
    assert enabled.get_json()["active"] is True
    waiting = route_a_letter(system, events)
    assert system.client.delete(f"/webhooks/{hook['id']}", headers=operator).status_code == 204
    system.send_until(lambda: webhook_deliveries(system, waiting)[0].status != "queued")
    assert (
        webhook_deliveries(system, waiting)[0].last_error == "the webhook subscription was deleted"
    )
    assert hook["id"] not in {
        h["id"] for h in system.client.get("/webhooks", headers=operator).get_json()["items"]
    }
    assert receiver.requests == 0
    for method, path in (("delete", ""), ("post", "/disable"), ("post", "/secret")):
        problem(
            getattr(system.client, method)(f"/webhooks/{hook['id']}{path}", headers=operator), 404
        )


@pytest.mark.parametrize("role", ["registrar", "mayor_office", "department_head", "system"])
def test_only_operators_touch_webhooks(system, webhook_receiver, role):
    url, _ = webhook_receiver
    hook = register(system, url)
    before = system.counts()
    headers = system.headers(role)
    for method, path, body in (
        ("post", "/webhooks", {"name": "X", "url": url, "kinds": ["letter.routed"]}),
        ("get", "/webhooks", None),
        ("post", f"/webhooks/{hook['id']}/disable", None),
        ("post", f"/webhooks/{hook['id']}/secret", None),
        ("delete", f"/webhooks/{hook['id']}", None),
    ):
        problem(getattr(system.client, method)(path, headers=headers, json=body), 403)
    assert system.counts() == before
    assert system.webhooks.target(f"webhook:{hook['id']}").secrets == (hook["secret"],)
