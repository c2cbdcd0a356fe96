"""Days off and working days declared by government decision, added by an operator over the
API: deadlines computed afterwards count them at once, without a restart.

Alytus, Tuesday 2026-03-10 09:25 (the conftest's clock): 20 working days are Mar 12, 13
(2), 16-20 (7), 23-27 (12), 30, 31, Apr 1-3 (17), Apr 7-9 (20, Easter Monday 6 April
skipped), so Thursday 9 April.
"""

from __future__ import annotations

from chancery.explanations import render

DECREE = "LRV nutarimas Nr. 123, 2026-03-12"
REASON = "Poilsio diena dėl valstybinės gedulo dienos"


def _declare(system, **body):
    return system.client.post(
        "/calendar/days",
        headers=system.headers("operator"),
        json={"day": "2026-03-20", "reason": REASON, "decree": DECREE, **body},
    )


def test_a_declared_day_off_moves_a_deadline_computed_afterwards(system):
    before = system.register()
    assert system.letter(before).due_date.isoformat() == "2026-04-09"

    response = _declare(system)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["working"] is False
    assert response.get_json()["origin"] == "operator"
    after = system.register()
    row = system.letter(after)
    # Friday 20 March no longer counts: the 20th working day is Friday 10 April.
    assert row.due_date.isoformat() == "2026-04-10"
    assert (
        f"Skipped 2026-03-20 (Friday): day off by government decision: {REASON} ({DECREE})"
    ) in render(row.deadline["steps"], "en", "LT")
    # A deadline already given is never moved silently.
    assert system.letter(before).due_date.isoformat() == "2026-04-09"
    # Announced for the other services, with the reason and the decree.
    [declared] = system.outbox("calendar.day_declared")
    assert declared["payload"]["day"] == "2026-03-20"
    assert (declared["payload"]["reason"], declared["payload"]["decree"]) == (REASON, DECREE)
    listed = system.client.get(
        "/calendar/days?from=2026-03-01&to=2026-03-31", headers=system.headers("registrar")
    ).get_json()["items"]
    assert [(d["day"], d["working"], d["origin"]) for d in listed] == [
        ("2026-03-20", False, "operator")
    ]


def test_a_declared_working_saturday_shortens_a_deadline(system):
    response = _declare(
        system,
        day="2026-03-14",
        working=True,
        hours_of="friday",
        reason="Darbo diena, perkelta iš 2026-04-07",
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["hours_of"] == "friday"
    letter = system.register()
    row = system.letter(letter)
    # Saturday 14 March counts: the 20th working day is Wednesday 8 April.
    assert row.due_date.isoformat() == "2026-04-08"
    assert (
        "2026-03-14 (Saturday) is a working day by government decision: Darbo diena, "
        f"perkelta iš 2026-04-07 ({DECREE})" in render(row.deadline["steps"], "en", "LT")
    )


def test_only_an_operator_declares_and_bad_input_names_the_field(system):
    untouched = system.snapshot()
    forbidden = system.client.post(
        "/calendar/days",
        headers=system.headers("registrar"),
        json={"day": "2026-03-20", "reason": REASON, "decree": DECREE},
    )
    assert forbidden.status_code == 403
    no_decree = system.client.post(
        "/calendar/days",
        headers=system.headers("operator"),
        json={"day": "2026-03-20", "reason": REASON},
    )
    assert no_decree.status_code == 422
    assert "decree" in str(no_decree.get_json())
    hours_on_a_day_off = _declare(system, hours_of="monday")
    assert hours_on_a_day_off.status_code == 422
    assert "hours_of" in str(hours_on_a_day_off.get_json())
    no_such_hours = _declare(system, day="2026-03-14", working=True, hours_of="sunday")
    assert no_such_hours.status_code == 422
    assert system.snapshot() == untouched


def test_the_reader_gets_the_explanation_in_their_language(system):
    letter = system.register(language="en")
    lt = system.client.get(f"/letters/{letter}", headers=system.headers("registrar")).get_json()
    assert lt["explanation"]["reader_language"] == "lt"
    assert set(lt["explanation"]["answer"]) == {"lt", "en"}
    ka = system.client.get(
        f"/letters/{letter}?lang=ka", headers=system.headers("registrar")
    ).get_json()
    assert ka["explanation"]["answer"]["ka"][-1] == "ვადის ბოლო დღე: 2026-04-09 (ხუთშაბათი)"
    lv = system.client.get(
        f"/letters/{letter}",
        headers={**system.headers("registrar"), "Accept-Language": "lv-LV,lv;q=0.9"},
    ).get_json()
    assert lv["explanation"]["reader_language"] == "lv"
    # The forwarding date has its explanation too: Mar 12, 13, 16, 17, 18.
    assert lv["forward_by"] == "2026-03-18"
    assert lv["explanation"]["forwarding"]["lv"][-1] == "Termiņš: 2026-03-18 (trešdiena)"
    assert lv["explanation"]["forwarding"]["en"][-1] == "Due date: 2026-03-18 (Wednesday)"
    assert lv["explanation"]["extension"] is None
    routed = system.outbox("letter.routed", letter_id=letter)[-1]["payload"]
    assert routed["deadline_explanation"]["en"][-1] == "Due date: 2026-04-09 (Thursday)"
    assert routed["deadline_explanation"]["lt"][-1] == "Termino diena: 2026-04-09 (ketvirtadienis)"


def test_a_later_declaration_for_the_same_day_replaces_the_earlier(system):
    assert _declare(system).status_code == 201
    system.clock.advance(minutes=10)
    corrected = _declare(system, working=True, reason="Klaidingai paskelbta poilsio diena")
    assert corrected.status_code == 201, corrected.get_json()
    # Friday 20 March is an ordinary working day again: back to Thursday 9 April.
    assert system.letter(system.register()).due_date.isoformat() == "2026-04-09"
    listed = system.client.get("/calendar/days", headers=system.headers("registrar")).get_json()[
        "items"
    ]
    assert [(d["day"], d["working"]) for d in listed] == [("2026-03-20", True)]
    assert len(system.outbox("calendar.day_declared")) == 2
