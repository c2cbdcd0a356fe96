"""A resident books a reception slot on the public pages, in Albanian, on a phone's width:
the confirmation link arrives by real SMTP, is followed, the .ics is downloaded, the
official's visitor log shows the booking, and the link's cancellation frees the slot."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from .conftest import CLERK, Visit, mail_to, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
PHONE = {"width": 390, "height": 844}
# The demo's deputy mayor receives on Wednesdays, 09:00–12:00.
OFFICIAL = "ilze-ozolina"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _week_with_a_free_slot(page, world) -> str:
    """Go to the first week (from next week on) with a free slot; its first slot's start."""
    for weeks in range(1, 6):
        monday = (datetime.now(UTC) + timedelta(weeks=weeks)).date().isoformat()
        page.goto(f"{world.web}/public/receptions/{OFFICIAL}?week={monday}")
        slots = page.locator("input[name=starts_at]")
        if slots.count():
            return slots.first.get_attribute("value")
    raise AssertionError("no free reception slot in five weeks")


def test_a_resident_books_confirms_downloads_and_cancels_on_the_public_page_in_albanian(
    world, browser, visit_factory, tmp_path
):
    resident = browser.new_context(
        locale="sq-AL", timezone_id="Europe/Vilnius", viewport=PHONE, accept_downloads=True
    )
    page = resident.new_page()
    visit = visit_factory(page)
    address = f"arber.hoxha.{uuid.uuid4().hex[:8]}@example.org"
    topic = f"Ndriçimi i rrugës së Liqenit, pallati {uuid.uuid4().hex[:4]}"

    page.goto(f"{world.web}/public/receptions?lang=sq")
    assert page.locator("h1").inner_text() == "Rezervo një takim"
    assert "Zëvendëskryetare" in page.inner_text("main")
    _fits_the_phone(page)
    visit.check("officials")
    page.click("main a:has-text('Ilze Ozoliņa')")
    assert page.url.endswith(f"/public/receptions/{OFFICIAL}")
    starts_at = _week_with_a_free_slot(page, world)
    _fits_the_phone(page)
    visit.check("week")

    page.check(f"input[value='{starts_at}']")
    page.fill("#visitor_name", "Arbër Hoxha")
    page.fill("#email", address)
    page.fill("#topic", topic)
    page.click("form#book button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Ju lutemi konfirmoni rezervimin"
    assert "Ju dërguam një e-mail me një lidhje" in page.inner_text("[role=status]")
    _fits_the_phone(page)
    visit.check("requested")

    mail = mail_to(world, address, "Konfirmoni takimin në orarin e pritjes")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Ilze Ozoliņa" in text
    assert topic in text
    [link] = re.findall(r"http://127\.0\.0\.1:\d+/public/receptions/booking/[\w-]+", text)
    assert link.startswith(world.web)

    page.goto(link)
    assert "në pritje të konfirmimit tuaj" in page.inner_text("dl.facts")
    _fits_the_phone(page)
    visit.check("link-opened")
    page.click("button:has-text('Konfirmo rezervimin')")
    page.wait_for_load_state("load")
    assert page.inner_text("[role=status]") == "Rezervimi juaj u konfirmua."
    _fits_the_phone(page)
    visit.check("confirmed")
    with page.expect_download() as download:
        page.click("a[download]")
    calendar = tmp_path / "reception.ics"
    download.value.save_as(calendar)
    ics = calendar.read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in ics
    assert "Pritja e qytetarëve: takim — Ilze Ozoliņa" in ics.replace("\r\n ", "")
    booked = mail_to(world, address, "Takimi juaj u rezervua")
    assert any(part.get_content_type() == "text/calendar" for part in booked.walk())

    # The deputy mayor's visitor log at the desk shows the resident's booking.
    staff, desk = signed_in(browser, world, CLERK, "sq-AL")
    desk_visit = Visit(desk, "public_reception_booking_visitor_log")
    desk.goto(f"{world.web}/receptions/{OFFICIAL}/{starts_at[:10]}?lang=sq")
    row = desk.locator("tr", has_text="Arbër Hoxha")
    assert topic in row.inner_text()
    desk_visit.check("visitor-log")
    staff.close()

    # A second time with the same official, for the same e-mail, is refused in words.
    page.goto(f"{world.web}/public/receptions/{OFFICIAL}?week={starts_at[:10]}")
    page.locator("input[name=starts_at]").first.check()
    page.fill("#visitor_name", "Arbër Hoxha")
    page.fill("#email", address.upper())
    page.fill("#topic", topic)
    page.click("form#book button[type=submit]")
    page.wait_for_load_state("load")
    assert "Keni tashmë një takim me këtë zyrtar" in page.inner_text("[role=alert]")
    assert page.input_value("#topic") == topic, "what was typed stays"
    _fits_the_phone(page)
    visit.check("second-refused")

    page.goto(link)
    page.click("button:has-text('Anulo rezervimin')")
    page.wait_for_load_state("load")
    assert "Rezervimi juaj u anulua" in page.inner_text("[role=status]")
    assert page.locator("a[download]").count() == 0
    _fits_the_phone(page)
    visit.check("cancelled")
    page.goto(f"{world.web}/public/receptions/{OFFICIAL}?week={starts_at[:10]}")
    assert page.locator(f"input[value='{starts_at}']").count() == 1, "the slot is free again"
    visit.check("free-again")
    resident.close()
