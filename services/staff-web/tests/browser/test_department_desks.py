"""The department, endorsement and mayor's desks in a real browser, in Latvian and Lithuanian.

The demo people are put into routing's one staff directory first (``PUT /staff/{subject}``
as the registry clerk). A complaint to the mayor is registered at the registry desk
(routing's rule gives it to LEGAL), the head assigns the executor chosen from the
directory, the executor drafts the reply, the head returns it once with a comment, the
executor sends it again with the draft uploaded as a file (attached to the letter byte for
byte, the endorsers told where it is), then head, director and mayor endorse it (the
director and the mayor read the incoming letter while their step waits); the registry
registers and sends the approved reply, and the citizen's page then says "answered" with
the reply's number. The head gives the executor an own due date and instructions, both
shown on the desk. The mayor's office gives assignments, reminds the executor of one (a
second reminder within the hour is refused), the executor sees the reminder in the header's
feed and reports the task done with a report, and the dashboard's figures move by exactly
what the test did. Each person signs in through the OpenID Connect provider.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from chancery_testing import wait_for

from .conftest import CLERK, PEOPLE, bearer_of, register_post, signed_in

# The directory's entries of the demo people (positions in the people's languages).
POSITIONS = {
    "head": {"lt": "Teisės skyriaus vedėjas", "en": "Head of Legal"},
    "executor": {"lv": "Juriste", "lt": "Teisininkė", "en": "Lawyer"},
    "director": {"lt": "Administracijos direktorė", "en": "Director"},
    "mayor": {"lt": "Meras", "en": "Mayor"},
    "office": {"lv": "Mēra biroja vadītāja", "en": "Head of the mayor's office"},
}

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ZONE = ZoneInfo("Europe/Vilnius")
RUN = secrets.token_hex(3)
SUBJECT = f"Skundas dėl šaligatvio remonto {RUN}"
DRAFT = f"Atbilde par ietves remontu {RUN}"
COMMENT = "Nurodykite remonto terminą ir teisės akto straipsnį."
INSTRUCTIONS = f"Pasitarkite su Žaliakalnio seniūnija ir cituokite 12 straipsnį ({RUN})."
TASK = f"Pārbaudīt ietves remontu {RUN}"
DRAFT_FILE = f"atbildes-projekts-{RUN}.txt"
DRAFT_FILE_TEXT = "Atbilde: ietves remonts tiks pabeigts līdz 2027. gada 31. maijam.\n"


def _open(browser, world, person: dict, language: str):
    """A signed-in browser of ``person`` with the app in ``language``."""
    return signed_in(
        browser, world, person, f"{language}-{language.upper()}", start=f"/?lang={language}"
    )


@pytest.fixture(scope="module")
def directory(world, browser) -> None:
    """The demo people in routing's staff directory, written by the registry clerk."""
    context, _page = _open(browser, world, CLERK, "lt")
    try:
        bearer = bearer_of(context, world)
    finally:
        context.close()
    for key, person in PEOPLE.items():
        response = requests.put(
            f"{world.routing}/staff/{person['login']}",
            timeout=10,
            headers={"Authorization": f"Bearer {bearer}"},
            json={
                "name": person["name"],
                "department_code": person["department"],
                "roles": person["roles"],
                "positions": POSITIONS[key],
                "language": "lv" if key in ("executor", "office") else "lt",
            },
        )
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def people(world, browser, directory):
    """One signed-in browser per person, opened on first use; all closed at the end."""
    opened: dict[str, tuple] = {}  # person: (context, page)

    def get(key: str, language: str, visit_factory):
        if key not in opened:
            person = CLERK if key == "clerk" else PEOPLE[key]
            opened[key] = _open(browser, world, person, language)
        page = opened[key][1]
        return page, visit_factory(page)

    yield get
    for context, _page in opened.values():
        context.close()


@pytest.fixture(scope="module")
def story() -> dict:
    return {}


def _figures(page, world) -> dict[str, int]:
    """The dashboard's LEGAL figures: assignments due soon and this month's answered."""
    page.goto(f"{world.web}/mayor/dashboard")
    month = datetime.now(ZONE).strftime("%Y-%m")

    def cell(selector: str) -> int:
        found = page.locator(selector)
        return int(found.inner_text().strip()) if found.count() else 0

    return {
        "tasks_due_soon": cell("#due-table tr[data-department=LEGAL] [data-figure=tasks-due-soon]"),
        "answered": cell(
            f"#on-time-table tr[data-department=LEGAL][data-month='{month}'] [data-figure=answered]"
        ),
        "on_time": cell(
            f"#on-time-table tr[data-department=LEGAL][data-month='{month}'] [data-figure=on-time]"
        ),
    }


def test_the_dashboard_before(world, people, story, visit_factory):
    page, visit = people("office", "lv", visit_factory)
    story["before"] = _figures(page, world)
    visit.check("dashboard-before")
    assert page.locator("svg.chart").count() == 1
    assert "Pārskats" in page.inner_text("h1")


def test_a_complaint_to_the_mayor_is_registered_and_routed(world, people, story, visit_factory):
    page, visit = people("clerk", "lv", visit_factory)
    story["number"] = register_post(
        page,
        world,
        kind="complaint",
        language="lt",
        sender="Vytautas Šaltenis",
        addressee="mayor",
        subject=SUBJECT,
    )
    visit.check("registered-lv")
    page.goto(f"{world.web}/registry/registered/{story['number']}/acknowledgement")
    story["code"] = page.inner_text(".acknowledgement .code").strip()
    head, head_visit = people("head", "lt", visit_factory)

    def on_the_desk() -> bool:
        head.goto(f"{world.web}/desk")
        return story["number"] in head.inner_text("main")

    wait_for(on_the_desk, 30, "the letter on LEGAL's desk", interval=0.5)
    head_visit.check("desk-head")
    assert "Skyriaus darbo vieta" in head.inner_text("h1")


def test_the_head_assigns_the_executor(world, people, story, visit_factory):
    page, visit = people("head", "lt", visit_factory)
    page.click(f"a:text-is('{story['number']}')")
    page.wait_for_url(re.compile(rf"/desk/letters/{story['number']}$"))
    visit.check("letter-head")
    login = PEOPLE["executor"]["login"]
    assert page.locator(f"datalist#staff option[value='{login}']").count() == 1
    page.fill("#executor", "nobody.at.all")  # not in the directory: refused, said where
    page.click("section[aria-labelledby=assign-h] button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#executor[aria-invalid=true]").count() == 1
    visit.check("assign-refused")
    page.fill("#executor", login)
    # The executor's own date: two days before the letter's (the field's most), not later.
    legal_due = datetime.strptime(page.get_attribute("#own-due-date", "max"), "%Y-%m-%d").date()
    assert page.input_value("#own-due-date") == legal_due.isoformat()  # the default
    own = max(legal_due - timedelta(days=2), datetime.now(ZONE).date())
    page.fill("#own-due-date", own.isoformat())
    page.fill("#assign-instructions", INSTRUCTIONS)
    page.click("section[aria-labelledby=assign-h] button[type=submit]")
    page.wait_for_url(re.compile(r"done=assigned"))
    visit.check("assigned")
    assert "Vykdytojas paskirtas." in page.inner_text(".notice")
    facts = page.inner_text("dl.facts")
    assert PEOPLE["executor"]["name"] in facts
    assert "Vykdytojo terminas" in facts
    assert page.inner_text("#instructions") == INSTRUCTIONS
    assert page.input_value("#own-due-date") == own.isoformat()
    namings = page.inner_text("section[aria-labelledby=namings-h]")
    assert f"{PEOPLE['executor']['name']}, terminas" in namings
    assert f"paskyrė {PEOPLE['head']['name']}" in namings
    story["own_due"] = own


def _draft(page, world, number: str, text: str, file: dict | None = None) -> None:
    page.goto(f"{world.web}/desk/letters/{number}")
    page.fill("#subject", DRAFT)
    page.fill("#summary", text)
    if file:
        page.set_input_files("#draft_file", files=[file])
    page.click("section[aria-labelledby=draft-h] button[type=submit]")
    page.wait_for_url(re.compile(r"done=submitted"))


def test_the_executor_drafts_the_reply(world, people, story, visit_factory):
    page, visit = people("executor", "lv", visit_factory)
    page.goto(f"{world.web}/desk")
    visit.check("desk-executor")
    tasks = page.locator("section[aria-labelledby=mine-h]").inner_text()
    assert story["number"] in tasks  # my task, named by the letter's number
    assert INSTRUCTIONS in tasks  # with the head's instructions
    page.goto(f"{world.web}/desk/letters/{story['number']}")
    assert "Izpildītāja termiņš" in page.inner_text("dl.facts")
    assert page.inner_text("#instructions") == INSTRUCTIONS
    visit.check("letter-executor")
    _draft(page, world, story["number"], "Ietves remonts tiks veikts līdz maijam.")
    visit.check("draft-sent")
    assert "Projekts nosūtīts saskaņošanai." in page.inner_text(".notice")
    assert "Gaida nākamo soli." in page.inner_text("section[aria-labelledby=circuit-h]")


def _item(page, world):
    page.goto(f"{world.web}/endorsements")
    return page.locator("article.endorsement", has_text=DRAFT)


def test_the_head_returns_the_draft_once_with_a_comment(world, people, story, visit_factory):
    page, visit = people("head", "lt", visit_factory)
    item = _item(page, world)
    visit.check("endorsements-head")
    assert story["number"] in item.locator("h2").inner_text()
    assert "1 žingsnis iš 3" in item.inner_text()
    item.locator("button[value=return]").click()  # no comment: refused, said why
    page.wait_for_load_state("load")
    assert "Nurodykite, kodėl projektas grąžinamas." in _item_text(page)
    visit.check("return-refused")
    item = page.locator("article.endorsement", has_text=DRAFT)
    item.locator("textarea").fill(COMMENT)
    item.locator("button[value=return]").click()
    page.wait_for_url(re.compile(r"decided=returned"))
    visit.check("returned")
    assert page.locator("article.endorsement", has_text=DRAFT).count() == 0


def _item_text(page) -> str:
    return page.locator("article.endorsement", has_text=DRAFT).inner_text()


def test_the_executor_sees_the_comment_and_sends_again(world, people, story, visit_factory):
    page, visit = people("executor", "lv", visit_factory)
    page.goto(f"{world.web}/desk/letters/{story['number']}")
    circuit = page.inner_text("section[aria-labelledby=circuit-h]")
    assert f"Atgriezts ar komentāru: {COMMENT}" in circuit
    visit.check("returned-seen")
    # The corrected draft also goes as a file: it is attached to the letter, byte for byte.
    _draft(
        page,
        world,
        story["number"],
        "Ietves remonts tiks veikts līdz 2027. gada 31. maijam (likuma 12. pants).",
        {"name": DRAFT_FILE, "mimeType": "text/plain", "buffer": DRAFT_FILE_TEXT.encode()},
    )
    bearer = {"Authorization": f"Bearer {bearer_of(page.context, world)}"}
    letter = requests.get(
        f"{world.intake}/letters/by-number/{story['number']}", headers=bearer, timeout=10
    ).json()
    [attached] = [a for a in letter["attachments"] if a["filename"] == DRAFT_FILE]
    stored = requests.get(
        f"{world.intake}/letters/{letter['id']}/attachments/{attached['id']}",
        headers=bearer,
        timeout=10,
    )
    assert stored.content == DRAFT_FILE_TEXT.encode()
    # The endorsers are told where the draft is, in the executor's language.
    story["draft_note"] = f"Projekts pievienots vēstulei: {DRAFT_FILE}"


@pytest.mark.parametrize(("who", "step"), [("head", "1"), ("director", "2"), ("mayor", "3")])
def test_head_director_and_mayor_endorse(world, people, story, visit_factory, who, step):
    page, visit = people(who, "lt", visit_factory)

    def with_the_letter() -> bool:  # intake learns the step from routing's messages
        item = _item(page, world)
        return item.count() == 1 and SUBJECT in item.inner_text()

    wait_for(with_the_letter, 20, f"the {who} reading the incoming letter", interval=0.5)
    item = _item(page, world)
    assert f"{step} žingsnis iš 3" in item.inner_text()
    assert story["draft_note"] in item.locator("p.draft").inner_text()
    visit.check(f"endorsements-{who}")
    item.locator("button[value=approve]").click()
    page.wait_for_url(re.compile(r"decided=approved"))
    assert page.locator("article.endorsement", has_text=DRAFT).count() == 0


def test_the_executor_sees_the_circuit_completed(world, people, story, visit_factory):
    page, visit = people("executor", "lv", visit_factory)
    page.goto(f"{world.web}/desk/letters/{story['number']}")
    visit.check("endorsed")
    circuit = page.inner_text("section[aria-labelledby=circuit-h]")
    assert "Saskaņots" in circuit
    assert circuit.count("soli apstiprināja") == 3  # none in the returned round, then three
    assert "Atbildēts" not in page.inner_text("dl.facts")  # not before the reply is sent


def test_the_registry_registers_and_sends_the_reply(world, people, story, visit_factory):
    page, visit = people("clerk", "lv", visit_factory)
    page.goto(f"{world.web}/registry/replies")
    item = page.locator("article.approved-reply", has_text=story["number"])
    assert DRAFT in item.inner_text()
    visit.check("approved-replies")
    item.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"registered="))
    visit.check("reply-registered")
    notice = page.inner_text(".notice")
    story["reply"] = re.search(r"[A-Z]+-\d{4}-\d+", notice.split(story["number"])[-1])[0]

    def off_the_list() -> bool:
        # Routing learns of the registered reply by a message: the list follows shortly.
        page.goto(f"{world.web}/registry/replies")
        return page.locator("article.approved-reply", has_text=story["number"]).count() == 0

    wait_for(off_the_list, 20, "the reply off the list of replies to register", interval=0.5)
    executor, executor_visit = people("executor", "lv", visit_factory)

    def answered() -> bool:
        executor.goto(f"{world.web}/desk/letters/{story['number']}")
        return "Atbildēts" in executor.inner_text("dl.facts")

    wait_for(answered, 20, "the letter answered in routing", interval=0.5)
    executor_visit.check("answered")


def test_the_citizens_page_says_answered_with_the_replys_number(
    world, browser, story, visit_factory
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    visit = visit_factory(page)
    try:
        page.goto(f"{world.web}/public/status/{story['number']}?lang=lv")
        page.fill("#code", story["code"])
        with page.expect_navigation():
            page.click("form.public-form button[type=submit]")
        visit.check("citizen-answered")
        answer = page.inner_text(".answer")
        assert "Uz jūsu vēstuli atbildēts" in answer
        assert story["reply"] in answer
    finally:
        context.close()


def test_the_mayors_assignment_is_given_and_reported_done(world, people, story, visit_factory):
    page, visit = people("office", "lv", visit_factory)
    tomorrow = (datetime.now(ZONE).date() + timedelta(days=1)).isoformat()
    for title in (f"Pārbaudīt ietves remontu {RUN}", f"Sagatavot atskaiti domei {RUN}"):
        page.goto(f"{world.web}/mayor/assignments")
        page.fill("#title", title)
        page.select_option("#department_code", "LEGAL")
        page.fill("#give-executor", PEOPLE["executor"]["login"])  # the directory suggests
        page.fill("#give-due", tomorrow)
        page.click("section[aria-labelledby=give-h] button[type=submit]")
        page.wait_for_url(re.compile(r"done=given"))
    visit.check("assignments-given")
    assert page.locator("tr", has_text=RUN).count() == 2
    # Remind now (htmx swaps the row's reminder cell); a second click within the hour is
    # refused, said in the cell.
    given = page.locator("tr", has_text=TASK)
    given.locator("td.reminders button[type=submit]").click()
    wait_for(
        lambda: "Atgādinājumi: 1" in given.locator("td.reminders").inner_text(),
        10,
        "the reminder recorded in the row",
        interval=0.1,
    )
    visit.check("assignment-reminded")
    given.locator("td.reminders button[type=submit]").click()
    wait_for(
        lambda: given.locator("td.reminders [role=alert]").count() == 1,
        10,
        "the second reminder refused",
        interval=0.1,
    )
    assert "mazāk nekā pirms stundas" in given.locator("td.reminders").inner_text()
    visit.check("assignment-reminder-refused")
    page.goto(f"{world.web}/mayor/assignments")
    assert "Atgādinājumi: 1" in page.locator("tr", has_text=TASK).inner_text()
    executor, executor_visit = people("executor", "lv", visit_factory)

    def reminded() -> bool:  # notifications hears of it by a message
        executor.goto(f"{world.web}/notices?unread=1")
        return (
            executor.locator("li.unread", has_text=f"Atgādinājums par uzdevumu: {TASK}").count()
            == 1
        )

    wait_for(reminded, 20, "the reminder in the executor's feed", interval=0.5)
    executor.goto(f"{world.web}/")
    wait_for(lambda: executor.locator("#notices-link").count() == 1, 10, "the badge", interval=0.1)
    executor.click("#notices-link")  # the header's feed
    executor.wait_for_url(f"{world.web}/notices")
    notice = executor.locator("li.unread", has_text=f"Atgādinājums par uzdevumu: {TASK}")
    assert f"{PEOPLE['office']['name']} atgādina" in notice.inner_text()
    executor_visit.check("reminder-in-feed")
    notice.locator("p.title a").click()  # the own task's link: my desk
    executor.wait_for_url(f"{world.web}/desk")
    row = executor.locator("section[aria-labelledby=mine-h] tr", has_text=TASK)
    assert "drīz termiņš" in row.inner_text()
    row.locator("textarea").fill("Ietve pārbaudīta, remonts pabeigts.")
    row.locator("button[type=submit]").click()
    executor.wait_for_url(f"{world.web}/desk")
    executor_visit.check("assignment-done")
    page.goto(f"{world.web}/mayor/assignments?status=done")
    done = page.locator("tr", has_text=f"Pārbaudīt ietves remontu {RUN}")
    assert "Izpildīts" in done.inner_text()
    assert PEOPLE["executor"]["name"] in done.inner_text()
    assert "Ietve pārbaudīta, remonts pabeigts." in done.inner_text()
    visit.check("assignments-done")


def test_the_dashboard_moves_by_what_was_done(world, people, story, visit_factory):
    page, visit = people("office", "lv", visit_factory)
    after = _figures(page, world)
    before = story["before"]
    assert after["tasks_due_soon"] - before["tasks_due_soon"] == 1  # one of two still open
    assert after["answered"] - before["answered"] == 1  # the complaint, endorsed
    assert after["on_time"] - before["on_time"] == 1
    visit.check("dashboard-after")
    page.emulate_media(media="print")
    visit.check("dashboard-print")
    assert not page.is_visible("header.top")
    page.emulate_media(media="screen")


def test_the_reports_on_letters_to_the_leadership(world, people, visit_factory):
    page, visit = people("office", "lv", visit_factory)
    page.goto(f"{world.web}/mayor/reports?group=week")
    visit.check("leadership-weekly")
    week = page.locator("#leadership-table tbody tr").last
    assert int(week.locator("td").first.inner_text()) >= 1  # our complaint to the mayor


def test_notices_in_the_header_and_the_feed(world, people, story, visit_factory):
    page, visit = people("executor", "lv", visit_factory)
    page.goto(f"{world.web}/")
    wait_for(lambda: page.locator("#notices-link").count() == 1, 10, "the badge", interval=0.1)
    page.click("#notices-link")
    page.wait_for_url(f"{world.web}/notices")
    visit.check("notices")
    assert "Paziņojumi" in page.inner_text("h1")
    # The notices about the complaint link to it at the desk, by its number.
    assert page.locator(f"main a[href='/desk/letters/{story['number']}']").count() >= 1
    unread = page.locator("li.unread").count()
    assert unread >= 1
    page.locator("li.unread button[type=submit]").first.click()
    wait_for(
        lambda: page.locator("li.unread").count() == unread - 1,
        10,
        "the notice marked read",
        interval=0.1,
    )
    visit.check("notice-read")
