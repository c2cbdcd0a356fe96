"""Tests for chancery.calendar: working days, receipt days and explainable deadlines.

Expected dates were worked out by hand against the real holidays of each country as
reported by the ``holidays`` package (language en_US).
"""

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import chancery.calendar as calendar_module
from chancery.calendar import DeadlineComputation, Period, WorkingCalendar

VILNIUS = ZoneInfo("Europe/Vilnius")
RIGA = ZoneInfo("Europe/Riga")
TBILISI = ZoneInfo("Asia/Tbilisi")
TIRANE = ZoneInfo("Europe/Tirane")


def _period(start: str, end: str) -> Period:
    return Period(time.fromisoformat(start), time.fromisoformat(end))


def _alytus(extra_closed_days: tuple[date, ...] = ()) -> WorkingCalendar:
    long_day = [_period("08:00", "12:00"), _period("12:45", "17:00")]
    friday = [_period("08:00", "12:00"), _period("12:45", "15:45")]
    hours = {0: long_day, 1: long_day, 2: long_day, 3: long_day, 4: friday}
    return WorkingCalendar("LT", "Europe/Vilnius", hours, extra_closed_days)


def _riga() -> WorkingCalendar:
    long_day = [_period("08:30", "12:00"), _period("12:30", "17:00")]
    friday = [_period("08:30", "12:00"), _period("12:30", "15:30")]
    hours = {0: long_day, 1: long_day, 2: long_day, 3: long_day, 4: friday}
    return WorkingCalendar("LV", "Europe/Riga", hours)


def _tbilisi() -> WorkingCalendar:
    day = [_period("09:00", "13:00"), _period("14:00", "18:00")]
    return WorkingCalendar("GE", "Asia/Tbilisi", dict.fromkeys(range(5), day))


def _tirane() -> WorkingCalendar:
    day = [_period("08:00", "16:00")]
    return WorkingCalendar("AL", "Europe/Tirane", dict.fromkeys(range(5), day))


def _vilnius_every_day() -> WorkingCalendar:
    """A reception desk open daily, so DST Sundays have working periods."""
    day = [_period("08:00", "17:00")]
    return WorkingCalendar("LT", "Europe/Vilnius", dict.fromkeys(range(7), day))


# --- Lithuania ---------------------------------------------------------------------------


def test_lithuania_christmas_holidays_are_closed_with_reasons() -> None:
    alytus = _alytus()
    assert alytus.closed_reason(date(2026, 12, 24)) == "public holiday: Christmas Eve"
    assert alytus.closed_reason(date(2026, 12, 25)) == "public holiday: Christmas Day"
    assert alytus.closed_reason(date(2026, 12, 26)) == "public holiday: Second Day of Christmas"
    assert alytus.closed_reason(date(2026, 12, 27)) == "Sunday"
    assert alytus.closed_reason(date(2027, 1, 1)) == "public holiday: New Year's Day"
    assert alytus.closed_reason(date(2026, 12, 23)) is None
    assert alytus.is_working_day(date(2026, 12, 23))
    assert not alytus.is_working_day(date(2026, 12, 24))


def test_twenty_working_days_from_the_day_before_christmas() -> None:
    received = datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS)

    result = _alytus().add_working_days(received, 20)

    # Working days: Dec 28-31 (4), Jan 4-8 (9), 11-15 (14), 18-22 (19), Jan 25 (20).
    assert result.due == date(2027, 1, 25)
    assert result.counted_from == date(2026, 12, 24)
    assert result.received_at is received
    assert (result.amount, result.unit) == (20, "working_days")
    assert result.lines()[0] == "Received 2026-12-23 10:00 Europe/Vilnius (Wednesday)"
    assert result.lines()[1] == "Counting starts the day after receipt: 2026-12-24"
    assert "Skipped 2026-12-24 (Thursday): public holiday: Christmas Eve" in result.lines()
    assert "Skipped 2027-01-01 (Friday): public holiday: New Year's Day" in result.lines()
    assert "Skipped 2027-01-02: Saturday" in result.lines()
    assert result.lines()[-2] == "20th working day: 2027-01-25 (Monday)"
    assert result.lines()[-1] == "Due date: 2027-01-25 (Monday)"
    assert "Christmas Eve" in result.explanation()


def test_letter_after_hours_before_christmas_counts_as_received_on_monday() -> None:
    alytus = _alytus()
    received = datetime(2026, 12, 23, 17, 30, tzinfo=VILNIUS)

    assert alytus.receipt_day(received) == date(2026, 12, 28)
    result = alytus.add_working_days(received, 20)

    assert result.counted_from == date(2026, 12, 29)
    assert result.due == date(2027, 1, 26)
    assert "Received after working hours ended at 17:00" in result.lines()
    assert "Counts as received on the next working day: 2026-12-28 (Monday)" in result.lines()


def test_receipt_just_before_closing_counts_the_same_day() -> None:
    assert _alytus().receipt_day(datetime(2026, 12, 23, 16, 59, tzinfo=VILNIUS)) == date(
        2026, 12, 23
    )


def test_receipt_before_opening_counts_the_same_day() -> None:
    assert _alytus().receipt_day(datetime(2026, 12, 23, 6, 0, tzinfo=VILNIUS)) == date(2026, 12, 23)


def test_friday_after_short_hours_counts_as_received_next_monday() -> None:
    alytus = _alytus()
    assert alytus.receipt_day(datetime(2026, 3, 13, 16, 0, tzinfo=VILNIUS)) == date(2026, 3, 16)
    assert alytus.receipt_day(datetime(2026, 3, 13, 15, 30, tzinfo=VILNIUS)) == date(2026, 3, 13)


def test_saturday_receipt_counts_as_received_next_monday() -> None:
    result = _alytus().add_working_days(datetime(2026, 3, 14, 11, 0, tzinfo=VILNIUS), 1)

    assert result.counted_from == date(2026, 3, 17)
    assert result.due == date(2026, 3, 17)
    assert "Received on a non-working day: Saturday" in result.lines()
    assert "Skipped 2026-03-15: Sunday" in result.lines()


def test_receipt_in_another_zone_is_judged_in_local_time() -> None:
    # 15:10 UTC is 17:10 in Vilnius (EET, UTC+2): after closing.
    received = datetime(2026, 12, 23, 15, 10, tzinfo=UTC)
    alytus = _alytus()

    assert alytus.local(received) == datetime(2026, 12, 23, 17, 10, tzinfo=VILNIUS)
    assert alytus.local(received).tzinfo == VILNIUS
    assert alytus.receipt_day(received) == date(2026, 12, 28)


def test_is_working_time_respects_lunch_break_and_closing() -> None:
    alytus = _alytus()
    assert alytus.is_working_time(datetime(2026, 12, 22, 8, 0, tzinfo=VILNIUS))
    assert not alytus.is_working_time(datetime(2026, 12, 22, 12, 30, tzinfo=VILNIUS))
    assert alytus.is_working_time(datetime(2026, 12, 22, 12, 45, tzinfo=VILNIUS))
    assert not alytus.is_working_time(datetime(2026, 12, 22, 17, 0, tzinfo=VILNIUS))
    assert not alytus.is_working_time(datetime(2026, 12, 24, 10, 0, tzinfo=VILNIUS))


def test_working_periods_are_aware_local_datetimes() -> None:
    periods = _alytus().working_periods(date(2026, 12, 18))

    assert periods == [
        (
            datetime(2026, 12, 18, 8, 0, tzinfo=VILNIUS),
            datetime(2026, 12, 18, 12, 0, tzinfo=VILNIUS),
        ),
        (
            datetime(2026, 12, 18, 12, 45, tzinfo=VILNIUS),
            datetime(2026, 12, 18, 15, 45, tzinfo=VILNIUS),
        ),
    ]
    assert all(start.tzinfo == VILNIUS for start, _ in periods)


def test_working_periods_are_empty_on_closed_days() -> None:
    alytus = _alytus()
    assert alytus.working_periods(date(2026, 12, 25)) == []
    assert alytus.working_periods(date(2026, 12, 19)) == []


@pytest.mark.parametrize(
    ("day", "utc_offset_hours"),
    [
        (date(2026, 3, 28), 2),
        (date(2026, 3, 29), 3),  # spring forward at 03:00
        (date(2026, 10, 24), 3),
        (date(2026, 10, 25), 2),  # fall back at 04:00
    ],
)
def test_working_periods_keep_local_opening_time_across_dst(
    day: date, utc_offset_hours: int
) -> None:
    start, end = _vilnius_every_day().working_periods(day)[0]

    assert (start.hour, start.minute, end.hour) == (8, 0, 17)
    assert start.utcoffset() == timedelta(hours=utc_offset_hours)
    assert start.astimezone(UTC).hour == 8 - utc_offset_hours


def test_wall_clock_time_skipped_by_dst_becomes_the_real_instant() -> None:
    night = WorkingCalendar("LT", "Europe/Vilnius", {6: [_period("03:30", "05:00")]})

    start, _ = night.working_periods(date(2026, 3, 29))[0]

    assert start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (start.hour, start.minute) == (4, 30)


def test_extra_closed_days_are_honoured() -> None:
    alytus = _alytus(extra_closed_days=(date(2026, 12, 31),))

    assert alytus.closed_reason(date(2026, 12, 31)) == "closed by the municipality"
    assert not alytus.is_working_day(date(2026, 12, 31))
    assert alytus.working_periods(date(2026, 12, 31)) == []
    result = alytus.add_working_days(datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS), 20)
    assert result.due == date(2027, 1, 26)
    assert "Skipped 2026-12-31 (Thursday): closed by the municipality" in result.lines()


def test_extra_closed_day_moves_receipt() -> None:
    alytus = _alytus(extra_closed_days=(date(2026, 12, 28),))
    assert alytus.receipt_day(datetime(2026, 12, 23, 17, 30, tzinfo=VILNIUS)) == date(2026, 12, 29)


def test_next_working_day_is_strictly_after() -> None:
    alytus = _alytus()
    assert alytus.next_working_day(date(2026, 12, 22)) == date(2026, 12, 23)
    assert alytus.next_working_day(date(2026, 12, 23)) == date(2026, 12, 28)
    assert alytus.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 12, 23), date(2027, 1, 4), 5),  # Dec 28, 29, 30, 31, Jan 4
        (date(2026, 12, 23), date(2026, 12, 27), 0),
        (date(2026, 12, 22), date(2026, 12, 23), 1),  # end included, start excluded
        (date(2026, 12, 23), date(2027, 1, 25), 20),
        (date(2026, 12, 23), date(2026, 12, 23), 0),
        (date(2027, 1, 4), date(2026, 12, 23), 0),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert _alytus().working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("amount", "due", "ordinal"),
    [
        (1, date(2026, 12, 28), "1st"),
        (2, date(2026, 12, 29), "2nd"),
        (3, date(2026, 12, 30), "3rd"),
        (4, date(2026, 12, 31), "4th"),
        (11, date(2027, 1, 12), "11th"),
        (12, date(2027, 1, 13), "12th"),
        (13, date(2027, 1, 14), "13th"),
        (21, date(2027, 1, 26), "21st"),
        (22, date(2027, 1, 27), "22nd"),
    ],
)
def test_working_day_ordinals(amount: int, due: date, ordinal: str) -> None:
    result = _alytus().add_working_days(datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS), amount)

    assert result.due == due
    assert f"{ordinal} working day: {due.isoformat()}" in result.explanation()


def test_calendar_days_in_lithuania_roll_past_christmas() -> None:
    # Dec 18 (Friday) + 6 days = Dec 24 (Christmas Eve); 25, 26, 27 also closed.
    result = _alytus().add_calendar_days(datetime(2026, 12, 18, 9, 0, tzinfo=VILNIUS), 6)

    assert result.due == date(2026, 12, 28)
    assert result.counted_from == date(2026, 12, 19)
    assert "6th calendar day: 2026-12-24 (Thursday)" in result.lines()
    assert (
        "2026-12-24 is not a working day (public holiday: Christmas Eve); "
        "the deadline moves to the next working day"
    ) in result.lines()
    assert "Skipped 2026-12-27: Sunday" in result.lines()


# --- Latvia ------------------------------------------------------------------------------


def test_latvia_ten_working_days_across_proclamation_day() -> None:
    riga = _riga()
    assert riga.closed_reason(date(2026, 11, 18)) == (
        "public holiday: Republic of Latvia Proclamation Day"
    )

    result = riga.add_working_days(datetime(2026, 11, 16, 10, 0, tzinfo=RIGA), 10)

    # Nov 17, 19, 20, 23-27, 30, Dec 1.
    assert result.due == date(2026, 12, 1)
    assert (
        "Skipped 2026-11-18 (Wednesday): public holiday: Republic of Latvia Proclamation Day"
        in result.lines()
    )


def test_latvia_ten_working_days_across_midsummer() -> None:
    riga = _riga()
    assert riga.closed_reason(date(2026, 6, 23)) == "public holiday: Midsummer Eve"
    assert riga.closed_reason(date(2026, 6, 24)) == "public holiday: Midsummer Day"
    # 2026 gives Monday 22 June off and works Saturday 27 June instead.
    assert not riga.is_working_day(date(2026, 6, 22))
    assert riga.is_working_day(date(2026, 6, 27))

    result = riga.add_working_days(datetime(2026, 6, 19, 10, 0, tzinfo=RIGA), 10)

    # Jun 25, 26, 27 (the working Saturday), 29, 30, Jul 1, 2, 3, 6, 7.
    assert result.due == date(2026, 7, 7)
    assert "2026-06-27 (Saturday) is a working day, transferred from 2026-06-22" in (result.lines())
    assert "Skipped 2026-06-23 (Tuesday): public holiday: Midsummer Eve" in result.lines()
    assert "Skipped 2026-06-24 (Wednesday): public holiday: Midsummer Day" in result.lines()


def test_latvia_one_month_clamps_to_end_of_february_then_rolls() -> None:
    # Receipt Friday 30 January; 30 February does not exist -> Saturday 28 February -> Monday.
    result = _riga().add_months(datetime(2026, 1, 30, 10, 0, tzinfo=RIGA), 1)

    assert result.due == date(2026, 3, 2)
    assert result.counted_from == date(2026, 1, 31)
    assert (
        "1 month after 2026-01-30: 2026-02-28 (Saturday) "
        "(the month has no day 30; its last day is used)"
    ) in result.lines()
    assert "Skipped 2026-03-01: Sunday" in result.lines()
    assert result.lines()[-1] == "Due date: 2026-03-02 (Monday)"


def test_latvia_one_month_from_saturday_31_january_counts_from_monday() -> None:
    # 31 January 2026 is a Saturday, so the receipt day is Monday 2 February.
    result = _riga().add_months(datetime(2026, 1, 31, 10, 0, tzinfo=RIGA), 1)

    assert result.counted_from == date(2026, 2, 3)
    assert result.due == date(2026, 3, 2)
    assert "1 month after 2026-02-02: 2026-03-02 (Monday)" in result.lines()


def test_months_clamp_to_29_february_in_a_leap_year() -> None:
    result = _riga().add_months(datetime(2024, 1, 31, 10, 0, tzinfo=RIGA), 1)
    assert result.due == date(2024, 2, 29)


def test_months_cross_the_year_end() -> None:
    # Monday 30 November 2026 + 3 months = 28 February 2027 (clamped, Sunday) -> 1 March.
    result = _riga().compute(datetime(2026, 11, 30, 10, 0, tzinfo=RIGA), 3, "months")

    assert result.unit == "months"
    assert result.due == date(2027, 3, 1)
    assert "3 months after 2026-11-30: 2027-02-28 (Sunday)" in result.explanation()


# --- Georgia -----------------------------------------------------------------------------


def test_georgia_orthodox_christmas_is_a_holiday() -> None:
    tbilisi = _tbilisi()
    assert tbilisi.closed_reason(date(2026, 1, 7)) == "public holiday: Christmas Day"
    assert not tbilisi.is_working_day(date(2026, 1, 7))
    assert tbilisi.is_working_day(date(2026, 12, 25))


def test_georgia_fifteen_calendar_days_landing_on_independence_day() -> None:
    # Monday 11 May + 15 days = Tuesday 26 May (Independence Day).
    result = _tbilisi().add_calendar_days(datetime(2026, 5, 11, 11, 0, tzinfo=TBILISI), 15)

    assert result.due == date(2026, 5, 27)
    assert (
        "2026-05-26 is not a working day (public holiday: Independence Day); "
        "the deadline moves to the next working day"
    ) in result.lines()


def test_georgia_fifteen_calendar_days_rolling_over_unity_day_and_easter() -> None:
    # Wednesday 25 March + 15 = Thursday 9 April (National Unity Day); 10-13 April are
    # Good Friday, Holy Saturday, Easter Sunday and Easter Monday.
    result = _tbilisi().compute(datetime(2026, 3, 25, 9, 30, tzinfo=TBILISI), 15, "calendar_days")

    assert result.due == date(2026, 4, 14)
    assert "Skipped 2026-04-10 (Friday): public holiday: Good Friday" in result.lines()
    assert "Skipped 2026-04-13 (Monday): public holiday: Easter Monday" in result.lines()
    assert result.lines()[-1] == "Due date: 2026-04-14 (Tuesday)"


def test_georgia_lunch_break_is_not_working_time() -> None:
    tbilisi = _tbilisi()
    assert not tbilisi.is_working_time(datetime(2026, 5, 11, 13, 30, tzinfo=TBILISI))
    assert tbilisi.is_working_time(datetime(2026, 5, 11, 14, 0, tzinfo=TBILISI))


# --- Albania -----------------------------------------------------------------------------


def test_albania_ten_working_days_across_independence_and_liberation_days() -> None:
    tirane = _tirane()
    assert tirane.closed_reason(date(2026, 11, 28)) == "public holiday: Flag and Independence Day"
    assert tirane.closed_reason(date(2026, 11, 29)) == "public holiday: Liberation Day"

    result = tirane.add_working_days(datetime(2026, 11, 25, 10, 0, tzinfo=TIRANE), 10)

    # Nov 26, 27, Dec 2, 3, 4, 7, 9, 10, 11, 14: both holidays fall on the weekend and are
    # observed on 30 Nov and 1 Dec; 8 Dec is National Youth Day.
    assert result.due == date(2026, 12, 14)
    explanation = result.explanation()
    assert "Skipped 2026-11-30 (Monday): public holiday: Flag and Independence Day (observed)" in (
        explanation
    )
    assert "Skipped 2026-12-01 (Tuesday): public holiday: Liberation Day (observed)" in explanation
    assert "Skipped 2026-12-08 (Tuesday): public holiday: National Youth Day" in explanation


# --- serialisation -----------------------------------------------------------------------


def test_as_dict_is_json_ready() -> None:
    received = datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS)
    result = _alytus().compute(received, 20, "working_days")

    data = result.as_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["received_at"] == "2026-12-23T10:00:00+02:00"
    assert data["counted_from"] == "2026-12-24"
    assert data["due"] == "2027-01-25"
    assert (data["amount"], data["unit"]) == (20, "working_days")
    assert data["steps"] == [dict(step) for step in result.steps]
    assert data["steps"][0]["code"] == "received"


def test_deadline_computation_is_immutable() -> None:
    result = _alytus().add_working_days(datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS), 1)
    assert isinstance(result, DeadlineComputation)
    with pytest.raises(AttributeError):
        result.due = date(2030, 1, 1)  # type: ignore[misc]


# --- holiday cache -----------------------------------------------------------------------


def test_holidays_are_loaded_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    alytus = _alytus()
    calls: list[tuple[int, ...]] = []
    original = calendar_module.holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(tuple(kwargs["years"]))  # type: ignore[arg-type]
        return original(*args, **kwargs)

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)

    alytus.add_working_days(datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS), 20)
    alytus.working_days_between(date(2026, 1, 1), date(2027, 12, 31))

    assert sorted(calls) == [(2025, 2026, 2027), (2026, 2027, 2028)]


# --- errors ------------------------------------------------------------------------------


def test_naive_datetime_is_rejected() -> None:
    alytus = _alytus()
    naive = datetime(2026, 12, 23, 10, 0)
    with pytest.raises(ValueError, match="naive"):
        alytus.local(naive)
    with pytest.raises(ValueError, match="naive"):
        alytus.receipt_day(naive)
    with pytest.raises(ValueError, match="naive"):
        alytus.is_working_time(naive)
    with pytest.raises(ValueError, match="naive"):
        alytus.compute(naive, 5, "working_days")


def test_unknown_unit_is_named_in_the_error() -> None:
    received = datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS)
    with pytest.raises(ValueError, match="fortnights"):
        _alytus().compute(received, 2, "fortnights")


@pytest.mark.parametrize("unit", ["working_days", "calendar_days", "months"])
@pytest.mark.parametrize("amount", [0, -1])
def test_term_below_one_is_rejected(unit: str, amount: int) -> None:
    received = datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS)
    with pytest.raises(ValueError, match="at least 1"):
        _alytus().compute(received, amount, unit)


def test_invalid_periods_are_rejected() -> None:
    with pytest.raises(ValueError, match="before its end"):
        _period("17:00", "08:00")
    with pytest.raises(ValueError, match="naive"):
        Period(time(8, 0, tzinfo=UTC), time(17, 0))


@pytest.mark.parametrize(
    ("country", "time_zone", "hours", "message"),
    [
        ("XX", "Europe/Vilnius", {0: [Period(time(8), time(17))]}, "country"),
        ("LT", "Europe/Nowhere", {0: [Period(time(8), time(17))]}, "time zone"),
        ("LT", "Europe/Vilnius", {7: [Period(time(8), time(17))]}, "Weekday"),
        ("LT", "Europe/Vilnius", {0: []}, "at least one weekday"),
        ("LT", "Europe/Vilnius", {}, "at least one weekday"),
        (
            "LT",
            "Europe/Vilnius",
            {0: [Period(time(8), time(12)), Period(time(11), time(17))]},
            "Overlapping",
        ),
    ],
)
def test_invalid_calendars_are_rejected(
    country: str, time_zone: str, hours: dict[int, list[Period]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(country, time_zone, hours)


def test_periods_given_out_of_order_are_sorted() -> None:
    hours = {0: [_period("13:00", "17:00"), _period("08:00", "12:00")]}
    calendar = WorkingCalendar("LT", "Europe/Vilnius", hours)

    periods = calendar.working_periods(date(2026, 12, 21))

    assert [start.hour for start, _ in periods] == [8, 13]
    assert calendar.receipt_day(datetime(2026, 12, 21, 16, 0, tzinfo=VILNIUS)) == date(2026, 12, 21)
