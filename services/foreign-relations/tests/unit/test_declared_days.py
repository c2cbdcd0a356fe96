"""Translations' due dates count routing's declared days (kept from ``calendar.day_declared``)
from the moment the message arrives."""

from __future__ import annotations

from chancery.messages.consumer import Outcome


def test_a_declared_day_off_moves_the_next_translations_due_date(system):
    # Tuesday 10 March 2026: five working days are Mar 12, 13, 16, 17, 18 (11 March a holiday).
    assert system.order_translation()["due_on"] == "2026-03-18"
    declared = {
        "day": "2026-03-16",
        "working": False,
        "reason": "Poilsio diena",
        "decree": "LRV nutarimas Nr. 123",
        "hours_of": None,
        "declared_by": "operator-1",
        "declared_at": "2026-03-10T08:00:00+02:00",
    }

    assert system.handle("calendar.day_declared", declared, "routing").outcome is Outcome.HANDLED

    # Monday 16 March is off now: Mar 12, 13, 17, 18, 19.
    task = system.order_translation()
    assert task["due_on"] == "2026-03-19"
    assert {
        "code": "skipped",
        "day": "2026-03-16",
        "reason": {
            "kind": "declared",
            "day": "2026-03-16",
            "reason": "Poilsio diena",
            "decree": "LRV nutarimas Nr. 123",
        },
    } in task["deadline"]["steps"]
