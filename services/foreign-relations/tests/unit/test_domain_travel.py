"""Travel's rules: passports against the return (and the margin outside Schengen), per diems."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foreign_relations.domain import travel


def test_passport_outside_schengen_needs_the_margin_after_the_return():
    check = travel.check_passport("Rūta", date(2026, 10, 1), date(2026, 8, 20), "GE", 3)
    assert not check.ok
    assert check.required_until == date(2026, 11, 20)
    assert "outside the Schengen area" in check.reason
    assert travel.check_passport("Rūta", date(2026, 11, 20), date(2026, 8, 20), "GE", 3).ok


def test_passport_inside_schengen_needs_only_the_return():
    assert travel.check_passport("Jonas", date(2026, 8, 20), date(2026, 8, 20), "LV", 3).ok
    early = travel.check_passport("Jonas", date(2026, 8, 19), date(2026, 8, 20), "LV", 3)
    assert not early.ok
    assert "before the return" in early.reason


def test_unknown_passport_expiry_is_flagged():
    check = travel.check_passport("Aušra", None, date(2026, 8, 20), "AL", 3)
    assert not check.ok
    assert check.reason == "passport expiry date unknown"


def test_margin_months_clamp_to_the_end_of_a_short_month():
    assert travel.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_per_diem_is_days_times_rate_times_travellers():
    allowance = travel.per_diem("GE", date(2026, 8, 18), date(2026, 8, 20), 2)
    assert (allowance.days, allowance.rate, allowance.total) == (3, Decimal("45"), Decimal("270"))
    assert (
        travel.per_diem("ZZ", date(2026, 8, 18), date(2026, 8, 18), 1).rate
        == travel.DEFAULT_PER_DIEM
    )
    with pytest.raises(ValueError):
        travel.per_diem("GE", date(2026, 8, 20), date(2026, 8, 18), 1)
