"""The protocol, reception and foreign-relations desks in a real browser, in Georgian and
Albanian: a delegation's programme with a room clash refused in words, the seating plan,
a resident booked at the reception desk, the visitor log and the hand-over to intake,
partner cities with the duplicate warning, and an invitation decided."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from .conftest import CLERK, FOREIGN_OFFICER, MAYOR_OFFICE, PROTOCOL_OFFICER

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def _signed_in(browser, world, account, locale):
    context = browser.new_context(locale=locale, timezone_id="Europe/Vilnius")
    page = context.new_page()
    page.goto(f"{world.web}/sign-in")
    page.click("a[href='/sign-in/provider']")
    page.wait_for_url(re.compile(re.escape(world.provider)))
    page.fill("input[name=login]", account["login"])
    page.fill("input[name=password]", "any password the development provider accepts")
    page.click("button[type=submit]")
    page.wait_for_url(f"{world.web}/")
    return context, page


def test_a_delegation_programme_with_a_clash_and_the_seating_plan_in_georgian(
        world, browser, visit_factory):
    context, page = _signed_in(browser, world, PROTOCOL_OFFICER, "ka-GE")
    visit = visit_factory(page)
    # The demo's delegation visit starts ten days from now at 08:00 UTC (10:00 in Alytus).
    day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    page.goto(f"{world.web}/protocol/events?lang=ka")
    visit.check("calendar-month")
    page.goto(f"{world.web}/protocol/events?week={day}")
    visit.check("calendar-week")
    page.click(f"ol.week a[href^='/protocol/events/{day}/partnerio-miesto']")
    assert "-" in page.url
    assert "uuid" not in page.url
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page.url)
    visit.check("event")
    page.select_option("#resource_kind", "room")
    page.fill("#resource_name", "დიდი დარბაზი")
    page.click("form[action$='/resources'] button")
    for _attempt in range(2):
        page.select_option("#category", "business_meeting")
        page.fill("#title", "შეხვედრა საკრებულოს კომიტეტთან")
        page.fill("#starts_at", f"{day}T11:00")
        page.fill("#ends_at", f"{day}T12:00")
        page.select_option("#resource_id", label="დიდი დარბაზი")
        page.click("form[action$='/programme'] button[type=submit]")
        page.wait_for_load_state("load")
    # The second booking of the same room is refused, in Georgian words and local time.
    refusal = page.inner_text("[role=alert]")
    assert "ჯავშანი უარყოფილია" in refusal
    assert "დიდი დარბაზი უკვე დაჯავშნილია" in refusal
    assert "11:00" in refusal
    visit.check("clash-refused")
    page.fill("#p-name", "ნინო ბერიძე")
    page.select_option("#p-kind", "guest")
    page.check("#p-honour")
    page.click("form[action$='/participants'] button[type=submit]")
    page.wait_for_url(re.compile(r"#seating$"))
    assert page.is_visible("svg.seating")
    assert page.locator("svg.seating g.seat").count() >= 2
    precedence = page.inner_text("ol.precedence")
    assert "ნინო ბერიძე" in precedence
    assert "guest of honour" in precedence
    visit.check("seating")
    assert "ნინო ბერიძე" in page.inner_text("figure.seating-plan")
    event_page = page.url.split("#")[0]
    page.goto(event_page + "/badges")
    visit.check("badges")
    # Gifts planned at 400 against a budget of 150: flagged, approved only when ticked so.
    page.goto(event_page)
    page.check("#what-budget")
    page.select_option("#cost-category", "gifts")
    page.fill("#cost-amount", "150")
    page.click("form[action$='/expenses'] button[type=submit]")
    page.wait_for_url(re.compile(r"#expenses$"))
    page.select_option("#cost-category", "gifts")
    page.fill("#cost-description", "საჩუქრები დელეგაციისთვის")
    page.fill("#cost-amount", "400")
    page.click("form[action$='/expenses'] button[type=submit]")
    page.wait_for_url(re.compile(r"#expenses$"))
    flagged = page.locator("tr.flagged", has_text="საჩუქრები დელეგაციისთვის")
    assert "ბიუჯეტს აღემატება" in flagged.inner_text()
    visit.check("over-budget")
    context.close()

    context, page = _signed_in(browser, world, MAYOR_OFFICE, "ka-GE")
    visit.page = page  # the same folder of screenshots, the mayor's office's browser
    page.goto(event_page + "?lang=ka#expenses")
    row = page.locator("tr.flagged", has_text="საჩუქრები დელეგაციისთვის")
    row.locator("button[value=approve]").click()
    page.wait_for_load_state("load")
    assert "over its budget" in page.inner_text("[role=alert]")
    row = page.locator("tr.flagged", has_text="საჩუქრები დელეგაციისთვის")
    row.locator("input[name=over_budget]").check()
    row.locator("button[value=approve]").click()
    page.wait_for_url(re.compile(r"#expenses$"))
    approved = page.locator("tr", has_text="საჩუქრები დელეგაციისთვის").inner_text()
    assert "approved" in approved
    visit.check("approved-over-budget")
    context.close()


def test_a_resident_booked_at_the_reception_desk_and_the_visitor_log_in_albanian(
        world, browser, visit_factory):
    context, page = _signed_in(browser, world, CLERK, "sq-AL")
    visit = visit_factory(page)
    page.goto(f"{world.web}/receptions?lang=sq")
    visit.check("officials")
    week = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    page.goto(f"{world.web}/receptions/rimantas-vaitkunas?week={week}")
    visit.check("week")
    first_free = page.locator("input[name=starts_at]").first
    starts_at = first_free.get_attribute("value")
    first_free.check()
    page.fill("#visitor_name", "Arbër Hoxha")
    page.fill("#email", "arber.hoxha@example.org")
    page.select_option("#language", "sq")
    page.fill("#topic", "Leje ndërtimi për shtëpinë në rrugën e Liqenit")
    page.click("form#book button[type=submit]")
    page.wait_for_load_state("load")
    assert "U rezervua për" in page.inner_text("[role=status]")
    assert page.locator(f"input[value='{starts_at}']").count() == 0  # no longer free
    visit.check("booked")
    page.goto(f"{world.web}/receptions/rimantas-vaitkunas/{starts_at[:10]}")
    visit.check("visitor-log")
    row = page.locator("tr", has_text="Arbër Hoxha")
    row.locator("button[value=arrived]").click()
    page.wait_for_load_state("load")
    # Arrival hours before the slot is refused, and the page says why.
    assert "arrived" in page.inner_text("[role=alert]")
    page.locator("tr", has_text="Arbër Hoxha").locator(
        "form[action$='/hand-over'] button").click()
    page.wait_for_load_state("load")
    assert "U dorëzua në regjistrim." in page.inner_text("[role=status]")
    assert page.locator("tr", has_text="Arbër Hoxha").locator(
        "form[action$='/hand-over']").count() == 0
    visit.check("handed-over")
    context.close()


def test_partner_cities_and_an_invitation_decided(world, browser, visit_factory):
    context, page = _signed_in(browser, world, FOREIGN_OFFICER, "sq-AL")
    visit = visit_factory(page)
    page.goto(f"{world.web}/foreign?lang=sq")
    visit.check("desk")
    page.goto(f"{world.web}/foreign/partners?q=SIAULIAI")
    assert page.locator("main ul li a", has_text="Šiauliai").count() == 1
    visit.check("search")
    page.fill("#city", "Siauliai")
    page.fill("#country", "LT")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    assert "Një qytet partner me këtë emër ekziston tashmë" in page.inner_text("[role=alert]")
    visit.check("duplicate-warning")
    page.click("main ul li a:has-text('Šiauliai')")
    assert page.url.endswith("/foreign/partners/siauliai")
    visit.check("dossier")
    page.goto(f"{world.web}/foreign")
    link = page.locator("main a[href^='/foreign/invitations/']").first
    invitation = link.get_attribute("href")
    link.click()
    page.click("#worth-yes")
    page.fill("#recommendation", "Ia vlen: bashkëpunim në turizëm.")
    page.click("form[action$='/evaluation'] button[type=submit]")
    page.wait_for_load_state("load")
    assert "Ia vlen: bashkëpunim në turizëm." in page.inner_text("dl.facts")
    visit.check("evaluated")
    context.close()

    context, page = _signed_in(browser, world, MAYOR_OFFICE, "sq-AL")
    visit.page = page  # the same folder of screenshots, the mayor's office's browser
    page.goto(f"{world.web}{invitation}?lang=sq")
    page.fill("#note", "Miratohet.")
    page.click("button[value=approve]")
    page.wait_for_load_state("load")
    assert "approved" in page.inner_text("dl.facts")
    assert page.locator("button[value=approve]").count() == 0
    visit.check("decided")
    context.close()
