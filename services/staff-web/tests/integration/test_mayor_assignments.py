"""The mayor's assignments a page at a time by routing's cursor, and "remind now" as a plain
form, without JavaScript (a real routing over HTTP, the staff app's test client)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from staff_web.api_client import PAGE_SIZE

TASKS = PAGE_SIZE + 2
EXECUTOR = "kristina.zukauskiene"


@pytest.fixture
def client(harness):
    """The mayor's office, with routing holding more open assignments than a page."""
    routing = harness.serve("routing", CHANCERY_PROFILE="alytus")
    routing.add_staff(EXECUTOR, "Kristina Žukauskienė", "LEGAL")
    due = date.today() + timedelta(days=10)
    routing.give_assignments(
        EXECUTOR, {f"Užduotis Nr. {n:02d}": due + timedelta(days=n) for n in range(TASKS)}
    )
    return harness.signed_in("mayor-office", ROUTING_URL=routing.url)


def _tasks(page: str) -> list[str]:
    return re.findall(r"Užduotis Nr\. \d\d", page)


def test_the_assignments_go_on_by_cursor_and_back_to_the_first_page(client, harness):
    first, second = harness.two_pages(client, "/mayor/assignments?status=open", "status=open")
    assert _tasks(first) == [f"Užduotis Nr. {n:02d}" for n in range(PAGE_SIZE)]
    assert _tasks(second) == [f"Užduotis Nr. {n:02d}" for n in range(PAGE_SIZE, TASKS)]


def test_remind_now_works_without_javascript_and_refuses_a_second_within_the_hour(client, harness):
    page = client.get("/mayor/assignments?lang=lt").text
    action = re.search(
        r'<form method="post" action="(/mayor/assignments/[0-9a-f-]+/remind)"', page
    ).group(1)
    reminded = client.post(action, data={"csrf_token": harness.csrf(page)})
    assert reminded.status_code == 302
    assert reminded.headers["Location"].endswith("/mayor/assignments?done=reminded")
    after = client.get("/mayor/assignments?done=reminded").text
    assert "Vykdytojui priminta." in after
    assert "Priminimų: 1, paskutinis" in after
    again = client.post(action, data={"csrf_token": harness.csrf(after)})
    assert again.status_code == 429
    assert "Vykdytojui priminta mažiau nei prieš valandą" in again.text
    assert "Priminimų: 1, paskutinis" in again.text, "the first reminder stays recorded"
