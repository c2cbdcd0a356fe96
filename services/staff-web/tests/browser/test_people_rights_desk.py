"""The data protection officer's desk in a real browser, in Latvian: an access request about a
demo correspondent answered by all five services, its exports, an erasure whose kept
protocol book entry says why in Latvian words, a restriction, and the record of processing
activities."""

from __future__ import annotations

import json
import re

import pytest

from chancery_testing import wait_for

from .conftest import OFFICER, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
# The embedded demo's Latvian correspondent (intake's demo letters).
RESIDENT = "Jānis Bērziņš"


def _all_answered(page) -> bool:
    return "Atbildējuši visi dienesti." in page.inner_text("#answers")


def _asked(page, action: str | None = None) -> str:
    """Ask about the resident (``access`` unless ``action`` is checked first) and wait for
    the five services' answers (the page polls by htmx); the answers' text."""
    if action:
        page.check(f"#action-{action}")
    page.fill("#name", RESIDENT)
    page.click("form[action='/people-rights'] button[type=submit]")
    page.wait_for_url(re.compile(r"/people-rights/\d+$"))
    wait_for(
        lambda: _all_answered(page), timeout=30, what=f"the five answers to {action or 'access'}"
    )
    return page.inner_text("#answers")


def test_an_access_request_and_an_erasure_at_the_officers_desk_in_latvian(
    world, browser, visit_factory
):
    context, page = signed_in(browser, world, OFFICER, "lv-LV", time_zone="Europe/Riga")
    visit = visit_factory(page)
    page.goto(f"{world.web}/people-rights?lang=lv")
    visit.check("requests")
    # Nobody named: the form again, the reason next to the person's fieldset.
    page.click("form[action='/people-rights'] button[type=submit]")
    assert page.locator("#person-error").count() == 1
    visit.check("nobody-named")
    answers = _asked(page)
    assert "intake" in answers
    assert "notifications" in answers
    visit.check("access-answered")
    number = page.url.rsplit("/", 1)[1]
    with page.expect_download() as download:
        page.click(f"a[href='/people-rights/{number}.json']")
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert set(exported["answered"]) == {
        "intake",
        "routing",
        "protocol-events",
        "foreign-relations",
        "notifications",
    }
    assert any(
        record["data"].get("correspondent", {}).get("name") == RESIDENT
        for part in exported["parts"]
        if part["service"] == "intake"
        for record in part["records"]
    )
    page.click(f"a[href='/people-rights/{number}/document']")
    assert RESIDENT in page.inner_text("main")
    visit.check("printable")

    page.goto(f"{world.web}/people-rights")
    answers = _asked(page, "erase")
    assert "saglabāts" in answers
    assert "Reģistrācijas žurnāls uz visiem laikiem saglabā" in answers
    visit.check("erasure-answered")

    page.goto(f"{world.web}/people-rights")
    answers = _asked(page, "restrict")
    assert "VDAR 18. panta 2. punkts" in answers
    visit.check("restriction-answered")

    page.goto(f"{world.web}/people-rights/processing")
    assert "foreign-relations" in page.inner_text("main")
    visit.check("processing")
    context.close()
