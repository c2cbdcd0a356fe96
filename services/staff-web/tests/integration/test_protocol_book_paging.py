"""The protocol book pages by intake's cursor: "next page" goes on, "first page" goes back,
the filters stay (a real intake over HTTP, the staff app's test client)."""

from __future__ import annotations

import html
import re
import threading

import pytest
from werkzeug.serving import make_server

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import migrate, web_app
from intake.bootstrap import bootstrap
from intake.config import load_settings as intake_settings
from intake.schemas import LETTER_EXAMPLE
from staff_web.bootstrap import create_app
from staff_web.config import load_settings
from staff_web.pages.protocol_book import PAGE_SIZE

LETTERS = PAGE_SIZE + 3


@pytest.fixture
def intake_url(tmp_path):
    wiring = bootstrap(intake_settings({"DATABASE_URL": f"sqlite:///{tmp_path}/intake.db",
                                        "BROKER_URL": "memory://",
                                        "CHANCERY_DATA_DIR": str(tmp_path)}))
    migrate(wiring)
    api = web_app(wiring).test_client()
    clerk = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['registrar'])}"}
    for n in range(LETTERS):
        registered = api.post("/letters", headers=clerk, json={
            **LETTER_EXAMPLE, "direction": "incoming", "subject": f"Laiškas Nr. {n:02d}"})
        assert registered.status_code == 201, registered.get_json()
    server = make_server("127.0.0.1", 0, web_app(wiring), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    wiring.engine.dispose()


def _signed_in(intake_url: str):
    settings = load_settings({"STAFF_WEB_DEV_SIGN_IN": "true",
                              "STAFF_WEB_SECURE_COOKIES": "false", "INTAKE_URL": intake_url})
    client = create_app(settings).test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    client.post("/sign-in/dev", data={"csrf_token": token.group(1), "person": "registrar"})
    return client


def _subjects(page: str) -> list[str]:
    return re.findall(r"Laiškas Nr\. \d\d", page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def test_the_book_goes_on_by_cursor_and_back_to_the_first_page(intake_url):
    client = _signed_in(intake_url)
    first = client.get("/book?direction=incoming")
    assert first.status_code == 200
    page = first.text
    assert len(_subjects(page)) == PAGE_SIZE
    assert _link(page, "first") is None
    following = _link(page, "next")
    assert "cursor=" in following
    assert "direction=incoming" in following  # the filters stay
    second = client.get(following).text
    assert len(_subjects(second)) == LETTERS - PAGE_SIZE
    assert not set(_subjects(second)) & set(_subjects(page))
    assert _link(second, "next") is None
    assert _link(second, "first") == "/book?direction=incoming"
    assert str(LETTERS) in second  # the count of all matches stays on every page


def test_a_cursor_that_is_not_intakes_is_shown_as_an_error_not_a_crash(intake_url):
    response = _signed_in(intake_url).get("/book?cursor=not-a-cursor")
    assert response.status_code == 200
    assert "cursor" in response.text
    assert _subjects(response.text) == []
