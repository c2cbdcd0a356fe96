"""Deadline steps rendered in every language we write, and the calendar's new rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from chancery.calendar import DayException, WorkingCalendar
from chancery.explanations import EXPLANATION_LANGUAGES, explanation_language, render
from chancery.profiles import ProfileError
from chancery.profiles.loading import load_profile

RIGA = ZoneInfo("Europe/Riga")


def _every_code() -> list[dict]:
    """Steps of several computations that together use every step code."""
    riga = load_profile("daugavpils").calendar(
        (
            DayException(date(2026, 7, 1), False, "Valdības lēmums", "MK rīkojums Nr. 1"),
            DayException(date(2026, 7, 4), True, "Darba sestdiena", "MK rīkojums Nr. 2"),
        )
    )
    tbilisi = load_profile("lagodekhi").calendar()
    steps: list[dict] = []
    for computation in (
        riga.add_working_days(datetime(2026, 6, 19, 10, 0, tzinfo=RIGA), 12),
        riga.add_months(datetime(2026, 1, 30, 10, 0, tzinfo=RIGA), 1),
        riga.add_calendar_days(datetime(2026, 12, 23, 16, 30, tzinfo=RIGA), 15),
        riga.add_calendar_days(datetime(2026, 6, 20, 10, 0, tzinfo=RIGA), 3),
        riga.extend_from_due(
            datetime(2026, 6, 19, 10, 0, tzinfo=RIGA), date(2026, 7, 7), 1, "months"
        ),
        tbilisi.add_calendar_days(datetime(2026, 1, 3, 10, 0, tzinfo=ZoneInfo("Asia/Tbilisi")), 15),
    ):
        steps.extend(computation.steps)
    return [*steps, {"code": "extension_from_receipt"}]


def test_every_code_is_written_in_every_language() -> None:
    steps = _every_code()
    codes = {step["code"] for step in steps}
    assert codes >= {
        "received",
        "after_hours",
        "closed_arrival",
        "skipped",
        "counts_as_received",
        "arrival_day_counts",
        "counting_starts",
        "counting_continues",
        "extension_from_due",
        "extension_from_receipt",
        "nth_working_day",
        "nth_calendar_day",
        "months_after",
        "rolls_forward",
        "transferred_working_day",
        "declared_working_day",
        "due",
    }
    for language in EXPLANATION_LANGUAGES:
        lines = render(steps, language, "LV")
        assert len(lines) == len(steps)
        assert not any(line.startswith(tuple(codes)) for line in lines), language
    assert (
        "Saņemts pēc darba laika beigām (16:00) (pirms svētku dienas saīsināta darba "
        "diena)" in render(steps, "lv", "LV")
    )
    assert "Izlaista 2026-06-23 (otrdiena): svētku diena: Līgo diena" in render(steps, "lv", "LV")
    assert "2026-06-27 (Saturday) is a working day, transferred from 2026-06-22" in render(
        steps, "en", "LV"
    )
    assert any(line.startswith("Marrë më 2026-06-19 10:00") for line in render(steps, "sq"))
    assert "მიღებულია სამუშაო დროის გარეთ; ვადა აითვლება მიღების დღიდან 2026-01-03" in render(
        steps, "ka", "GE"
    )


def test_an_old_sentence_step_is_shown_as_it_is() -> None:
    assert render(["Received 2026-12-23 10:00 Europe/Vilnius (Wednesday)"], "lt") == [
        "Received 2026-12-23 10:00 Europe/Vilnius (Wednesday)"
    ]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("ka", "ka"),
        ("lv-LV,lv;q=0.9,en;q=0.8", "lv"),
        ("de-DE,sq;q=0.5", "sq"),
        ("de", "lt"),
        (None, "lt"),
        ("", "lt"),
    ],
)
def test_the_reader_language(asked: str | None, expected: str) -> None:
    assert explanation_language(asked, "lt") == expected


def test_a_worked_saturday_has_the_hours_of_the_day_it_replaces() -> None:
    riga = load_profile("daugavpils").calendar()
    assert riga.is_working_day(date(2026, 1, 17))
    assert riga.transferred_from(date(2026, 1, 17)) == date(2026, 1, 2)
    [(start, end)] = riga.working_periods(date(2026, 1, 17))
    # 2 January 2026 is a Friday: 08:00-16:00.
    assert (start.hour, end.hour) == (8, 16)
    assert not riga.is_working_day(date(2026, 1, 24))


def test_a_shortened_day_closes_an_hour_early_and_a_bridge_day_off_shortens_nothing() -> None:
    riga = load_profile("daugavpils").calendar()
    assert riga.is_short_day(date(2026, 11, 17))
    assert riga.working_periods(date(2026, 11, 17))[-1][1].hour == 16
    # 19 June 2026 is followed by a weekend and the bridge day off: a full Friday.
    assert not riga.is_short_day(date(2026, 6, 19))
    tbilisi = load_profile("lagodekhi").calendar()
    assert not tbilisi.is_short_day(date(2026, 4, 8))


def test_declared_days_win_over_everything_else() -> None:
    calendar = WorkingCalendar("GE", "Asia/Tbilisi", load_profile("lagodekhi").working_hours)
    assert calendar.is_working_day(date(2026, 1, 5))
    declared = calendar.with_exceptions(
        [
            DayException(date(2026, 1, 5), False, "Decree", "N1"),
            DayException(date(2026, 1, 10), True, "Works", "N2"),
        ]
    )
    assert declared.closed_reason(date(2026, 1, 5)) == "day off by government decision: Decree (N1)"
    assert declared.is_working_day(date(2026, 1, 10))
    assert calendar.is_working_day(date(2026, 1, 5))  # the original is unchanged
    assert (
        load_profile("lagodekhi")
        .calendar()
        .closed_reason(date(2026, 1, 6))
        .startswith("day off by government decision")
    )


def test_a_profile_with_a_bad_calendar_rule_names_it(tmp_path) -> None:
    text = (load_profile.__globals__["PROFILE_DIR"] / "vlora.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("counts_from: arrival_day", "counts_from: whenever"), encoding="utf-8"
    )
    with pytest.raises(ProfileError, match="counts_from"):
        load_profile(str(bad))
    no_forwarding = tmp_path / "none.yaml"
    no_forwarding.write_text(
        text.replace(
            text[text.index("forwarding_deadline:") :].split("\n", 1)[0], "forwarding_deadline: []"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="forwarding_deadline"):
        load_profile(str(no_forwarding))
