"""Reception slots follow the working calendar of the moment: routing's declared days (kept
from ``calendar.day_declared``) and the working day shortened before a public holiday."""

from __future__ import annotations

import uuid

from chancery.messages.consumer import Outcome

# Tuesdays 15:00-17:00 and Mondays 13:00-15:00, 30-minute slots.
HOURS = [
    {"weekday": 1, "start": "15:00", "end": "17:00", "slot_minutes": 30},
    {"weekday": 0, "start": "13:00", "end": "15:00", "slot_minutes": 30},
]
REASON = "Poilsio diena Vyriausybės sprendimu"
DECREE = "LRV nutarimas Nr. 123, 2026-03-12"


def _official(system) -> str:
    return system.add_official(
        {
            "name": "Rimantas Vaitkūnas",
            "staff_subject": f"mayor-{uuid.uuid4().hex[:6]}",
            "position": {"lt": "Meras", "en": "Mayor"},
            "place": "Rotušės a. 1",
        },
        HOURS,
    )


def _slots(system, official_id: str) -> dict:
    return system.client.get(
        f"/officials/{official_id}/slots?from=2026-03-09&to=2026-03-24",
        headers=system.headers("registrar"),
    ).get_json()


def _day_declared(system, day: str, working: bool = False) -> Outcome:
    declared = {
        "day": day,
        "working": working,
        "reason": REASON,
        "decree": DECREE,
        "hours_of": None,
        "declared_by": "operator-1",
        "declared_at": "2026-03-12T10:00:00+02:00",
    }
    return system.handle("calendar.day_declared", declared, "routing").outcome


def test_the_day_before_a_holiday_ends_an_hour_early(system):
    official_id = _official(system)
    starts = [s["starts_at"] for s in _slots(system, official_id)["slots"]]
    # Tuesday 10 March, before the 11 March holiday, closes at 16:00 instead of 17:00.
    assert [s for s in starts if s.startswith("2026-03-10")] == [
        "2026-03-10T15:00:00+02:00",
        "2026-03-10T15:30:00+02:00",
    ]
    assert len([s for s in starts if s.startswith("2026-03-17")]) == 4


def test_a_day_routing_declared_off_has_no_slots_from_the_moment_it_arrives(system):
    official_id = _official(system)
    before = _slots(system, official_id)["slots"]
    assert any(s["starts_at"].startswith("2026-03-16") for s in before)

    assert _day_declared(system, "2026-03-16") is Outcome.HANDLED

    body = _slots(system, official_id)
    assert not any(s["starts_at"].startswith("2026-03-16") for s in body["slots"])
    [closed] = [d for d in body["closed_days"] if d["day"] == "2026-03-16"]
    assert closed["reason"] == f"day off by government decision: {REASON} ({DECREE})"
    assert closed["reasons"]["lt"] == f"poilsio diena Vyriausybės sprendimu: {REASON} ({DECREE})"
    assert set(closed["reasons"]) == {"lt", "lv", "ka", "sq", "en"}
    booked = system.book(
        official_id,
        "2026-03-16T13:00:00+02:00",
        {"name": "Ona Žemaitytė", "email": "ona@example.org", "language": "lt"},
        "Dėl gatvės apšvietimo",
    )
    assert booked.status_code == 422
