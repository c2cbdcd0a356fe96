"""One timestamp convention: moments answered in the municipality's offset, any offset read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError

from chancery.http.times import LocalDateTime, install_time_zone, local_isoformat
from chancery.validation import PlausibleDateTime


class Moment(Schema):
    at = LocalDateTime(allow_none=True)
    plausible = PlausibleDateTime()


def _app(time_zone: str) -> Flask:
    app = Flask(__name__)
    install_time_zone(app, time_zone)
    return app


@pytest.mark.parametrize(
    ("time_zone", "winter", "summer"),
    [
        ("Europe/Vilnius", "2026-12-08T12:45:00+02:00", "2026-07-08T13:45:00+03:00"),
        ("Europe/Riga", "2026-12-08T12:45:00+02:00", "2026-07-08T13:45:00+03:00"),
        ("Asia/Tbilisi", "2026-12-08T14:45:00+04:00", "2026-07-08T14:45:00+04:00"),
        ("Europe/Tirane", "2026-12-08T11:45:00+01:00", "2026-07-08T12:45:00+02:00"),
    ],
)
def test_a_moment_is_answered_with_the_offset_of_its_day(time_zone, winter, summer):
    with _app(time_zone).app_context():
        assert Moment().dump({"at": datetime(2026, 12, 8, 10, 45, tzinfo=UTC)})["at"] == winter
        assert Moment().dump({"at": datetime(2026, 7, 8, 10, 45, tzinfo=UTC)})["at"] == summer
        assert (
            Moment().dump({"plausible": datetime(2026, 12, 8, 10, 45, tzinfo=UTC)})["plausible"]
            == winter
        )
        assert local_isoformat(datetime(2026, 12, 8, 10, 45)) == winter  # naive is UTC


def test_requests_keep_any_offset_and_null_stays_null():
    with _app("Europe/Vilnius").app_context():
        loaded = Moment().load({"at": "2026-12-08T10:45:00Z"})
        assert loaded["at"] == datetime(2026, 12, 8, 10, 45, tzinfo=UTC)
        assert Moment().load({"at": "2026-12-08T14:45:00+04:00"})["at"] == loaded["at"]
        assert Moment().dump({"at": None}) == {"at": None}
        with pytest.raises(ValidationError):
            Moment().load({"at": "2026-12-08T10:45:00"})  # no offset: never guessed


def test_outside_an_app_a_moment_keeps_utc():
    assert Moment().dump({"at": datetime(2026, 12, 8, 10, 45, tzinfo=UTC)})["at"] == (
        "2026-12-08T10:45:00+00:00"
    )


def test_the_field_documents_the_convention():
    field = LocalDateTime()
    assert "municipality" in field.metadata["description"]
    assert field.metadata["example"] == "2026-12-08T12:45:00+02:00"
