"""The desks' plain rules: names in addresses, calendars, seating drawn, budget flags."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from staff_web.desks import (
    by_day,
    event_slug,
    folded,
    local_day,
    local_input,
    local_moment,
    month_weeks,
    over_budget_lines,
    parse_local,
    seating_svg,
    shift_month,
    slug,
    week_of,
)
from staff_web.pages.foreign_desk import delegates, duplicates, travellers
from staff_web.pages.operator import sample_data
from staff_web.pages.protocol_desk import answer_counts

VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture
def translated():
    """A bare Flask app with the staff web app's catalogues, to word things in a language."""
    from flask import Flask
    from flask_babel import Babel

    from staff_web.i18n import TRANSLATIONS

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app)
    return app


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
        date(2026, 12, 11), time(10), VILNIUS
    )
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
    places = [
        {"position": n, "name": name, "reason": f"reason {n}"}
        for n, name in enumerate(["Host", "Guest", "Third", "Fourth", "<Fifth>"], 1)
    ]
    drawn = ET.fromstring(seating_svg(places, "Seating plan"))
    seats = drawn.findall("{http://www.w3.org/2000/svg}g")
    order = [seat.findall("{http://www.w3.org/2000/svg}text")[1].text for seat in seats]
    assert order == ["<Fifth>", "Third", "Host", "Guest", "Fourth"]
    assert seats[2].find("{http://www.w3.org/2000/svg}title").text == "reason 1"
    assert drawn.get("aria-label") == "Seating plan"


def test_over_budget_lines_need_approval_until_approved_as_such():
    expenses = {
        "costs": [
            {"id": "a", "over_budget": True, "approved_over_budget": False},
            {"id": "b", "over_budget": True, "approved_over_budget": True},
            {"id": "c", "over_budget": False},
        ]
    }
    assert over_budget_lines(expenses) == {"a"}


def test_a_partner_city_of_the_same_name_is_a_duplicate_whatever_the_diacritics():
    held = [{"city": "Šiauliai", "country": "LT"}, {"city": "Vlorë", "country": "AL"}]
    assert duplicates(held, "siauliai", "LT") == [held[0]]
    assert duplicates(held, "Siauliai", "LV") == []
    assert duplicates(held, "Kutaisi", "GE") == []


def test_travellers_are_read_one_a_line_and_the_first_heads_the_trip():
    assert travellers("Arta Krasniqi, zëvendëskryetare\n\n  Besnik Hoxha  \n") == [
        {"name": "Arta Krasniqi", "position": "zëvendëskryetare", "head": True},
        {"name": "Besnik Hoxha", "position": None, "head": False},
    ]
    assert travellers(" \n") == []


def test_a_preview_is_filled_in_with_each_variables_own_name():
    assert sample_data(["registration_number", "გვარი"]) == {
        "registration_number": "«registration_number»",
        "გვარი": "«გვარი»",
    }


def test_a_place_is_explained_in_the_readers_language_from_the_services_codes(translated):
    from flask_babel import force_locale

    from staff_web.precedence_reasons import place_reason

    place = {
        "reason": "2nd: ambassador ranks above deputy mayor in the protocol list; "
        "seated right of the host",
        "explanation": {
            "position": 2,
            "why": "ranks_above",
            "where": "beside",
            "side": "right",
            "pair": 1,
            "of": "host",
            "rank": {"en": "ambassador", "ka": "ელჩი"},
            "other_rank": {"en": "deputy mayor"},
        },
    }
    with translated.test_request_context(), force_locale("ka"):
        georgian = place_reason(place, "ka")
    assert georgian == (
        "№ 2: პროტოკოლის სიაში ელჩი deputy mayor-ზე მაღლა დგას; ზის მასპინძლის მარჯვნივ"
    ), "a rank without a Georgian name: English"
    with translated.test_request_context(), force_locale("en"):
        assert place_reason(place, "en") == (
            "No. 2: ambassador ranks above deputy mayor in the protocol list; "
            "seated right of the host"
        )
        unknown = {**place, "explanation": {"position": 2, "why": "a_new_rule"}}
        assert place_reason(unknown, "en") == place["reason"]


@pytest.mark.parametrize(
    ("language", "detail", "errors", "told"),
    [
        (
            "sq",
            "A trip moves planned → reported only via …",
            [{"field": "status", "reason": "planned → reported is not allowed"}],
            "Ky hap nuk është i mundur tani (planned → reported).",
        ),
        # A refusal without a known reason is told in the service's words.
        ("sq", "Something new went wrong.", [], "Something new went wrong."),
        (
            "ka",
            "The visitor restricted the processing …",
            [{"field": "restricted_at", "reason": "restricted"}],
            "პირმა შეზღუდა თავისი მონაცემების დამუშავება (GDPR-ის მე-18 მუხლი): ისინი მხოლოდ "
            "ინახება.",
        ),
    ],
)
def test_a_refusal_is_told_from_the_services_reason_codes_in_the_readers_language(
    translated, language, detail, errors, told
):
    from flask_babel import force_locale

    from staff_web.api_client import ApiError
    from staff_web.i18n import problem_text

    with translated.test_request_context(), force_locale(language):
        assert problem_text(ApiError(409, "Conflict", detail, errors)) == told


def test_a_local_input_shows_an_instant_in_the_municipality_s_wall_clock_and_reads_back():
    vilnius = ZoneInfo("Europe/Vilnius")
    # 13:00 UTC in December is 15:00 in Vilnius (EET, +02:00).
    shown = local_input("2026-12-21T13:00:00+00:00", vilnius)
    assert shown == "2026-12-21T15:00"
    assert parse_local(shown, vilnius).isoformat() == "2026-12-21T15:00:00+02:00"


def test_a_restriction_s_reasons_are_told_in_the_readers_language(translated):
    from flask_babel import force_locale

    from staff_web.i18n import reason_text

    with translated.test_request_context(), force_locale("lt"):
        assert (
            reason_text("The trip has not returned yet: its delegation list is still in use.")
            == "Kelionė dar nesibaigė: delegacijos sąrašas dar naudojamas."
        )


def test_the_visitor_log_s_and_the_foreign_desk_s_refusals_are_translated(translated):
    from flask_babel import force_locale

    from staff_web.i18n import reason_text
    from staff_web.vocabulary_labels import label

    with translated.test_request_context(), force_locale("sq"):
        assert reason_text("arrived before 15 minutes before the slot") == (
            "Mbërritja e vizitorit mund të shënohet jo më herët se 15 minuta para orarit të "
            "takimit."
        )
        assert reason_text("must equal first_year for an annual plan") == (
            "Një plan vjetor mbulon një vit."
        )
    with translated.test_request_context(), force_locale("ka"):
        assert reason_text("no_show before the slot starts").startswith("ვიზიტორის")
        assert (label("cost_status", "proposed"), label("cost_category", "gifts")) == (
            "ელოდება დამტკიცებას",
            "საჩუქრები",
        )


def test_delegates_are_read_one_a_line_and_the_first_heads_the_delegation():
    assert delegates(
        "ნინო ბერიძე, mayor, nino@example.org, KA\n\n Anna Smith ,, , en\nGiorgi\n"
    ) == [
        {
            "name": "ნინო ბერიძე",
            "role": "mayor",
            "email": "nino@example.org",
            "language": "ka",
            "head": True,
        },
        {"name": "Anna Smith", "role": None, "email": None, "language": "en", "head": False},
        {"name": "Giorgi", "role": None, "email": None, "language": None, "head": False},
    ]


def test_answers_are_counted_with_those_not_yet_given():
    from flask import Flask
    from flask_babel import Babel, force_locale

    from staff_web.i18n import TRANSLATIONS

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app)
    with app.test_request_context(), force_locale("ka"):
        georgian = answer_counts([{"answer": None}])
    assert georgian[-1] == ("ჯერ არ უპასუხია", 1)
    with app.test_request_context(), force_locale("en"):
        counts = answer_counts(
            [
                {"answer": "accepted"},
                {"answer": None},
                {"answer": "accepted"},
                {"answer": "tentative"},
            ]
        )
    assert [count for _, count in counts] == [2, 0, 1, 1]
    assert [label for label, _ in counts][-1] == "No answer yet"
