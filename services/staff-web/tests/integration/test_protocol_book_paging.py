"""The protocol book pages by intake's cursor: "next page" goes on, "first page" goes back,
the filters stay (a real intake over HTTP, the staff app's test client)."""

from __future__ import annotations

import re

import pytest

from staff_web.pages.protocol_book import PAGE_SIZE

LETTERS = PAGE_SIZE + 3


@pytest.fixture
def client(harness):
    """The registry clerk, with intake holding more incoming letters than a page."""
    intake = harness.serve("intake")
    intake.register_incoming(*(f"Laiškas Nr. {n:02d}" for n in range(LETTERS)))
    return harness.signed_in("registrar", INTAKE_URL=intake.url)


def _subjects(page: str) -> list[str]:
    return re.findall(r"Laiškas Nr\. \d\d", page)


def test_the_book_goes_on_by_cursor_and_back_to_the_first_page(client, harness):
    # The filters stay.
    page, second = harness.two_pages(client, "/book?direction=incoming", "direction=incoming")
    assert len(_subjects(page)) == PAGE_SIZE
    assert len(_subjects(second)) == LETTERS - PAGE_SIZE
    assert not set(_subjects(second)) & set(_subjects(page))
    assert str(LETTERS) in second  # the count of all matches stays on every page


def test_a_cursor_that_is_not_intakes_is_shown_as_an_error_not_a_crash(client):
    response = client.get("/book?cursor=not-a-cursor")
    assert response.status_code == 200
    assert "cursor" in response.text
    assert _subjects(response.text) == []
