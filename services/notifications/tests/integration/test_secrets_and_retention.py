"""The access code on PostgreSQL: mailed through a real SMTP server, then kept nowhere."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from chancery.messages.consumer import Outcome
from chancery.runtime import message_handling
from chancery_testing import message_body, wait_for
from notifications.adapters.models import Delivery

pytestmark = pytest.mark.integration
CODE = "K7QM2X9PRT"


def _registered(number: str) -> bytes:
    now = datetime.now(UTC).isoformat()
    payload = {
        "letter_id": str(uuid.uuid4()),
        "registration_number": number,
        "register": "incoming",
        "kind": "application",
        "channel": "e_services",
        "language": "ka",
        "subject": "განცხადება ქუჩის განათების შესახებ",
        "addressee": {"kind": "mayor"},
        "sender": {
            "type": "person",
            "name": "ნინო ბერიძე",
            "email": f"nino.{uuid.uuid4().hex[:6]}@example.org",
            "preferred_language": "ka",
        },
        "confidentiality": "normal",
        "received_at": now,
        "registered_at": now,
        "status_lookup_code": CODE,
        "municipality": "lagodekhi",
    }
    return message_body("letter.registered", payload, "intake")


def _stored(wiring) -> Delivery:
    with wiring.unit_of_work() as uow:
        return uow.session.scalars(select(Delivery)).one()


def test_the_mailed_code_is_cut_out_of_the_stored_notice_and_the_texts_purged_later(
    make_wiring, smtp_server
):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    assert message_handling(wiring).handle(_registered("SH-2026-00077")).outcome is Outcome.HANDLED
    assert CODE in _stored(wiring).text
    wait_for(
        lambda: wiring.extensions["deliveries"].send_due() or smtp.messages,
        10,
        "the mail",
        interval=0.02,
    )
    [mail] = smtp.messages
    assert CODE in mail.get_body(("plain",)).get_content()
    assert CODE in mail.get_body(("html",)).get_content()

    delivered = _stored(wiring)
    assert delivered.status == "delivered"
    assert CODE not in delivered.subject + delivered.text + delivered.html
    assert "SH-2026-00077" in delivered.text
    assert "[redacted]" in delivered.text
    assert delivered.secrets is None

    assert wiring.purge()["delivered_texts"] == 0
    with wiring.engine.begin() as conn:
        conn.execute(update(Delivery).values(delivered_at=datetime.now(UTC) - timedelta(days=31)))
    assert wiring.purge()["delivered_texts"] == 1
    purged = _stored(wiring)
    assert (purged.subject, purged.text, purged.html, purged.attachments) == ("", "", "", [])
    assert (purged.status, purged.recipient, purged.kind) == (
        "delivered",
        delivered.recipient,
        "letter_registered",
    )
