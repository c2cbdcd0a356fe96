"""Deliveries: rate limits, retries and backoff, stale sends, the feed, once per cause."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from chancery_testing import wired_service
from notifications.adapters.channels import EmailChannel, HttpSmsProvider
from notifications.adapters.models import Delivery
from notifications.bootstrap import bootstrap
from notifications.config import load_settings
from notifications.usecases.deliveries import Deliveries, Recipient, TokenBucket

GENERIC = {
    "title": "Vandens tiekimo sutrikimas Likiškėlių gatvėje",
    "message": "Vanduo nebus tiekiamas kovo 12 d. nuo 9 iki 13 val.",
    "municipality_name": "Alytaus miesto savivaldybė",
}
MAIL_FROM = "Alytaus miesto savivaldybė <no-reply@alytus.example.org>"


def address() -> str:
    return f"laima.{uuid.uuid4().hex[:8]}@example.org"


def hand_built(
    system,
    clock,
    senders,
    backoff: float = 600,
    max_attempts: int = 8,
    rates: dict[str, float] | None = None,
) -> Deliveries:
    """The system's database wired again by ``bootstrap``: these channels, limits and clock."""
    rates = {"email": 1000, "sms": 1000, **(rates or {})}
    common = system.settings.common
    _, wiring = wired_service(
        common.data_dir,
        load_settings,
        bootstrap,
        {
            "SMTP_URL": "log://",
            "NOTIFY_BACKOFF_SECONDS": str(backoff),
            "NOTIFY_MAX_ATTEMPTS": str(max_attempts),
            "NOTIFY_RATE_EMAIL": str(rates["email"]),
            "NOTIFY_RATE_SMS": str(rates["sms"]),
        },
        database_url=common.database_url,
        migrated=False,
        clock=clock,
        channels=senders,
    )
    return wiring.extensions["deliveries"]


def enqueue(
    system,
    deliveries: Deliveries,
    recipient: Recipient,
    kind: str = "generic",
    data: dict | None = None,
    cause: str | None = None,
    **options,
) -> Delivery | None:
    """Queue one notification in its own transaction."""
    with system.wiring.unit_of_work() as uow:
        delivery = deliveries.enqueue(
            uow.session, cause or str(uuid.uuid4()), recipient, kind, data or GENERIC, **options
        )
        uow.commit()
        return delivery


def state(system, delivery_id: str, clock) -> str:
    """A delivery's state and the clock, for a failure message."""
    d = system.delivery(delivery_id)
    return (
        f"{d.status} attempts={d.attempts} next={d.next_attempt_at} "
        f"updated={d.updated_at} error={d.last_error} clock={clock()}"
    )


# Rate limits ------------------------------------------------------------------------


def left_sending(system, delivery_id: str, attempts: int, since) -> None:
    """What a sender that crashed after claiming a delivery leaves behind."""
    with system.wiring.engine.begin() as conn:
        conn.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(status="sending", attempts=attempts, updated_at=since)
        )


def test_a_bucket_grants_at_most_its_rate_at_once_and_more_as_time_passes(system):
    now = [5_000.0]
    bucket = TokenBucket(system.wiring.unit_of_work, "sms", 5, clock=lambda: now[0])
    assert bucket.take(8) == 5
    assert bucket.take(8) == 0
    now[0] += 0.19
    assert bucket.take(3) == 0, "a token takes a fifth of a second"
    now[0] += 0.02
    assert bucket.take(3) == 1


def test_a_bucket_never_holds_more_than_one_seconds_worth(system):
    now = [5_000.0]
    bucket = TokenBucket(system.wiring.unit_of_work, "sms", 5, clock=lambda: now[0])
    assert bucket.take(1) == 1
    now[0] += 60
    assert bucket.take(100) == 5


def test_tokens_for_sends_that_did_not_happen_are_given_back(system, clock, smtp_server):
    url, _ = smtp_server
    deliveries = hand_built(
        system,
        clock,
        {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")},
        rates={"email": 20},
    )
    # Many looks at an empty queue spend nothing: the next due mail still goes at once.
    for _ in range(50):
        assert deliveries.send_due() == 0
    enqueue(system, deliveries, Recipient("email", address(), "lt"))
    assert deliveries.send_due() == 1


def test_the_sms_rate_limit_holds_back_what_exceeds_it(make_system, sms_gateway):
    system = make_system(
        SMS_PROVIDER="http",
        SMS_URL=sms_gateway.url,
        SMS_API_KEY="bandomasis-raktas",
        NOTIFY_RATE_SMS="5",
    )
    phones = [f"+370 6{n:02d} 1{uuid.uuid4().int % 10_000:04d}" for n in range(8)]
    for phone in phones:
        system.requests.request(
            uuid.uuid4().hex,
            "socialine-parama",
            {"phone": phone},
            None,
            "generic",
            "lt",
            {"title": "Priminimas", "message": "Rytoj baigiasi terminas."},
        )
    started = time.monotonic()
    assert system.deliveries.send_due() == 5
    assert len(sms_gateway.received) == 5
    system.send_until(lambda: len(sms_gateway.received) == 8)
    assert time.monotonic() - started >= 0.55, "three more tokens take 0.6 s"
    assert sorted(m["body"]["to"] for m in sms_gateway.received) == sorted(phones)
    assert {m["authorization"] for m in sms_gateway.received} == {"Bearer bandomasis-raktas"}
    first = sms_gateway.received[0]["body"]
    assert first["text"].startswith("Priminimas\n\nRytoj baigiasi terminas.")
    assert system.delivery(first["reference"]).status == "delivered"


# Retries ----------------------------------------------------------------------------


def test_backoff_doubles_per_attempt_and_is_capped(system, clock, smtp_server):
    url, smtp = smtp_server
    smtp.failures = ["451 4.3.0 Pašto dėžutė laikinai užimta"] * 6
    deliveries = hand_built(
        system, clock, {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")}, backoff=600
    )
    queued = enqueue(system, deliveries, Recipient("email", address(), "lt"))
    delays = []
    for _ in range(6):
        assert deliveries.send_due() == 1, state(system, queued.id, clock)
        failed = system.delivery(queued.id)
        assert failed.status == "temporary_failure"
        assert "451" in failed.last_error
        delays.append((failed.next_attempt_at - failed.updated_at).total_seconds())
        clock.now = failed.next_attempt_at - timedelta(seconds=1)
        assert deliveries.send_due() == 0, "nothing is tried before its time"
        clock.advance(seconds=2)
    for delay, expected in zip(delays, (600, 1200, 2400, 3600, 3600, 3600), strict=True):
        assert expected * 0.9 <= delay <= expected * 1.1
    assert deliveries.send_due() == 1, state(system, queued.id, clock)
    delivered = system.delivery(queued.id)
    assert delivered.status == "delivered"
    assert delivered.attempts == 7
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Message-ID"] == f"<{queued.id}@alytus.example.org>"


def test_temporary_failures_end_in_a_permanent_one_after_the_last_attempt(
    system, clock, sms_gateway
):
    sms_gateway.answers = [503, 429, 500]
    deliveries = hand_built(
        system, clock, {"sms": HttpSmsProvider(sms_gateway.url, None)}, backoff=30, max_attempts=3
    )
    queued = enqueue(system, deliveries, Recipient("sms", "+370 612 99887", "lt"))
    for _ in range(3):
        assert deliveries.send_due() == 1
        clock.advance(hours=2)
    failed = system.delivery(queued.id)
    assert failed.status == "permanent_failure"
    assert failed.attempts == 3
    assert failed.last_error.startswith("gave up after 3 attempts: HTTP 500")
    assert deliveries.send_due() == 0
    assert sms_gateway.received == []


def test_a_refusal_is_permanent_at_once_with_its_reason(system, clock, sms_gateway):
    sms_gateway.answers = [400]
    deliveries = hand_built(system, clock, {"sms": HttpSmsProvider(sms_gateway.url, None)})
    queued = enqueue(system, deliveries, Recipient("sms", "+371 2000 0000", "lv"))
    assert deliveries.send_due() == 1
    failed = system.delivery(queued.id)
    assert failed.status == "permanent_failure"
    assert failed.attempts == 1
    assert failed.last_error.startswith("HTTP 400")
    clock.advance(days=1)
    assert deliveries.send_due() == 0


def test_a_delivery_left_sending_is_taken_up_again_after_the_stale_limit(
    system, clock, smtp_server
):
    url, smtp = smtp_server
    deliveries = hand_built(
        system, clock, {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")}
    )
    queued = enqueue(system, deliveries, Recipient("email", address(), "lt"))
    left_sending(system, queued.id, attempts=1, since=clock())
    clock.advance(seconds=299)
    assert deliveries.send_due() == 0
    assert system.delivery(queued.id).status == "sending"
    clock.advance(seconds=2)
    assert deliveries.send_due() == 1
    taken_up = system.delivery(queued.id)
    assert taken_up.status == "delivered"
    assert taken_up.attempts == 2
    assert taken_up.delivered_at == clock()
    assert [m["Message-ID"] for m in smtp.messages] == [f"<{queued.id}@alytus.example.org>"]


def test_one_bad_address_fails_alone_and_the_rest_of_the_batch_is_delivered_once(
    system, clock, smtp_server
):
    url, smtp = smtp_server
    deliveries = hand_built(
        system, clock, {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")}, max_attempts=3
    )
    # Stored before addresses were checked at the door (the API let this one through).
    good = [enqueue(system, deliveries, Recipient("email", address(), "lt")) for _ in range(2)]
    bad = enqueue(system, deliveries, Recipient("email", '"a\x0bb"@example.org', "lt"))
    later = enqueue(system, deliveries, Recipient("email", address(), "lt"))
    assert deliveries.send_due() == 4
    failed = system.delivery(bad.id)
    assert failed.status == "permanent_failure", state(system, bad.id, clock)
    assert failed.attempts == 1
    assert failed.last_error.startswith("invalid recipient address: ")
    assert "U+000B" in failed.last_error
    assert {system.delivery(d.id).status for d in (*good, later)} == {"delivered"}
    # Nothing is tried again, even long after the stale limit.
    clock.advance(hours=2)
    assert deliveries.send_due() == 0
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(
        f"<{d.id}@alytus.example.org>" for d in (*good, later)
    )


class _BrokenChannel:
    """A channel that fails in a way no channel should: the sender must survive it."""

    def __init__(self, broken: str, inner) -> None:
        self.broken, self.inner = broken, inner

    def send(self, outgoing):
        if outgoing.recipient == self.broken:
            raise RuntimeError("the channel broke")
        return self.inner.send(outgoing)


def test_a_channel_that_raises_fails_that_delivery_only_and_within_its_attempts(
    system, clock, smtp_server
):
    url, smtp = smtp_server
    broken = address()
    deliveries = hand_built(
        system,
        clock,
        {"email": _BrokenChannel(broken, EmailChannel(url, MAIL_FROM, "alytus.example.org"))},
        backoff=30,
        max_attempts=2,
    )
    first = enqueue(system, deliveries, Recipient("email", broken, "lt"))
    second = enqueue(system, deliveries, Recipient("email", address(), "lt"))
    assert deliveries.send_due() == 2
    assert system.delivery(first.id).status == "temporary_failure"
    assert system.delivery(first.id).last_error == (
        "unexpected RuntimeError in the sender (see the log)"
    )
    assert system.delivery(second.id).status == "delivered"
    clock.advance(hours=2)
    assert deliveries.send_due() == 1
    assert system.delivery(first.id).status == "permanent_failure"
    assert system.delivery(first.id).last_error.startswith("gave up after 2 attempts")
    assert len(smtp.messages) == 1


def test_a_delivery_left_sending_after_its_last_attempt_is_not_tried_again(
    system, clock, smtp_server
):
    url, smtp = smtp_server
    deliveries = hand_built(
        system, clock, {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")}, max_attempts=3
    )
    queued = enqueue(system, deliveries, Recipient("email", address(), "lt"))
    left_sending(system, queued.id, attempts=3, since=clock())
    clock.advance(seconds=301)
    assert deliveries.send_due() == 0
    given_up = system.delivery(queued.id)
    assert given_up.status == "permanent_failure"
    assert given_up.attempts == 3
    assert given_up.last_error == ("gave up after 3 attempts: the sender stopped while sending")
    assert smtp.messages == []


# Channels -----------------------------------------------------------------------------


def test_in_app_notices_become_feed_items_and_are_delivered_at_once(system, clock):
    deliveries = hand_built(system, clock, {})
    subject = system.add_staff("Rūta Kairienė", "lt", "COMM", ["department_head"])
    delivery = enqueue(system, deliveries, Recipient("in_app", subject, "lt", subject))
    assert delivery.status == "delivered"
    assert delivery.delivered_at == clock()
    assert delivery.attempts == 0
    [item] = system.feed.items(subject, unread_only=True)
    assert item.title == "Vandens tiekimo sutrikimas Likiškėlių gatvėje"
    assert item.body == delivery.text
    assert item.kind == "generic"
    assert item.read_at is None
    assert system.deliveries.send_due() == 0


def test_an_email_carries_text_html_and_attachments(system, clock, smtp_server):
    url, smtp = smtp_server
    deliveries = hand_built(
        system, clock, {"email": EmailChannel(url, MAIL_FROM, "alytus.example.org")}
    )
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
        "SUMMARY:Susitikimas su Jelgavos delegacija\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    recipient = address()
    queued = enqueue(
        system,
        deliveries,
        Recipient("email", recipient, "lt"),
        attachments=[
            {
                "filename": "susitikimas.ics",
                "content_type": "text/calendar",
                "content": base64.b64encode(calendar.encode()).decode(),
            }
        ],
    )
    assert deliveries.send_due() == 1
    [mail] = smtp.messages
    assert mail["To"] == recipient
    assert mail["From"] == MAIL_FROM
    assert mail["Subject"] == GENERIC["title"]
    assert mail["Message-ID"] == f"<{queued.id}@alytus.example.org>"
    assert GENERIC["message"] in mail.get_body(("plain",)).get_content()
    assert f"<p>{GENERIC['message']}</p>" in mail.get_body(("html",)).get_content()
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "susitikimas.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "Jelgavos delegacija" in attachment.get_content()


# Once per cause, preferences, languages ------------------------------------------


def test_one_delivery_per_cause_recipient_and_channel(system, clock):
    deliveries = hand_built(system, clock, {})
    cause, first, second = str(uuid.uuid4()), address(), address()
    subject = system.add_staff("Darius Paulauskas", "lt", "COMM", ["department_staff"])
    assert enqueue(system, deliveries, Recipient("email", first, "lt"), cause=cause)
    assert enqueue(system, deliveries, Recipient("email", first, "lv"), cause=cause) is None
    assert enqueue(system, deliveries, Recipient("email", second, "lt"), cause=cause)
    assert enqueue(system, deliveries, Recipient("sms", first, "lt"), cause=cause)
    assert enqueue(system, deliveries, Recipient("in_app", subject, "lt", subject), cause=cause)
    assert (
        enqueue(system, deliveries, Recipient("in_app", subject, "lt", subject), cause=cause)
        is None
    )
    assert enqueue(system, deliveries, Recipient("email", first, "lt"))
    assert sorted((d.channel, d.recipient) for d in system.caused_by(cause)) == sorted(
        [("email", first), ("email", second), ("sms", first), ("in_app", subject)]
    )
    assert len(system.feed.items(subject, unread_only=False)) == 1


def test_a_redelivered_event_tells_the_sender_once(system, events):
    letter = events.registered(events.citizen("lv"))
    message_id, first = system.handle("letter.registered", letter)
    _, again = system.handle("letter.registered", letter, message_id=message_id)
    assert (first.outcome.value, again.outcome.value) == ("handled", "duplicate")
    [delivery] = system.caused_by(message_id)
    assert delivery.recipient == letter["sender"]["email"]
    assert system.counts()["deliveries"] == 1


def test_opting_out_skips_routine_notices_but_not_those_the_law_requires(system, events):
    email = address()
    system.preferences.save(email, None, None, ["all"], system.operator)
    assert (
        system.requests.request(
            uuid.uuid4().hex, "komunikacija", {"email": email}, None, "generic", "lt", dict(GENERIC)
        )
        == []
    )
    assert system.counts()["deliveries"] == 0
    letter = events.registered(events.citizen("lt") | {"email": email})
    cause = system.publish("letter.registered", letter)
    assert system.told(cause) == {("email", email, "letter_registered", "lt")}


def test_opting_out_of_one_kind_keeps_the_others(system, events):
    executor = system.add_staff("Darius Paulauskas", "lt", "COMM", ["department_staff"])
    head = system.add_staff("Rūta Kairienė", "lt", "COMM", ["department_head"])
    system.preferences.save(executor, None, None, ["assignment_due_soon"], system.operator)
    soon = system.publish(
        "assignment.due_soon",
        events.assignment(executor=executor, working_days_left=2),
        producer="routing",
    )
    overdue = system.publish(
        "assignment.overdue",
        events.assignment(executor=executor, days_overdue=1),
        producer="routing",
    )
    assert {d.recipient for d in system.caused_by(soon)} == {head}
    assert {d.recipient for d in system.caused_by(overdue)} == {executor, head}


def test_preferences_are_found_whatever_the_case_of_the_address(system, events):
    sender = events.citizen("lv")
    sender["email"] = f"Ilze.Ozolina.{uuid.uuid4().hex[:6]}@Example.org"
    system.preferences.save(sender["email"], "en", None, [], system.operator)
    cause = system.publish("letter.registered", events.registered(sender))
    [delivery] = system.caused_by(cause)
    assert delivery.language == "en", "the preferred language wins"


@pytest.mark.parametrize(
    ("preferred", "own", "expected"),
    [
        (None, "ka", "ka"),
        (None, "de", "lt"),
        ("en", "ka", "en"),
        ("fi", "lv", "lv"),
        ("fi", "de", "lt"),
    ],
)
def test_the_language_falls_back_from_preference_to_recipient_to_municipality(
    system, preferred, own, expected
):
    email = address()
    if preferred:
        system.preferences.save(email, preferred, None, [], system.operator)
    [delivery] = system.requests.request(
        uuid.uuid4().hex, "komunikacija", {"email": email}, None, "generic", own, dict(GENERIC)
    )
    assert delivery.language == expected


def test_english_is_the_last_resort(system, clock):
    # A municipality whose own language has no texts yet (Estonian).
    deliveries = Deliveries(system.wiring.unit_of_work, {}, "et", 8, 600, {}, 300, clock=clock)
    delivery = enqueue(system, deliveries, Recipient("email", address(), "fi"))
    assert delivery.language == "en"
    assert delivery.text.endswith("Kind regards,\nAlytaus miesto savivaldybė")


def test_a_language_added_later_is_used(system):
    system.templates.new_version(
        "generic",
        "de",
        "{{ title }}",
        "{{ message }}\n\nMit freundlichen Grüßen\n{{ municipality_name }}",
        "<p>{{ message }}</p>",
        system.operator,
    )
    [delivery] = system.requests.request(
        uuid.uuid4().hex, "komunikacija", {"email": address()}, None, "generic", "de", dict(GENERIC)
    )
    assert delivery.language == "de"
    assert "Mit freundlichen Grüßen" in delivery.text
