"""The desks' plain rules: names in addresses, calendars, seating drawn, budget flags."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, time
from zoneinfo import ZoneInfo

from staff_web.desks import (
    by_day,
    event_slug,
    folded,
    local_day,
    local_moment,
    month_weeks,
    over_budget_lines,
    parse_local,
    seating_svg,
    shift_month,
    slug,
    week_of,
)
from staff_web.pages.foreign_desk import duplicates

VILNIUS = ZoneInfo("Europe/Vilnius")


def test_names_become_addresses_keeping_georgian_and_dropping_latin_diacritics():
    assert slug("Šiauliai") == "siauliai"
    assert slug("Vlorë, Albania") == "vlore-albania"
    assert slug("თელავი") == "თელავი"
    assert slug("  ---  ") == "-"
    assert folded("ŠIAULIAI") == folded("siauliai")


def test_an_event_is_named_by_its_title_in_the_municipality_language():
    event = {"title": {"ka": "ვიზიტი", "lt": "Delegacijos vizitas"}}
    assert event_slug(event, "lt") == "delegacijos-vizitas"
    assert event_slug({"title": {"ka": "ვიზიტი"}}, "lt") == "ვიზიტი"


def test_days_are_the_municipality_days_not_utc():
    assert local_day("2026-12-10T22:30:00+00:00", VILNIUS) == date(2026, 12, 11)
    assert parse_local("2026-12-11T10:00", VILNIUS) == local_moment(
        date(2026, 12, 11), time(10), VILNIUS)
    assert parse_local("tomorrow", VILNIUS) is None
    rows = [{"at": "2026-12-11T09:00:00+02:00"}, {"at": "2026-12-10T23:30:00+00:00"}]
    assert [len(v) for v in by_day(rows, "at", VILNIUS).values()] == [2]


def test_months_start_on_monday_and_weeks_run_to_sunday():
    weeks = month_weeks(2026, 12)
    assert weeks[0][:2] == [None, date(2026, 12, 1)]  # 1 December 2026 is a Tuesday
    assert week_of(date(2026, 12, 3))[0] == date(2026, 11, 30)
    assert week_of(date(2026, 12, 3))[-1] == date(2026, 12, 6)
    assert shift_month(2026, 12, 1) == "2027-01"
    assert shift_month(2026, 1, -1) == "2025-12"


def test_the_seating_plan_puts_the_first_in_the_middle_and_alternates_right_and_left():
    places = [{"position": n, "name": name, "reason": f"reason {n}"}
              for n, name in enumerate(["Host", "Guest", "Third", "Fourth", "<Fifth>"], 1)]
    drawn = ET.fromstring(seating_svg(places, "Seating plan"))
    seats = drawn.findall("{http://www.w3.org/2000/svg}g")
    order = [seat.findall("{http://www.w3.org/2000/svg}text")[1].text for seat in seats]
    assert order == ["<Fifth>", "Third", "Host", "Guest", "Fourth"]
    assert seats[2].find("{http://www.w3.org/2000/svg}title").text == "reason 1"
    assert drawn.get("aria-label") == "Seating plan"


def test_over_budget_lines_need_approval_until_approved_as_such():
    expenses = {"costs": [{"id": "a", "over_budget": True, "approved_over_budget": False},
                          {"id": "b", "over_budget": True, "approved_over_budget": True},
                          {"id": "c", "over_budget": False}]}
    assert over_budget_lines(expenses) == {"a"}


def test_a_partner_city_of_the_same_name_is_a_duplicate_whatever_the_diacritics():
    held = [{"city": "Šiauliai", "country": "LT"}, {"city": "Vlorë", "country": "AL"}]
    assert duplicates(held, "siauliai", "LT") == [held[0]]
    assert duplicates(held, "Siauliai", "LV") == []
    assert duplicates(held, "Kutaisi", "GE") == []
