"""Translations' due dates count routing's declared days (kept from ``calendar.day_declared``)
from the moment the message arrives."""

from __future__ import annotations

import uuid

from chancery.messages.consumer import Outcome
from chancery.messages.envelope import Envelope

OFFICER = "foreign_relations_officer"


def _order(system) -> dict:
    response = system.client.post("/translations", headers=system.headers(OFFICER), json={
        "source_language": "lv", "target_language": "lt", "title": "Ielūgums",
        "source_text": "Mīļie draugi! Ielūdzam jūs uz Daugavpils pilsētas svētkiem."})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_declared_day_off_moves_the_next_translations_due_date(system):
    # Tuesday 10 March 2026: five working days are Mar 12, 13, 16, 17, 18 (11 March a holiday).
    assert _order(system)["due_on"] == "2026-03-18"
    body = Envelope(type="calendar.day_declared", version=1, producer="routing", payload={
        "day": "2026-03-16", "working": False, "reason": "Poilsio diena",
        "decree": "LRV nutarimas Nr. 123", "hours_of": None, "declared_by": "operator-1",
        "declared_at": "2026-03-10T08:00:00+02:00"},
        correlation_id=f"c-{uuid.uuid4().hex[:10]}").to_json().encode()

    assert system.handling.handle(body).outcome is Outcome.HANDLED

    # Monday 16 March is off now: Mar 12, 13, 17, 18, 19.
    task = _order(system)
    assert task["due_on"] == "2026-03-19"
    assert {"code": "skipped", "day": "2026-03-16", "reason": {
        "kind": "declared", "day": "2026-03-16", "reason": "Poilsio diena",
        "decree": "LRV nutarimas Nr. 123"}} in task["deadline"]["steps"]
