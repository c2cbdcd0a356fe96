"""The statistics' periods and tallies (intake.domain.statistics)."""

from __future__ import annotations

from datetime import date

from intake.domain.statistics import (
    CountedColumns,
    Period,
    TallyGroup,
    changes,
    period_of,
    periods,
    tally,
)

# Statistics ----------------------------------------------------------------------------


def _group(period: str, count: int = 1, status: str = "registered", **kw) -> TallyGroup:
    values = {"kind": "complaint", "addressee_kind": "mayor", "channel": "email", **kw}
    return TallyGroup(period=period, status=status, count=count, **values)


def test_period_of_weeks_and_months():
    assert period_of(date(2026, 11, 29), "week") == "2026-W48"
    assert period_of(date(2026, 11, 30), "week") == "2026-W49"
    assert period_of(date(2027, 1, 1), "week") == "2026-W53"
    assert period_of(date(2027, 1, 4), "week") == "2027-W01"
    assert period_of(date(2026, 3, 1), "month") == "2026-03"


def test_weeks_run_monday_to_sunday_and_are_cut_to_the_range():
    assert periods(date(2026, 11, 27), date(2026, 12, 9), "week") == [
        Period("2026-W48", date(2026, 11, 27), date(2026, 11, 30)),
        Period("2026-W49", date(2026, 11, 30), date(2026, 12, 7)),
        Period("2026-W50", date(2026, 12, 7), date(2026, 12, 10)),
    ]
    assert [p.label for p in periods(date(2026, 12, 28), date(2027, 1, 4), "week")] == [
        "2026-W53",
        "2027-W01",
    ]


def test_months_cross_the_year_and_one_day_is_one_period():
    assert periods(date(2026, 11, 15), date(2027, 1, 31), "month") == [
        Period("2026-11", date(2026, 11, 15), date(2026, 12, 1)),
        Period("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        Period("2027-01", date(2027, 1, 1), date(2027, 2, 1)),
    ]
    assert periods(date(2026, 3, 1), date(2026, 3, 1), "month") == [
        Period("2026-03", date(2026, 3, 1), date(2026, 3, 2))
    ]
    assert periods(date(2026, 3, 2), date(2026, 3, 1), "week") == []


def test_tally_adds_up_groups_per_dimension_oldest_first():
    groups = [
        _group("2026-12", kind="invitation", addressee_kind="director"),
        _group("2026-11", 3, status="answered"),
        _group("2026-12", 2, addressee_kind=None, channel=None),
    ]
    assert tally(groups) == [
        {
            "period": "2026-11",
            "total": 3,
            "kind": {"complaint": 3},
            "addressee": {"mayor": 3},
            "status": {"answered": 3},
            "channel": {"email": 3},
        },
        {
            "period": "2026-12",
            "total": 3,
            "kind": {"complaint": 2, "invitation": 1},
            "addressee": {"director": 1, "none": 2},
            "status": {"registered": 3},
            "channel": {"email": 1, "none": 2},
        },
    ]


def test_tally_of_nothing_is_empty():
    assert tally([]) == []


# The daily tally's changes -------------------------------------------------------------


def _columns(status: str = "registered", direction: str = "incoming", **kw) -> CountedColumns:
    values = {"kind": "complaint", "addressee_kind": None, "channel": "email", **kw}
    return CountedColumns(direction=direction, status=status, **values)


def test_a_registration_counts_once_in_every_dimension():
    assert changes(None, _columns()) == {
        ("kind", "complaint"): 1,
        ("addressee", "none"): 1,
        ("status", "registered"): 1,
        ("channel", "email"): 1,
    }


def test_a_status_change_moves_one_count_and_a_void_takes_the_letter_out():
    assert changes(_columns(), _columns("routed")) == {
        ("status", "registered"): -1,
        ("status", "routed"): 1,
    }
    assert changes(_columns("routed"), _columns("voided")) == {
        ("kind", "complaint"): -1,
        ("addressee", "none"): -1,
        ("status", "routed"): -1,
        ("channel", "email"): -1,
    }


def test_outgoing_letters_and_unchanged_columns_change_nothing():
    assert changes(None, _columns(direction="outgoing")) == {}
    assert changes(_columns(), _columns()) == {}
