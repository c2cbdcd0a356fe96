"""The registry desk in a real browser: sign-in through the provider, a morning's post,
printing, the protocol book, a letter's page, triage, statistics and the citizen's page."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from chancery_testing import wait_for

from .conftest import CLERK

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


LETTERS = [
    {
        "language": "lt",
        "kind": "application",
        "sender": "Jonas Žemaitis",
        "addressee": "department:SOC",
        "subject": "Prašymas dėl šilumos kompensacijos",
        "scans": [("prašymas.pdf", "application/pdf", PDF)],
    },
    {
        "language": "ka",
        "kind": "letter",
        "sender": "ნინო ბერიძე",
        "addressee": "mayor",
        "subject": "წერილი მერს ქალაქის პარკის შესახებ",
        "scans": [("წერილი.pdf", "application/pdf", PDF), ("ფოტო.png", "image/png", _png())],
    },
    {
        "language": "lt",
        "kind": "complaint",
        "sender": "Rūta Čepulienė",
        "addressee": "department:SOC",
        "subject": "Skundas dėl gatvių apšvietimo",
        "scans": [("skundas.png", "image/png", _png())],
    },
    {
        "language": "ka",
        "kind": "proposal",
        "sender": "გიორგი კაპანაძე",
        "addressee": "department:SOC",
        "subject": "წინადადება ბიბლიოთეკის შესახებ",
        "scans": [],
    },
    {
        "language": "lt",
        "kind": "other",
        "sender": "Įmonė „Šviesa“",
        "addressee": "mayor",
        "subject": "Bendradarbiavimo pasiūlymas be adresato skyriaus",
        "scans": [("pasiūlymas.pdf", "application/pdf", PDF)],
    },
]


def _sign_in(page, world, visit) -> None:
    page.goto(f"{world.web}/")
    assert "/sign-in" in page.url
    visit.check("sign-in")
    page.click("a[href='/sign-in/provider']")
    page.wait_for_url(re.compile(re.escape(world.provider)))
    visit.check("provider-login", axe=False)  # the provider's own page, not ours
    page.fill("input[name=login]", CLERK["login"])
    page.fill("input[name=password]", "any password the development provider accepts")
    page.click("button[type=submit]")
    page.wait_for_url(f"{world.web}/")


@pytest.fixture(scope="module")
def desk(world, browser):
    """A clerk signed in through the provider who registers the morning's post."""
    context = browser.new_context(locale="lt-LT", timezone_id="Europe/Vilnius")
    page = context.new_page()
    state = {"context": context, "page": page, "numbers": [], "codes": {}}
    yield state
    context.close()


@pytest.fixture
def visit(desk, visit_factory):
    """This test's checked visit of the clerk's page (its screenshots in its own folder)."""
    return visit_factory(desk["page"])


def test_sign_in_through_the_identity_provider(world, desk, visit):
    page = visit.page
    _sign_in(page, world, visit)
    visit.check("home")
    assert CLERK["name"] in page.inner_text("header")
    assert page.is_visible("nav >> text=Rytinis paštas")  # registrar mapped from "groups"
    cookie = next(c for c in desk["context"].cookies() if c["name"] == "chancery")
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Lax")


def test_a_mornings_post_in_lithuanian_and_georgian_with_scans(world, desk, visit):
    page = visit.page
    page.goto(f"{world.web}/registry/post")
    visit.check("post-empty")
    # Suggestions come from intake's earlier correspondents (the demo data's among them).
    page.type("#sender_name", "Žemait")
    wait_for(
        lambda: (
            "Ona Žemaitytė"
            in page.evaluate("[...document.querySelectorAll('#senders option')].map(o => o.value)")
        ),
        10,
        "the suggestion",
        interval=0.1,
    )
    page.fill("#sender_name", "")
    for index, letter in enumerate(LETTERS):
        page.select_option("#kind", letter["kind"])
        page.select_option("#channel", "post")
        page.select_option("#language", letter["language"])
        page.fill("#sender_name", letter["sender"])
        page.select_option("#addressee", letter["addressee"])
        page.fill("#subject", letter["subject"])
        page.fill("#received_at", "2026-11-30T08:15")
        if letter["scans"]:
            page.set_input_files(
                "#scans", [{"name": n, "mimeType": t, "buffer": b} for n, t, b in letter["scans"]]
            )
        last = index == len(LETTERS) - 1
        if last:
            page.click(".actions button:not([name=and_next])")
            page.wait_for_url(re.compile(r"/registry/registered/"))
            number = page.inner_text(".big-number").strip()
            visit.check("registered")
        else:
            page.press("#subject", "Enter")  # the default button: register and next
            page.wait_for_url(re.compile(r"/registry/post\?registered="))
            number = page.inner_text(".notice a.number").strip()
            assert page.evaluate("document.activeElement.id") == "sender_name"
            if index == 0:
                visit.check("post-after-first")
        assert re.fullmatch(r"[A-Z]-2026-\d{5}", number)
        desk["numbers"].append(number)
    assert len(set(desk["numbers"])) == 5


def test_the_acknowledgement_and_label_print(world, desk, visit):
    page = visit.page
    number = desk["numbers"][-1]
    page.goto(f"{world.web}/registry/registered/{number}/acknowledgement")
    page.emulate_media(media="print")
    visit.check("acknowledgement-print")
    assert not page.is_visible("header.top")
    assert not page.is_visible("button[data-print]")
    code = page.inner_text(".acknowledgement .code").strip()
    link = page.inner_text(".acknowledgement .link").strip()
    assert link == f"{world.web}/public/status/{number}"
    assert page.is_visible(".acknowledgement svg.qr")
    desk["codes"][number] = code
    page.goto(f"{world.web}/registry/registered/{number}/label")
    visit.check("label-print")
    assert page.inner_text(".label-number").strip() == number
    assert page.is_visible(".label-sheet svg.qr")
    assert (
        page.evaluate("document.querySelector('.label-sheet').getBoundingClientRect().width") < 260
    )  # 62 mm label
    page.emulate_media(media="screen")
    assert page.is_visible("header.top")


def test_the_protocol_book_is_searched_without_diacritics(world, desk, visit):
    page = visit.page
    page.goto(f"{world.web}/book")
    visit.check("book")
    page.fill("#q", "silumos kompensacijos")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=silumos"))  # htmx swapped the results and the address
    # (wait_for_function would eval a string, which the page's CSP forbids)
    wait_for(
        lambda: "Skundas dėl gatvių" not in page.inner_text("#results"),
        10,
        "the filtered results",
        interval=0.1,
    )
    assert desk["numbers"][0] in page.inner_text("#results")
    assert "Prašymas dėl šilumos kompensacijos" in page.inner_text("#results")
    visit.check("book-searched")
    with page.expect_download() as download:
        page.click("#results >> text=Eksportuoti CSV")
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    exported = content.decode("utf-8-sig")
    assert exported.startswith("Registracijos numeris,")  # intake's audited export, in lt
    assert "Prašymas dėl šilumos kompensacijos" in exported
    assert "Skundas dėl gatvių" not in exported  # narrowed like the search


def test_a_letters_page_by_its_number(world, desk, visit):
    page = visit.page
    number = desk["numbers"][1]
    page.goto(f"{world.web}/letters/{number}")
    visit.check("letter")
    assert "წერილი მერს ქალაქის პარკის შესახებ" in page.inner_text("h1")
    assert "ნინო ბერიძე" in page.inner_text("main")
    assert page.locator("figure.scan").count() == 2
    assert page.is_visible("figure.scan img")
    assert "Užregistruotas" in page.inner_text(".timeline")
    page.fill("#reply_subject", "პასუხი: პარკის შესახებ")
    with page.expect_navigation():
        page.click("#reply_subject ~ button, section[aria-labelledby=reply-title] button")
    reply_number = page.inner_text("h1 .number").strip()
    assert reply_number != number
    visit.check("reply")
    assert "ნინო ბერიძე" in page.inner_text("main")  # the reply goes to the sender
    page.goto(f"{world.web}/letters/{number}")
    assert reply_number in page.inner_text("main")


def test_triage_routes_a_letter_no_rule_caught(world, desk, visit):
    page = visit.page
    number = desk["numbers"][-1]

    def waiting() -> bool:
        page.goto(f"{world.web}/triage")
        return number in page.inner_text("main")

    wait_for(waiting, 30, "the letter in triage", interval=0.5)
    visit.check("triage")
    row = page.locator("tr", has_text=number)
    row.locator("select").select_option("SOC")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/triage\?routed="))
    visit.check("triage-routed")
    assert number in page.inner_text(".notice")
    assert page.locator("tr", has_text=number).count() == 0


def test_statistics_as_charts_and_tables(world, visit):
    page = visit.page
    page.goto(f"{world.web}/statistics?group=week")
    visit.check("statistics")
    assert page.locator("svg.chart").count() == 3
    assert page.locator("section.stat table").count() == 3
    page.emulate_media(media="print")
    visit.check("statistics-print")
    assert not page.is_visible("form.filters")
    page.emulate_media(media="screen")


def test_the_citizens_page_in_albanian(world, desk, browser, visit_factory):
    number = desk["numbers"][-1]
    code = desk["codes"][number]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    visit = visit_factory(page)
    try:
        page.goto(f"{world.web}/public/status/{number}?lang=sq")
        visit.check("citizen-form")
        assert page.input_value("#number") == number
        page.fill("#code", "WRONG-CODE")
        with page.expect_navigation():
            page.click("form.public-form button[type=submit]")
        visit.check("citizen-wrong-code")
        assert "Nuk gjetëm asnjë letër" in page.inner_text("main")
        page.fill("#code", code)
        with page.expect_navigation():
            page.click("form.public-form button[type=submit]")
        visit.check("citizen-status")
        answer = page.inner_text(".answer")
        assert "Letra juaj" in answer
        assert "Jonas" not in answer
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
