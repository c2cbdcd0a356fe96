"""The plain core: state machines, passports, per diems, lead times, working-day due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from chancery.profiles import load_profile
from foreign_relations import domain


@pytest.mark.parametrize(("what", "current", "target"), [
    ("invitation", "proposed", "approved"), ("invitation", "proposed", "declined"),
    ("invitation", "proposed", "withdrawn"), ("invitation", "approved", "withdrawn"),
    ("trip", "planned", "approved"), ("trip", "approved", "under_way"),
    ("trip", "under_way", "returned"), ("trip", "returned", "reported"),
    ("visit", "requested", "approved"), ("visit", "requested", "declined"),
    ("translation", "queued", "in_progress"), ("translation", "in_progress", "done"),
    ("translation", "queued", "cancelled"), ("proposal", "referred", "answered"),
])
def test_allowed_moves(what, current, target):
    domain.check_transition(what, current, target)


def test_an_impossible_move_names_the_state_and_what_is_possible():
    with pytest.raises(domain.ImpossibleTransition) as refused:
        domain.check_transition("invitation", "declined", "approved")
    assert refused.value.status == 409
    assert "declined" in refused.value.detail
    assert "nothing (it is final)" in refused.value.detail
    with pytest.raises(domain.ImpossibleTransition) as refused:
        domain.check_transition("trip", "planned", "returned")
    assert refused.value.allowed == ["approved", "cancelled"]
    assert "approved, cancelled" in refused.value.detail


def test_passport_outside_schengen_needs_the_margin_after_the_return():
    check = domain.check_passport("Rūta", date(2026, 10, 1), date(2026, 8, 20), "GE", 3)
    assert not check.ok
    assert check.required_until == date(2026, 11, 20)
    assert "outside the Schengen area" in check.reason
    assert domain.check_passport("Rūta", date(2026, 11, 20), date(2026, 8, 20), "GE", 3).ok


def test_passport_inside_schengen_needs_only_the_return():
    assert domain.check_passport("Jonas", date(2026, 8, 20), date(2026, 8, 20), "LV", 3).ok
    early = domain.check_passport("Jonas", date(2026, 8, 19), date(2026, 8, 20), "LV", 3)
    assert not early.ok
    assert "before the return" in early.reason


def test_unknown_passport_expiry_is_flagged():
    check = domain.check_passport("Aušra", None, date(2026, 8, 20), "AL", 3)
    assert not check.ok
    assert check.reason == "passport expiry date unknown"


def test_margin_months_clamp_to_the_end_of_a_short_month():
    assert domain.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_per_diem_is_days_times_rate_times_travellers():
    allowance = domain.per_diem("GE", date(2026, 8, 18), date(2026, 8, 20), 2)
    assert (allowance.days, allowance.rate, allowance.total) == (3, Decimal("45"), Decimal("270"))
    assert domain.per_diem("ZZ", date(2026, 8, 18), date(2026, 8, 18), 1).rate == \
        domain.DEFAULT_PER_DIEM
    with pytest.raises(ValueError):
        domain.per_diem("GE", date(2026, 8, 20), date(2026, 8, 18), 1)


def test_expiry_warning_once_per_term_within_the_lead_time():
    today = date(2026, 3, 10)
    end = date(2026, 6, 8)  # 90 days ahead
    assert domain.needs_expiry_warning(end, None, today, 90)
    assert not domain.needs_expiry_warning(date(2026, 6, 9), None, today, 90)
    assert not domain.needs_expiry_warning(end, end, today, 90)
    assert domain.needs_expiry_warning(end, date(2025, 6, 8), today, 90)  # a renewed term
    assert not domain.needs_expiry_warning(date(2026, 3, 9), None, today, 90)  # already over
    assert not domain.needs_expiry_warning(None, None, today, 90)


def test_working_day_due_date_skips_the_restoration_of_independence_day():
    calendar = load_profile("alytus").calendar()
    # Tuesday 10 March 2026; 11 March is a Lithuanian public holiday.
    due = calendar.add_working_days(datetime(2026, 3, 10, 7, 30, tzinfo=UTC), 5)
    assert due.due == date(2026, 3, 18)
    assert any("public holiday" in line for line in due.lines())
