"""A day off declared by government decision, added by an operator, reaches every service.

Intake, routing and protocol-events run as their own processes over one RabbitMQ virtual
host. The operator declares a working day a few days ahead off over routing's API: a
letter registered afterwards gets a deadline one working day later than one registered
before, and protocol-events, which only hears of the day through
``calendar.day_declared``, stops offering reception slots that day.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from chancery.calendar import DayException
from chancery.profiles.loading import load_profile
from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "protocol-events")

SUBJECT = "Dėl neišvežtų atliekų Žalgirio gatvėje"
REASON = "Poilsio diena Vyriausybės sprendimu"
DECREE = f"LRV nutarimas Nr. {uuid.uuid4().int % 1000}"


def _register(system: WholeSystem, clerk: dict[str, str]) -> dict:
    resident = person("Ona Žemaitytė", f"ona.{uuid.uuid4().hex[:8]}@example.org")
    letter = system.register(clerk, incoming_letter("application", "lt", SUBJECT, resident))
    return wait_for(lambda: _routed(system, letter["id"], clerk), what="routing by rule")


def _routed(system: WholeSystem, letter_id: str, headers: dict[str, str]) -> dict | None:
    response = system.call("GET", "routing", f"/letters/{letter_id}", (200, 404), headers)
    body = response.json()
    return body if response.status_code == 200 and body["status"] == "routed" else None


def _slots_on(system: WholeSystem, official_id: str, day: date) -> dict:
    return system.call(
        "GET",
        "protocol-events",
        f"/officials/{official_id}/slots",
        200,
        system.headers("registrar", subject="clerk"),
        params={"from": day.isoformat(), "to": day.isoformat()},
    ).json()


def test_a_declared_day_off_moves_deadlines_and_closes_reception_slots(system: WholeSystem) -> None:
    profile = load_profile(system.profile)
    calendar = profile.calendar()
    today = calendar.local(datetime.now(UTC)).date()
    # The third working day from today: inside every 20-working-day term that starts now.
    day_off = today
    for _ in range(3):
        day_off = calendar.next_working_day(day_off)
    officer = system.headers("protocol_officer", subject=f"officer-{uuid.uuid4().hex[:6]}")
    official = system.receiving_official(
        officer,
        {
            "name": "Rimantas Vaitkūnas",
            "staff_subject": f"mayor-{uuid.uuid4().hex[:6]}",
            "position": {"lt": "Meras"},
            "place": "Rotušės a. 1",
        },
        [day_off.weekday()],
        slot=30,
    )
    assert _slots_on(system, official["id"], day_off)["slots"]
    clerk = system.headers("registrar", subject=f"clerk-{uuid.uuid4().hex[:6]}")
    before = _register(system, clerk)

    system.call(
        "POST",
        "routing",
        "/calendar/days",
        201,
        system.headers("operator", subject="operator-1"),
        json={"day": day_off.isoformat(), "reason": REASON, "decree": DECREE},
    )
    after = _register(system, clerk)

    received = datetime.fromisoformat(after["received_at"])
    without = calendar.compute(received, 20, "working_days").due
    with_day_off = profile.calendar((DayException(day_off, False, REASON, DECREE),))
    assert after["due_date"] == with_day_off.compute(received, 20, "working_days").due.isoformat()
    assert date.fromisoformat(after["due_date"]) == calendar.next_working_day(without)
    assert (
        before["due_date"]
        == calendar.compute(
            datetime.fromisoformat(before["received_at"]), 20, "working_days"
        ).due.isoformat()
    )
    assert any(DECREE in line for line in after["explanation"]["answer"]["lt"])

    closed = wait_for(
        lambda: (lambda body: body if not body["slots"] else None)(
            _slots_on(system, official["id"], day_off)
        ),
        what="protocol-events hearing of the day",
    )
    [closed_day] = closed["closed_days"]
    assert closed_day["day"] == day_off.isoformat()
    assert closed_day["reason"] == f"day off by government decision: {REASON} ({DECREE})"
    assert (
        closed_day["reasons"]["lt"] == f"poilsio diena Vyriausybės sprendimu: {REASON} ({DECREE})"
    )
    assert day_off - today <= timedelta(days=14)
