"""Terms and deadlines: an agreement's end warned once per term, working-day due dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chancery.profiles.loading import load_profile
from foreign_relations.domain import terms


def test_expiry_warning_once_per_term_within_the_lead_time():
    today = date(2026, 3, 10)
    end = date(2026, 6, 8)  # 90 days ahead
    assert terms.needs_expiry_warning(end, None, today, 90)
    assert not terms.needs_expiry_warning(date(2026, 6, 9), None, today, 90)
    assert not terms.needs_expiry_warning(end, end, today, 90)
    assert terms.needs_expiry_warning(end, date(2025, 6, 8), today, 90)  # a renewed term
    assert not terms.needs_expiry_warning(date(2026, 3, 9), None, today, 90)  # already over
    assert not terms.needs_expiry_warning(None, None, today, 90)


def test_working_day_due_date_skips_the_restoration_of_independence_day():
    calendar = load_profile("alytus").calendar()
    # Tuesday 10 March 2026; 11 March is a Lithuanian public holiday.
    due = calendar.add_working_days(datetime(2026, 3, 10, 7, 30, tzinfo=UTC), 5)
    assert due.due == date(2026, 3, 18)
    assert any("public holiday" in line for line in due.lines())
