"""A Georgian delegation's visit in a real browser, in Georgian, from the letter to the venue
change: the invitation letter registered at the registry desk and routed to foreign
relations, the invitation decided (its routing letter answered), the visit started from it
and approved, the draft event in protocol with its programme, a room clash refused in words,
the seating plan, invitations in Georgian and English, a guest's answer from their link and
one taken by phone, and the venue changed."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from chancery_testing import wait_for

from .conftest import (
    CLERK,
    FOREIGN_OFFICER,
    MAYOR_OFFICE,
    PROTOCOL_OFFICER,
    bearer_of,
    closed_letter,
    mail_to,
    register_post,
    signed_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def _text(mail) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def test_a_georgian_delegation_from_the_invitation_letter_to_the_venue_change(
    world, browser, visit_factory
):
    token = secrets.token_hex(3)
    title = f"ქუთაისის დელეგაციის ვიზიტი {token}"
    day = (datetime.now(UTC) + timedelta(days=40)).date()
    nino = f"nino.beridze.{token}@example.org"
    anna = f"anna.smith.{token}@example.org"

    # The registry desk registers the invitation letter for foreign relations (COMM).
    context, page = signed_in(browser, world, CLERK, "ka-GE")
    visit = visit_factory(page)
    number = register_post(
        page,
        world,
        kind="invitation",
        language="ka",
        sender="ქუთაისის მერია",
        addressee="department:COMM",
        subject=title,
        received_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        lang="ka",
    )
    visit.check("letter-registered")
    context.close()

    # Foreign relations evaluates the invitation the letter became.
    context, page = signed_in(browser, world, FOREIGN_OFFICER, "ka-GE")
    visit.page = page
    invitation_page = f"{world.web}/foreign/invitations/{number}"
    wait_for(
        lambda: page.goto(f"{invitation_page}?lang=ka").status == 200,
        60,
        "the letter routed to foreign relations as an invitation",
    )
    assert title in page.inner_text("h1")
    page.click("#worth-yes")
    page.fill("#recommendation", "ღირს: თანამშრომლობა ტურიზმში.")
    page.click("form[action$='/evaluation'] button[type=submit]")
    page.wait_for_load_state("load")
    visit.check("invitation-evaluated")
    officer = page

    # The mayor's office approves it: the routing letter is answered and closed.
    office_context, office = signed_in(browser, world, MAYOR_OFFICE, "ka-GE")
    visit.page = office
    office.goto(f"{invitation_page}?lang=ka")
    office.fill("#note", "დამტკიცებულია.")
    office.click("form[action$='/decision'] button[value=approve]")
    office.wait_for_load_state("load")
    assert "დამტკიცდა" in office.inner_text("dl.facts")
    visit.check("invitation-decided")
    bearer = bearer_of(office_context, world)
    letter = wait_for(
        lambda: closed_letter(world, bearer, number),
        30,
        "the invitation letter answered and closed in routing",
    )
    assert [row for row in letter["history"] if row["action"] == "answered"]

    # Foreign relations starts the visit the letter asked for, from the invitation's page.
    visit.page = officer
    officer.goto(f"{invitation_page}?lang=ka")
    assert officer.input_value("#visit-title") == title, "the invitation's title offered"
    officer.fill("#visit-city", "ქუთაისი")
    officer.fill("#visit-country", "GE")
    officer.fill("#visit-arrives", f"{day.isoformat()}T09:00")
    officer.fill("#visit-departs", f"{(day + timedelta(days=2)).isoformat()}T16:00")
    officer.fill("#visit-purpose", "თანამშრომლობა ტურიზმის სფეროში")
    officer.select_option("#visit-language", "ka")
    officer.fill(
        "#visit-members", f"ნინო ბერიძე, mayor, {nino}, ka\nAnna Smith, adviser, {anna}, en"
    )
    officer.click("form[action$='/visit'] button[type=submit]")
    officer.wait_for_url(re.compile(r"#visit$"))
    assert "ელოდება გადაწყვეტილებას" in officer.inner_text(".visit-status")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", officer.url)
    visit.check("visit-started")
    context.close()

    # The mayor's office approves the visit; protocol gets the draft event.
    visit.page = office
    office.goto(f"{invitation_page}?lang=ka")
    office.fill("#visit_note", "ვიზიტი დამტკიცებულია.")
    office.click("form[action$='/visit/decision'] button[value=approve]")
    office.wait_for_url(re.compile(r"#visit$"))
    assert "დამტკიცდა" in office.inner_text(".visit-status")
    visit.check("visit-approved")
    office_context.close()

    context, page = signed_in(browser, world, PROTOCOL_OFFICER, "ka-GE")
    visit.page = page
    week = f"{world.web}/protocol/events?week={day.isoformat()}&lang=ka"

    def the_draft_event() -> bool:
        page.goto(week)
        return page.locator("ol.week a", has_text=title).count() == 1

    wait_for(the_draft_event, 60, "the approved visit's draft event in protocol")
    page.click(f"ol.week a:has-text('{title}')")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page.url)
    event_page = page.url.split("#")[0].split("?")[0]
    assert "ნინო ბერიძე" in page.inner_text("ol.precedence"), "the delegation came along"
    visit.check("draft-event")

    # The programme: a meeting in a room; the same room again is refused in words.
    room = f"მცირე დარბაზი {token}"
    page.select_option("#resource_kind", "room")
    page.fill("#resource_name", room)
    page.click("form[action$='/resources'] button")
    page.wait_for_load_state("load")
    for _attempt in range(2):
        page.select_option("#category", "business_meeting")
        page.fill("#title", "შეხვედრა მერთან")
        page.fill("#starts_at", f"{day.isoformat()}T11:00")
        page.fill("#ends_at", f"{day.isoformat()}T12:00")
        page.select_option("#resource_id", label=room)
        page.click("form[action$='/programme'] button[type=submit]")
        page.wait_for_load_state("load")
    refusal = page.inner_text("[role=alert]")
    assert "ჯავშანი უარყოფილია" in refusal
    assert f"{room} უკვე დაჯავშნილია" in refusal
    assert "11:00" in refusal, "the clash in local time"
    assert "already booked by" not in refusal
    visit.check("clash-refused")
    page.goto(event_page)
    assert "შეხვედრა მერთან" in page.inner_text("main")
    visit.check("programme")

    # The seating plan from the precedence engine, the head of the delegation honoured.
    assert page.is_visible("svg.seating")
    assert page.locator("svg.seating g.seat").count() >= 2
    assert "ნინო ბერიძე" in page.inner_text("figure.seating-plan")
    visit.check("seating")

    # Confirmed: the guests are invited, each in their language with their own answer link.
    for status in ("planned", "confirmed"):
        page.click(f"form[action$='/status'] button[value={status}]")
        page.wait_for_url(event_page)
    assert "დადასტურებულია" in page.inner_text("dl.facts")
    georgian = _text(mail_to(world, nino, "მოწვევა:"))
    english = _text(mail_to(world, anna, "Invitation:"))
    assert title in georgian
    assert title in english
    assert "გთხოვთ, გვიპასუხოთ, დაესწრებით თუ არა" in georgian
    assert "Please tell us whether you will attend" in english
    [nino_link] = re.findall(r"http://127\.0\.0\.1:\d+/public/invitations/[\w-]+", georgian)
    [anna_link] = re.findall(r"http://127\.0\.0\.1:\d+/public/invitations/[\w-]+", english)
    assert nino_link != anna_link
    assert anna_link.startswith(world.web), "the link is the instance's own public address"
    assert nino_link not in english

    # Anna answers from her link (no sign-in); Nino's answer is taken by phone.
    guest_context = browser.new_context(locale="en-GB", timezone_id="Europe/Vilnius")
    guest = guest_context.new_page()
    visit.page = guest
    guest.goto(anna_link + "?lang=en")
    assert "Anna Smith" in guest.inner_text("dl.facts")
    assert "not given yet" in guest.inner_text("dl.facts")
    visit.check("invitation-link")
    guest.click("button[value=accepted]")
    guest.wait_for_load_state("load")
    assert "Thank you, your answer is recorded." in guest.inner_text("[role=status]")
    assert "I will attend" in guest.inner_text("dd.answer")
    visit.check("answered")
    guest_context.close()

    visit.page = page
    page.goto(event_page + "#answers")
    row = page.locator("table.answers tr", has_text="ნინო ბერიძე")
    row.locator("select[name=answer]").select_option("tentative")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"#answers$"))

    def answer_of(name: str) -> str:
        return (
            page.locator("table.answers tr", has_text=name).locator("td:nth-child(3)").inner_text()
        )

    assert answer_of("Anna Smith").startswith("დაესწრება")
    assert answer_of("ნინო ბერიძე").startswith("შესაძლოა")
    counts = page.inner_text("p.answer-counts")
    assert "დაესწრება: 1" in counts
    assert "შესაძლოა: 1" in counts
    assert "ვერ დაესწრება: 0" in counts
    visit.check("answers")

    # The venue changes: both guests are told, in their languages.
    page.click("#change summary")
    page.fill("#edit-venue", "ქალაქის თეატრი")
    page.click("form[action$='/edit'] button[type=submit]")
    page.wait_for_url(event_page)
    assert "ქალაქის თეატრი" in page.inner_text("dl.facts")
    visit.check("venue-changed")
    assert "ქალაქის თეატრი" in _text(mail_to(world, nino, "ღონისძიების ინფორმაცია შეიცვალა"))
    assert "ქალაქის თეატრი" in _text(mail_to(world, anna, "Event updated"))
    context.close()
