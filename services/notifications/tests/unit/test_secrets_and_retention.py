"""The citizen's access code leaves in the notice and is then kept nowhere; old texts go."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from chancery.clock import utcnow
from chancery.principal import Principal
from notifications.adapters.models import Delivery


def test_an_sms_acknowledgement_carries_the_code_and_then_forgets_it(
    make_system, sms_gateway, events
):
    system = make_system(SMS_PROVIDER="http", SMS_URL=sms_gateway.url)
    letter = events.registered(events.citizen("lt", email=False, phone=True))
    code = letter["status_lookup_code"]
    [queued] = system.caused_by(system.publish("letter.registered", letter))
    assert code in queued.text
    assert queued.secrets == [code]

    system.send_until(lambda: sms_gateway.received)
    assert code in sms_gateway.received[0]["body"]["text"]
    sent = system.delivery(queued.id)
    assert sent.status == "delivered"
    assert code not in sent.subject + sent.text + sent.html
    assert letter["registration_number"] in sent.text
    assert "[redacted]" in sent.text
    assert sent.secrets is None


def test_a_failed_notice_keeps_its_code_until_a_resend_delivers_it(
    make_system, sms_gateway, events
):
    system = make_system(SMS_PROVIDER="http", SMS_URL=sms_gateway.url)
    sms_gateway.answers = [400]
    letter = events.registered(events.citizen("lv", email=False, phone=True))
    code = letter["status_lookup_code"]
    [queued] = system.caused_by(system.publish("letter.registered", letter))
    system.send_until(lambda: system.delivery(queued.id).status == "permanent_failure")
    assert code in system.delivery(queued.id).text, "an operator may still resend it"

    system.deliveries.resend(queued.id, Principal("operator-on-duty", frozenset({"operator"})))
    system.send_until(lambda: system.delivery(queued.id).status == "delivered")
    assert code in sms_gateway.received[-1]["body"]["text"]
    assert code not in system.delivery(queued.id).text


def test_delivered_texts_are_emptied_after_their_period_and_the_rest_kept(make_system, events):
    system = make_system(PURGE_DELIVERED_TEXTS_DAYS="10")
    old, recent = (events.registered(events.citizen("sq")) for _ in range(2))
    old_cause, recent_cause = (
        system.publish("letter.registered", letter) for letter in (old, recent)
    )
    queued_cause = system.publish("letter.registered", events.registered(events.citizen("ka")))
    with system.wiring.engine.begin() as conn:
        for cause, age in ((old_cause, 11), (recent_cause, 9)):
            conn.execute(
                update(Delivery)
                .where(Delivery.cause == cause)
                .values(status="delivered", delivered_at=utcnow() - timedelta(days=age))
            )

    assert system.wiring.purge()["delivered_texts"] == 1
    [purged] = system.caused_by(old_cause)
    assert (purged.subject, purged.text, purged.html) == ("", "", "")
    assert (purged.recipient, purged.status) == (old["sender"]["email"], "delivered")
    assert all(d.text for d in system.caused_by(recent_cause) + system.caused_by(queued_cause))


def test_a_new_code_goes_to_the_sender_like_the_acknowledgement_and_never_to_webhooks(
    system, events
):
    letter = events.registered(events.citizen("ka"))
    system.publish("letter.registered", letter)
    system.webhooks.add(
        "Sistema", "http://127.0.0.1:9/hook", ["letter.access_code_issued"], None, system.operator
    )
    issued = {
        "letter_id": letter["letter_id"],
        "registration_number": letter["registration_number"],
        "language": "lt",
        "status_lookup_code": "N3WC0DE7QX",
        "issued_at": utcnow().isoformat(),
    }
    cause = system.publish("letter.access_code_issued", issued)

    [notice] = system.caused_by(cause)
    assert (notice.channel, notice.recipient, notice.kind, notice.language) == (
        "email",
        letter["sender"]["email"],
        "access_code_issued",
        "ka",
    )
    assert "N3WC0DE7QX" in notice.text
    assert f"/status/{letter['registration_number']}?code=N3WC0DE7QX" in notice.html
    assert "წვდომის კოდი" in notice.text
    system.send_until(lambda: system.delivery(notice.id).status == "delivered")
    sent = system.delivery(notice.id)
    assert "N3WC0DE7QX" not in sent.subject + sent.text + sent.html
    assert letter["registration_number"] in sent.subject
