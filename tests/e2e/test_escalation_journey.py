"""Execution control across processes: work whose deadline nears is escalated once.

The head of the communications department gives a colleague an assignment
due on the next working day; routing's timer (every half second here)
finds it due soon and publishes ``assignment.due_soon`` once; notifications
tells the executor and the head by e-mail in Lithuanian, each exactly once
however many more times the timer runs. The overdue branch needs the
calendar to move on and is covered by routing's timer tests with a clock.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import pytest

from chancery.profiles.loading import load_profile
from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "notifications")


def _staff(system: WholeSystem, subject: str, roles: list[str]) -> str:
    address = f"{subject}@example.org"
    operator = system.headers("operator", subject="operator-1")
    system.enrol_staff(
        operator,
        subject,
        {
            "name": subject.replace(".", " ").title(),
            "email": address,
            "language": "lt",
            "department_code": "COMM",
            "roles": roles,
        },
    )
    return address


def _due_soon_mails(system: WholeSystem, address: str, title: str) -> list:
    return [
        m
        for m in system.mails_to(address)
        if m["Subject"] == f"Artėja pavedimo įvykdymo terminas: {title}"
    ]


def test_an_assignment_near_its_due_date_is_escalated_once_to_executor_and_head(
    system: WholeSystem,
) -> None:
    tag = uuid.uuid4().hex[:6]
    executor = f"ruta.vaitkute.{tag}"
    head = f"jonas.kazlauskas.{tag}"
    executor_mail = _staff(system, executor, ["department_staff"])
    head_mail = _staff(system, head, ["department_head"])
    calendar = load_profile(system.profile).calendar()
    due = calendar.next_working_day(calendar.local(datetime.now().astimezone()).date())
    title = f"Parengti Joninių šventės programą {tag}"

    assignment = system.call(
        "POST",
        "routing",
        "/assignments",
        201,
        system.headers("department_head", subject=head, department="COMM"),
        json={
            "title": title,
            "department_code": "COMM",
            "executor": executor,
            "due_date": due.isoformat(),
        },
    ).json()
    assert assignment["due_date"] == due.isoformat()

    told = wait_for(
        lambda: (
            _due_soon_mails(system, executor_mail, title)
            and _due_soon_mails(system, head_mail, title)
        ),
        what="the due-soon notice to executor and head",
    )
    assert due.isoformat() in told[0].get_body(("plain",)).get_content()
    # Several more timer turns (every 0.5 s) must not tell anyone again.
    settled = time.monotonic() + 3
    wait_for(lambda: time.monotonic() > settled, what="more timer turns")
    assert len(_due_soon_mails(system, executor_mail, title)) == 1
    assert len(_due_soon_mails(system, head_mail, title)) == 1
