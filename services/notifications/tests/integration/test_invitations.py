"""Event invitations by real SMTP: the received mail's .ics parses and keeps Georgian intact."""

from __future__ import annotations

import uuid
from typing import Any

import icalendar
import pytest

from chancery.messages.consumer import Outcome
from chancery.runtime import ServiceWiring, message_handling
from chancery_testing import message_body, wait_for

pytestmark = pytest.mark.integration
TITLE = "ოფიციალური მიღება ქუთაისის დელეგაციისთვის — შეხვედრა მერიაში"
VENUE = "ლაგოდეხის მუნიციპალიტეტის მერია, სხდომათა დარბაზი"


def event(message: str, **extra: Any) -> dict[str, Any]:
    """An event in Lagodekhi whose only participant is a Georgian speaker with e-mail."""
    return {
        "event_id": str(uuid.uuid4()),
        "kind": "official_reception",
        "protocol_level": "diplomatic",
        "title": {"ka": TITLE, "en": "Official reception"},
        "starts_at": "2026-12-03T12:00:00+04:00",
        "ends_at": "2026-12-03T14:00:00+04:00",
        "time_zone": "Asia/Tbilisi",
        "venue": VENUE,
        "department_code": "COMM",
        "ical_uid": "evt-42@lagodekhi.chancery",
        "participants": [
            {
                "participant_id": str(uuid.uuid4()),
                "name": "ნინო ბერიძე",
                "email": "nino.beridze@example.org",
                "language": "ka",
            }
        ],
        f"{message}_at": "2026-11-25T09:00:00+04:00",
        **extra,
    }


def send_until(wiring: ServiceWiring, count: int, smtp: Any) -> None:
    def step() -> bool:
        wiring.extensions["deliveries"].send_due()
        return len(smtp.messages) >= count

    wait_for(step, 10, "the mails", interval=0.02)


def calendar_in(mail) -> tuple[Any, icalendar.Calendar]:
    [attachment] = list(mail.iter_attachments())
    return attachment, icalendar.Calendar.from_ical(attachment.get_payload(decode=True))


def test_a_georgian_invitation_and_its_cancellation_arrive_with_calendar_files(
    make_wiring, smtp_server
):
    url, smtp = smtp_server
    wiring = make_wiring(url)
    handling = message_handling(wiring)
    scheduled = message_body("event.scheduled", event("scheduled", sequence=0), "protocol-events")
    assert handling.handle(scheduled).outcome is Outcome.HANDLED
    assert handling.handle(scheduled).outcome is Outcome.DUPLICATE
    send_until(wiring, 1, smtp)

    [invitation] = smtp.messages
    assert invitation["To"] == "nino.beridze@example.org"
    assert TITLE in invitation["Subject"]
    assert (
        "ხუთშაბათი, 2026 წლის 3 დეკემბერი, 12:00–14:00"
        in invitation.get_body(("plain",)).get_content()
    )
    attachment, calendar = calendar_in(invitation)
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invitation.ics"
    assert calendar["METHOD"] == "REQUEST"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["UID"]) == "evt-42@lagodekhi.chancery"
    assert int(entry["SEQUENCE"]) == 0
    assert str(entry["SUMMARY"]) == TITLE
    assert str(entry["LOCATION"]) == VENUE
    assert str(entry["ORGANIZER"]) == "mailto:kancelaria@lagodekhi.example.org"
    assert TITLE.encode() in attachment.get_payload(decode=True).replace(b"\r\n ", b""), (
        "the UTF-8 bytes survive folding and the mail"
    )
    # iMIP: the invitation is also the body's calendar alternative (accept/decline buttons).
    inline = invitation.get_body(("calendar",))
    assert inline is not None
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_payload(decode=True) == attachment.get_payload(decode=True)

    cancelled = message_body(
        "event.cancelled",
        event("cancelled", sequence=1, reason="ვიზიტი გადაიდო"),
        "protocol-events",
    )
    assert handling.handle(cancelled).outcome is Outcome.HANDLED
    send_until(wiring, 2, smtp)
    cancellation = smtp.messages[1]
    assert "ვიზიტი გადაიდო" in cancellation.get_body(("plain",)).get_content()
    attachment, calendar = calendar_in(cancellation)
    assert attachment.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    [entry] = calendar.walk("VEVENT")
    assert (str(entry["UID"]), int(entry["SEQUENCE"]), str(entry["STATUS"])) == (
        "evt-42@lagodekhi.chancery",
        1,
        "CANCELLED",
    )
    assert str(entry["SUMMARY"]) == TITLE
