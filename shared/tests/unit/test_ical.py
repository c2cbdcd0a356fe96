"""Tests for the iCalendar writer: round trips, folding of multi-byte text, methods."""

from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest

from chancery.ical import Attendee, CalendarEntry, to_ics

TBILISI = timezone(timedelta(hours=4))
GEORGIAN = "ოფიციალური მიღება ქუთაისის მეგობარი ქალაქის დელეგაციის პატივსაცემად"


def _entry(**overrides) -> CalendarEntry:
    values = {
        "uid": "e-1@lagodekhi.chancery",
        "sequence": 2,
        "starts_at": datetime(2026, 12, 3, 12, 0, tzinfo=TBILISI),
        "ends_at": datetime(2026, 12, 3, 14, 0, tzinfo=TBILISI),
        "summary": GEORGIAN,
        "location": "საკრებულოს სხდომათა დარბაზი, რუსთაველის ქ. 1",
        "organizer": Attendee("Protokolo skyrius", "protokolas@example.org"),
        "attendees": (Attendee("Jānis Bērziņš", "janis@example.org"), Attendee("Arbër Hoxha")),
        "stamp": datetime(2026, 11, 22, 9, 0, tzinfo=UTC),
    }
    return CalendarEntry(**{**values, **overrides})


def test_text_survives_folding_byte_for_byte() -> None:
    raw = to_ics([_entry()], method="REQUEST")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a character
    [event] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["summary"]) == GEORGIAN
    assert str(event["location"]) == "საკრებულოს სხდომათა დარბაზი, რუსთაველის ქ. 1"


def test_invitation_fields_and_times_in_utc() -> None:
    calendar = icalendar.Calendar.from_ical(to_ics([_entry()], method="REQUEST"))
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == "e-1@lagodekhi.chancery"
    assert int(event["sequence"]) == 2
    assert event["dtstart"].dt == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert str(event["organizer"]) == "mailto:protokolas@example.org"
    # Only people with an address are attendees (RFC 5545 names them by URI).
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:janis@example.org"]


def test_a_cancellation_and_a_feed() -> None:
    cancel = icalendar.Calendar.from_ical(
        to_ics([_entry(status="CANCELLED", sequence=3)], method="CANCEL")
    )
    assert str(cancel["method"]) == "CANCEL"
    assert str(cancel.walk("VEVENT")[0]["status"]) == "CANCELLED"
    feed = icalendar.Calendar.from_ical(
        to_ics(
            [_entry(), _entry(uid="e-2@lagodekhi.chancery")], name="Meras", time_zone="Asia/Tbilisi"
        )
    )
    assert "method" not in feed
    assert str(feed["x-wr-timezone"]) == "Asia/Tbilisi"
    assert len(feed.walk("VEVENT")) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": "MAYBE"},
        {"starts_at": datetime(2026, 12, 3, 12, 0)},
        {"ends_at": datetime(2026, 12, 3, 11, 0, tzinfo=TBILISI)},
    ],
)
def test_impossible_entries_are_refused(change) -> None:
    with pytest.raises(ValueError):
        _entry(**change)


def test_no_value_can_break_out_of_its_property() -> None:
    # The edge refuses these; the writer must still never emit a raw break or control.
    raw = to_ics(
        [
            _entry(
                summary="Priėmimas\r\nMETHOD:CANCEL\x00",
                location="Salė\n\x07A",
                description="Pirma eilutė\r\nantra\x1b eilutė",
                organizer=Attendee(
                    "Ona\r\nATTENDEE:mailto:x@example.org", "protokolas@example.org"
                ),
            )
        ],
        method="REQUEST",
        name="Kalendorius\nX-EVIL:1",
    )
    lines = raw.decode("utf-8").split("\r\n")
    assert not any(ch in raw for ch in (b"\x00", b"\x07", b"\x1b", b"\n\n"))
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert not any(
        line.startswith(("METHOD:CANCEL", "ATTENDEE:mailto:x@", "X-EVIL")) for line in lines
    )
    [event] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["summary"]) == "Priėmimas  METHOD:CANCEL "
    assert str(event["location"]) == "Salė  A"
    assert str(event["description"]) == "Pirma eilutė\nantra  eilutė"
