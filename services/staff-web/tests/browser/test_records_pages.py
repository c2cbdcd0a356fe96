"""Records management in a real browser, in Lithuanian: the file plan, filing a letter,
an archive transfer inventory and a destruction act.

This year's plan is the one shipped for Alytus; a plan two years back is imported from
a CSV (first with a wrong cell, shown by row and column), closed after a confirmation,
inventoried for the archive (drawn up by the registry, approved by the mayor's office,
exported, printed, marked transferred) and its one-year file listed in a destruction act
approved by the registry and the data protection officer, two people, then executed.
A letter registered this year is refiled from its page, choosing from the plan.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from chancery_testing import wait_for

from .conftest import (
    CLERK,
    DATA_PROTECTION_OFFICER,
    MAYOR_OFFICE,
    Visit,
    bearer_of,
    signed_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ZONE = ZoneInfo("Europe/Vilnius")
HEADER = "code,parent,title,department,retention,legal_basis,medium,kinds\n"
PAST_PLAN = (
    HEADER
    + "1,,Dokumentų valdymas,DOC,permanent,Bendroji rodyklė 1 p. (neverifikuota),mixed,\n"
    + "1.1,1,Gyventojų prašymai dėl pažymų,DOC,1,Bendroji rodyklė 22 p. (neverifikuota),"
    "electronic,application\n"
    + "1.2,1,Tarybos sprendimų originalai,DOC,permanent,Bendroji rodyklė 2 p. (neverifikuota),"
    "paper,\n"
)
LITHUANIAN = "lt-LT"  # the app is opened in Lithuanian, the browser too
WRONG_CELL = PAST_PLAN.replace("DOC,1,Bendroji", "DOC,amžinai,Bendroji")


@pytest.fixture(scope="module")
def clerk(world, browser):
    context, page = signed_in(browser, world, CLERK, LITHUANIAN, start="/?lang=lt")
    yield context, page
    context.close()


def _upload(page, name: str, text: str) -> None:
    page.set_input_files(
        "#plan-csv", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )
    page.click("button:has-text('Įkelti planą')")


def test_the_file_plan_the_closing_a_filing_a_transfer_and_a_destruction_act(
    world, browser, clerk, visit_factory
):
    context, page = clerk
    visit = visit_factory(page)
    year = datetime.now(ZONE).year
    past = year - 2

    # This year's plan: the one shipped for the municipality, shown as a tree.
    page.click("nav >> text=Dokumentacijos planas")
    page.wait_for_url(f"{world.web}/records/file-plan/{year}")
    expect(page.locator(f"text={year} m. dokumentacijos plano dar nėra.").first).to_be_visible()
    page.click("button:has-text('Naudoti pavyzdinį planą')")
    expect(
        page.locator("ul.plan >> text=Asmenų skundai ir jų nagrinėjimo dokumentai").first
    ).to_be_visible()
    visit.check("plan-this-year")

    # A past year's plan from a CSV: a wrong cell is shown by its row and column.
    page.goto(f"{world.web}/records/file-plan/{past}")
    _upload(page, "planas.csv", WRONG_CELL)
    cell = page.locator("table.cell-errors tbody tr")
    assert cell.count() == 1
    assert [text.strip() for text in cell.locator("td").all_inner_texts()] == [
        "3",
        "retention",
        "sveikieji metai nuo 1 iki 100 arba permanent",
    ]
    visit.check("plan-wrong-cell")
    _upload(page, "planas.csv", PAST_PLAN)
    expect(page.locator("ul.plan ul >> text=Gyventojų prašymai dėl pažymų").first).to_be_visible()
    assert page.locator("table.cell-errors").count() == 0

    # The year-end closing: what it will close, confirmed from the keyboard.
    page.click(f"a:has-text('{past} m. bylų užbaigimas')")
    page.wait_for_url(f"{world.web}/records/file-plan/{past}/close")
    assert page.locator("section.confirm li").count() == 3
    visit.check("closing-confirmation")
    page.focus(f"button:has-text('Uždaryti {past} m. bylas')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/records/file-plan/{past}\?closed=3$"))
    expect(page.locator("text=Uždaryta bylų: 3.").first).to_be_visible()
    visit.check("plan-closed")

    # Filing a letter from its page: the plan's open files to choose from.
    bearer = bearer_of(context, world)
    letter = requests.post(
        f"{world.intake}/letters",
        timeout=10,
        headers={"Authorization": f"Bearer {bearer}"},
        json={
            "kind": "complaint",
            "channel": "email",
            "language": "lt",
            "subject": "Skundas dėl kiemo apšvietimo",
            "sender": {
                "type": "person",
                "name": "Aldona Petrauskienė",
                "email": "aldona@example.org",
                "preferred_language": "lt",
            },
            "addressee": {"kind": "department", "department_code": "LEGAL"},
        },
    ).json()
    assert letter["file_reference"] == "3.1", letter
    # Routing's answer changes the letter (its version) at intake: the page is read after it.
    wait_for(
        lambda: (
            requests.get(
                f"{world.intake}/letters/{letter['id']}",
                timeout=10,
                headers={"Authorization": f"Bearer {bearer}"},
            ).json()["status"]
            == "routed"
        ),
        what="the letter routed",
    )
    page.goto(f"{world.web}/letters/{letter['registration_number']}")
    assert page.input_value("#file-in") == "3.1"
    page.select_option("#file-in", "1.1")
    with page.expect_navigation():
        page.click("button:has-text('Priskirti bylai')")
    assert page.url == f"{world.web}/letters/{letter['registration_number']}", page.inner_text(
        "main"
    )
    assert "1.1 · Savivaldybės gaunami raštai" in page.inner_text("dl.facts")
    assert page.locator("#file_reference option[value='1.1']").count() == 1  # archive form
    visit.check("letter-filed")

    # The archive transfer: drawn up by the registry, approved by the mayor's office.
    page.goto(f"{world.web}/records/archive-transfers/{past}")
    page.click("button:has-text('Sudaryti apyrašą')")
    rows = page.locator("table.book tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == [
        "1",
        "1.2",
    ]
    visit.check("transfer-drawn-up")
    office_context, office = signed_in(browser, world, MAYOR_OFFICE, LITHUANIAN, start="/?lang=lt")
    try:
        office.goto(f"{world.web}/records/archive-transfers/{past}")
        office.click("button:has-text('Patvirtinti apyrašą')")
        expect(office.locator("dd >> text=Patvirtinta").first).to_be_visible()
        Visit(office, "records_mayor_office").check("transfer-approved")
    finally:
        office_context.close()
    page.reload()
    exported = context.request.get(f"{world.web}/records/archive-transfers/{past}/inventory.csv")
    assert exported.status == 200
    assert "Tarybos sprendimų originalai" in exported.text()
    page.click("text=Apyrašas spausdinti")
    expect(
        page.locator(f"h1 >> text=archyvui perduodamų bylų apyrašas, {past} m.").first
    ).to_be_visible()
    visit.check("transfer-printable")
    page.emulate_media(media="print")
    assert not page.is_visible("header.top")
    page.emulate_media(media="screen")
    page.goto(f"{world.web}/records/archive-transfers/{past}")
    page.click("button:has-text('Pažymėti kaip perduotą archyvui')")
    expect(page.locator("dd >> text=Perduota archyvui").first).to_be_visible()

    # The destruction act: the expired one-year file, two approvals, then executed.
    page.goto(f"{world.web}/records/destruction-acts")
    visit.check("acts")
    page.click("button:has-text('Sudaryti aktą')")
    page.wait_for_url(re.compile(r"/records/destruction-acts/\d+$"))
    number = page.url.rsplit("/", 1)[1]
    listed = page.locator("table.book tbody tr td").all_inner_texts()
    assert listed[:3] == [str(past), "1.1", "Gyventojų prašymai dėl pažymų"]
    page.click("button:has-text('Tvirtinti kaip: Raštinės darbuotojas')")
    expect(page.locator("text=Laukiama dokumentų valdymo specialisto").first).to_be_visible()
    visit.check("act-approved-once")
    dpo_context, dpo = signed_in(
        browser, world, DATA_PROTECTION_OFFICER, LITHUANIAN, start="/?lang=lt"
    )
    try:
        dpo.goto(f"{world.web}/records/destruction-acts?number={number}")
        dpo.wait_for_url(f"{world.web}/records/destruction-acts/{number}")
        dpo.click("button:has-text('Tvirtinti kaip: Duomenų apsaugos pareigūnas')")
        expect(dpo.locator("dd >> text=Patvirtinta").first).to_be_visible()
    finally:
        dpo_context.close()
    page.reload()
    page.click("button:has-text('Vykdyti aktą')")  # not confirmed: the browser refuses
    assert page.url.endswith(f"/records/destruction-acts/{number}")
    expect(page.locator("dd >> text=Patvirtinta").first).to_be_visible()
    page.check("#confirm-execute")
    page.click("button:has-text('Vykdyti aktą')")
    expect(page.locator("dd >> text=Įvykdyta").first).to_be_visible()
    expect(page.locator("text=Sunaikinta laiškų: 0").first).to_be_visible()
    visit.check("act-executed")
