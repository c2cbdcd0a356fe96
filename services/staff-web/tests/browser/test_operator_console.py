"""The operator's console in a real browser, in Georgian, and the trip form in Albanian.

A dead letter is made real: an invalid message is published on foreign-relations'
queue of a real RabbitMQ virtual host, where that service runs in real mode (its web
and worker as processes, PostgreSQL), its worker dead-letters it, and the console
(a second staff web app whose foreign-relations is that service) shows it with its
reason and replays it. A notice the mail server refuses is found among the deliveries
by its recipient and cause and resent. The template preview in five languages and the
decree days are the embedded system's; the trip is planned and its checklist ticked at
the foreign-relations desk.
"""

from __future__ import annotations

import random
import re
import secrets
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import requests
from kombu import Connection

from chancery.realmode import free_port, start_service, wait_until_healthy
from chancery.services import installed_services
from chancery_testing import (
    process_group,
    put_on_queue,
    refused_message,
    throwaway_database,
    throwaway_vhost,
    wait_for,
)

from .conftest import FOREIGN_OFFICER, OPERATOR, bearer_of, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
SERVICE = "foreign-relations"


@dataclass(frozen=True)
class Console:
    """A staff web app whose foreign-relations runs in real mode on a real broker."""

    web: str
    broker: str


@pytest.fixture(scope="module")
def console(
    world, postgres_server: str, rabbitmq_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Console]:
    root = tmp_path_factory.mktemp("operator-console")
    with (
        throwaway_vhost(rabbitmq_server) as broker,
        throwaway_database(postgres_server) as database,
    ):
        env = {
            **world.env,
            "CHANCERY_ENV": "development",
            "BROKER_URL": broker,
            "CHANCERY_DATA_DIR": str(root / "data"),
            "PYTHONUNBUFFERED": "1",
        }
        with process_group(root / "logs", env) as group:
            port = free_port()
            [definition] = [d for d in installed_services() if d.name == SERVICE]
            start_service(
                group,
                definition,
                port,
                web_workers=1,
                kinds=("web", "worker"),
                extra_env={"DATABASE_URL": database},
            )
            urls = {f"{name.upper()}_URL": url for name, url in world.services.items()}
            urls["FOREIGN_RELATIONS_URL"] = f"http://127.0.0.1:{port}"
            web = f"http://127.0.0.1:{world.spare_web_port}"
            group.start(
                "staff-web",
                [
                    sys.executable,
                    "-m",
                    "staff_web",
                    "web",
                    "--bind",
                    f"127.0.0.1:{world.spare_web_port}",
                    "--workers",
                    "1",
                ],
                urls,
            )
            wait_until_healthy(f"{web}/healthz", process=group.processes["staff-web"].popen)
            yield Console(web=web, broker=broker)


def _publish_invalid(broker: str) -> str:
    """A message of a type foreign-relations consumes, with a payload its contract refuses."""
    message_id, body = refused_message(SERVICE, "browser-test")
    with Connection(broker) as connection:
        put_on_queue(connection, SERVICE, message_id, body)
    return message_id


def _row_of(page, url: str, message_id: str, replayed: str):
    """The console's row of the message once it shows ``replayed`` earlier replays."""
    page.goto(url)
    row = page.locator("tbody tr", has_text=message_id)
    if row.count() != 1 or row.locator("td").nth(3).inner_text().strip() != replayed:
        return None
    return row


def test_a_dead_letter_seen_with_its_reason_and_replayed_in_georgian(
    world, console, browser, visit_factory
):
    context, page = signed_in(browser, world, OPERATOR, "ka-GE", web=console.web)
    visit = visit_factory(page)
    message_id = _publish_invalid(console.broker)
    page.goto(f"{console.web}/operator?lang=ka")
    visit.check("console")
    assert page.inner_text("h1") == "ოპერატორის პულტი"
    listing = f"{console.web}/operator/dead-letters/{SERVICE}"
    row = wait_for(
        lambda: _row_of(page, listing, message_id, "0"), 30, "the invalid message dead-lettered"
    )
    assert "invalid" in row.locator("td.reason").inner_text()
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page.url)
    visit.check("dead-letters")

    row.locator("button").click()
    page.wait_for_load_state("load")
    confirmation = page.locator("[role=alertdialog]")
    assert message_id in confirmation.inner_text()
    visit.check("replay-confirmation")
    confirmation.locator("button[name=confirm]").click()
    page.wait_for_load_state("load")
    assert page.inner_text("[role=status]").strip().endswith(": 1.")
    visit.check("replayed")
    # The replayed message is still invalid: the worker dead-letters it again, counted.
    wait_for(
        lambda: _row_of(page, listing, message_id, "1"),
        30,
        "the replayed message back among the dead letters",
    )

    page.goto(f"{console.web}/operator/deliveries?status=permanent_failure")
    visit.check("deliveries")
    context.close()


def _failed_row(page, url: str, recipient: str):
    """The delivery's row once it has failed (a resend button shows), else None."""
    page.goto(url)
    row = page.locator("tbody tr", has_text=recipient)
    if row.count() != 1 or row.locator("form[action$='/resend']").count() != 1:
        return None
    return row


def test_a_failed_delivery_searched_by_recipient_and_cause_and_resent_in_georgian(
    world, browser, visit_factory
):
    context, page = signed_in(browser, world, OPERATOR, "ka-GE")
    visit = visit_factory(page)
    recipient = f"nino.{secrets.token_hex(4)}@example.org"
    # The mail server refuses the next mail for good: the notice fails permanently.
    world.mail.failures.append("550 5.1.1 mailbox unavailable")
    asked = requests.post(
        f"{world.services['notifications']}/notifications",
        timeout=10,
        headers={
            "Authorization": f"Bearer {bearer_of(context, world)}",
            "Idempotency-Key": uuid.uuid4().hex,
        },
        json={
            "recipient": {"email": recipient},
            "channel": "email",
            "template": "generic",
            "language": "ka",
            "data": {"title": "შეხვედრა", "message": "ოთხშაბათს, 14:00 საათზე."},
        },
    )
    assert asked.status_code == 202, asked.text
    [delivery] = asked.json()
    page.goto(f"{world.web}/operator/deliveries?lang=ka")
    visit.check("deliveries-search")
    page.fill("#recipient", recipient)
    page.fill("#cause", delivery["cause"])
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state("load")
    searched = page.url
    assert "cause=" in searched
    row = wait_for(
        lambda: _failed_row(page, searched, recipient), 60, "the refused mail a permanent failure"
    )
    assert "მუდმივი შეფერხება" in row.inner_text(), "the state in Georgian"
    assert "550" in row.inner_text(), "the mail server's answer"
    visit.check("delivery-failed")
    row.locator("form[action$='/resend'] button").click()
    page.wait_for_load_state("load")
    assert "მიწოდება ხელახლა ჩადგა რიგში." in page.inner_text("[role=status]")
    assert "cause=" in page.url, "back to the same search"
    visit.check("delivery-resent")
    wait_for(
        lambda: any(m["To"] == recipient for m in world.mail.messages),
        60,
        "the resent notice delivered",
    )

    def delivered() -> bool:
        page.goto(searched)
        return "მიწოდებულია" in page.locator("tbody tr", has_text=recipient).inner_text()

    wait_for(delivered, 30, "the delivery shown delivered")
    visit.check("delivery-delivered")
    context.close()


def test_a_template_previewed_in_five_languages_and_a_decree_day_declared(
    world, console, browser, visit_factory
):
    context, page = signed_in(browser, world, OPERATOR, "ka-GE", web=console.web)
    visit = visit_factory(page)
    page.goto(f"{console.web}/operator/templates?lang=ka")
    visit.check("templates")
    page.click("a[href='/operator/templates/letter_registered']")
    visit.check("template-preview")
    subjects = {}
    for language in ("lt", "lv", "ka", "sq", "en"):
        section = page.locator(f"section.preview[data-language={language}]")
        assert section.locator(".error").count() == 0, section.inner_text()
        subjects[language] = section.locator(f"[lang={language}] .subject").inner_text()
    assert len(set(subjects.values())) == 5, subjects
    assert all("«" in subject for subject in subjects.values()), subjects

    # A Sunday of next year, picked at random so runs do not meet.
    start = date(date.today().year + 1, 1, 1)
    sunday = start + timedelta(days=(6 - start.weekday()) % 7 + 7 * random.randint(0, 50))
    decree = f"Nr. {random.randint(100, 999)}-ქ"
    page.goto(f"{console.web}/operator/calendar?year={sunday.year}")
    page.fill("#day", sunday.isoformat())
    page.fill("#reason", "მთავრობის დადგენილება: დასვენების დღე")
    page.fill("#decree", decree)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    assert decree in page.inner_text("table")
    visit.check("decree-days")
    context.close()


def test_a_trip_planned_and_its_checklist_ticked_in_albanian(world, browser, visit_factory):
    context, page = signed_in(browser, world, FOREIGN_OFFICER, "sq-AL")
    visit = visit_factory(page)
    page.goto(f"{world.web}/foreign?lang=sq")
    visit.check("desk")
    departs = date.today() + timedelta(days=random.randint(30, 300))
    title = f"Vizitë pune në Vlorë {uuid.uuid4().hex[:4]}"
    page.fill("#trip-title", title)
    page.fill("#trip-city", "Vlorë")
    page.fill("#trip-country", "AL")
    page.fill("#trip-departs", departs.isoformat())
    page.fill("#trip-returns", (departs + timedelta(days=3)).isoformat())
    page.fill("#trip-members", "Arta Krasniqi, zëvendëskryetare\nBesnik Hoxha, përkthyes")
    page.click("form[action='/foreign/trips'] button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == title
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page.url)
    visit.check("trip-planned")
    assert not page.is_checked("#check-tickets")
    page.check("#check-tickets")
    page.check("#check-insurance")
    page.click("form[action$='/checklist'] button[type=submit]")
    page.wait_for_load_state("load")
    assert page.is_checked("#check-tickets")
    assert page.is_checked("#check-insurance")
    assert not page.is_checked("#check-director_order")
    visit.check("trip-checklist")
    page.goto(f"{world.web}/foreign")
    assert re.search(r"2\D+4", page.locator("li", has_text=title).inner_text())

    # An international project added at the desk, then moved on from its own page.
    project = f"Qytete të gjelbra {uuid.uuid4().hex[:4]}"
    form = page.locator("form[action='/foreign/projects']")
    form.locator("#pr-title").fill(project)
    form.locator("#pr-programme").fill("Interreg")
    form.locator("#pr-partners").fill("Vlorë, Kutaisi")
    form.locator("#pr-budget").fill("12000.00")
    form.locator("#pr-department").select_option("COMM")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == project
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page.url)
    visit.check("project")
    page.select_option("#pr-status", "applied")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#pr-status").input_value() == "applied"
    page.goto(f"{world.web}/foreign")
    assert "Vlorë, Kutaisi" in page.locator("li", has_text=project).inner_text()

    # A translation ordered with its due date, started, then done (it leaves the list).
    task = f"Ftesë nga Vlora {uuid.uuid4().hex[:4]}"
    page.fill("#tr-title", task)
    page.select_option("#tr-source", "sq")
    page.select_option("#tr-target", "lt")
    page.fill("#tr-text", "Ju ftojmë në festën e qytetit më 12 maj.")
    page.fill("#tr-days", "5")
    page.fill("#tr-translator", "Besnik Hoxha")
    page.click("form[action='/foreign/translations'] button[type=submit]")
    page.wait_for_url(re.compile(r"#translations$"))
    ordered = page.locator("li", has_text=task)
    assert "në radhë" in ordered.inner_text()
    ordered.locator("button[value=in_progress]").click()
    page.wait_for_url(re.compile(r"#translations$"))
    started = page.locator("li", has_text=task)
    assert "në punë" in started.inner_text()
    visit.check("translation-started")
    started.locator("textarea").fill("Kviečiame į miesto šventę gegužės 12 d.")
    started.locator("button[value=done]").click()
    page.wait_for_url(re.compile(r"#translations$"))
    assert page.locator("li", has_text=task).count() == 0
    context.close()
