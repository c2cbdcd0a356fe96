"""Legal answer deadlines from the real profiles, with dates worked out by hand.

Holidays used below (holidays package, checked by hand):
Lithuania 2026-12-24/25/26 (Christmas Eve, Christmas, Second Day), 2027-01-01;
Georgia 2026-04-09 (National Unity Day), 04-10..13 (Orthodox Easter);
Albania 2026-11-22/23 (Alphabet Day, observed Monday), 11-28..12-01 (Flag and
Independence Day, Liberation Day and their observed Monday and Tuesday), 12-08
(National Youth Day). Latvia has none between 2026-02-27 and 2026-04-02.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from chancery.errors import Conflict, InvalidInput
from chancery.explanations import render
from chancery.profiles.loading import load_profile
from routing.domain.deadlines import answer_deadline, extended, forwarding_deadline
from routing.usecases.letters import Letters

VILNIUS = ZoneInfo("Europe/Vilnius")
RIGA = ZoneInfo("Europe/Riga")
TBILISI = ZoneInfo("Asia/Tbilisi")
TIRANE = ZoneInfo("Europe/Tirane")

# The working day before Christmas in Lithuania: Wednesday 23 December 2026, 10:00.
BEFORE_CHRISTMAS = datetime(2026, 12, 23, 10, 0, tzinfo=VILNIUS)


def _lines(computation: dict) -> list[str]:
    """A stored computation's steps in English."""
    return render(computation["steps"], "en", computation["country"])


def _extended_once(calendar, received: datetime, deadline):
    """The first extension of ``deadline`` (the letter received at ``received``)."""
    return extended(calendar, received, deadline.due, deadline.extension, already_extended=False)


def _extension_terms(deadline) -> tuple:
    """How long the extension may be and from what it counts."""
    extension = deadline.extension
    return extension["amount"], extension["unit"], extension["counted_from"]


def _deadline_in(municipality: str, kind: str, received: datetime) -> tuple:
    """The calendar of ``municipality`` and the answer deadline of a ``kind`` letter its
    office received at ``received``."""
    profile = load_profile(municipality)
    calendar = profile.calendar()
    return calendar, answer_deadline(profile, calendar, kind, received)


@pytest.fixture(scope="module")
def alytus():
    profile = load_profile("alytus")
    return profile, profile.calendar()


# Lithuania --------------------------------------------------------------------------------------


def test_an_application_before_christmas_has_twenty_working_days(alytus):
    profile, calendar = alytus
    deadline = answer_deadline(profile, calendar, "application", BEFORE_CHRISTMAS)
    # Dec 28-31 (4), Jan 4-8 (9), 11-15 (14), 18-22 (19), Monday Jan 25 (20).
    assert deadline.due == date(2027, 1, 25)
    assert deadline.source.startswith("LT Law on Public Administration (No. VIII-1234)")
    assert deadline.extension is None
    steps = _lines(deadline.computation)
    assert steps[:2] == [
        "Received 2026-12-23 10:00 Europe/Vilnius (Wednesday)",
        "Counting starts the day after receipt: 2026-12-24",
    ]
    assert steps[2:6] == [
        "Skipped 2026-12-24 (Thursday): public holiday: Christmas Eve",
        "Skipped 2026-12-25 (Friday): public holiday: Christmas Day",
        "Skipped 2026-12-26 (Saturday): public holiday: Second Day of Christmas",
        "Skipped 2026-12-27: Sunday",
    ]
    assert "Skipped 2027-01-01 (Friday): public holiday: New Year's Day" in steps
    assert steps[-2:] == ["20th working day: 2027-01-25 (Monday)", "Due date: 2027-01-25 (Monday)"]
    assert deadline.computation["amount"] == 20
    assert deadline.computation["unit"] == "working_days"
    assert deadline.computation["counted_from"] == "2026-12-24"


def test_after_closing_time_the_letter_counts_from_the_next_working_day(alytus):
    profile, calendar = alytus
    # 17:30 on the 23rd: the office closed at 17:00, Christmas follows; received on the 28th.
    deadline = answer_deadline(
        profile, calendar, "application", datetime(2026, 12, 23, 17, 30, tzinfo=VILNIUS)
    )
    # Dec 29-31 (3), Jan 4-8 (8), 11-15 (13), 18-22 (18), Jan 25 (19), Tuesday Jan 26 (20).
    assert deadline.due == date(2027, 1, 26)
    assert "Counts as received on the next working day: 2026-12-28 (Monday)" in _lines(
        deadline.computation
    )


def test_a_complaint_is_extended_once_by_ten_working_days(alytus):
    profile, calendar = alytus
    deadline = answer_deadline(profile, calendar, "complaint", BEFORE_CHRISTMAS)
    assert deadline.due == date(2027, 1, 25)
    assert deadline.extension == {
        "amount": 10,
        "unit": "working_days",
        "source": None,
        "counted_from": "due",
    }
    longer = _extended_once(calendar, BEFORE_CHRISTMAS, deadline)
    # Jan 26-29 (4), Feb 1-5 (9), Monday Feb 8 (10).
    assert longer.due == date(2027, 2, 8)
    # The extension's explanation starts from the current due date, not from a receipt.
    assert longer.lines()[:2] == [
        "Extension of the current due date 2027-01-25 (Monday)",
        "Counting continues the day after the current due date: 2027-01-26",
    ]
    assert not any(line.startswith("Received") for line in longer.lines())
    assert longer.lines("lt")[0] == "Pratęsiama dabartinė termino diena 2027-01-25 (pirmadienis)"
    with pytest.raises(Conflict, match="already extended once"):
        extended(calendar, BEFORE_CHRISTMAS, longer.due, deadline.extension, already_extended=True)
    with pytest.raises(Conflict, match="no extension"):
        extended(calendar, BEFORE_CHRISTMAS, deadline.due, None, already_extended=False)


def test_forwarding_to_the_competent_body_within_five_working_days(alytus):
    profile, calendar = alytus
    forward = forwarding_deadline(profile, calendar, BEFORE_CHRISTMAS)
    # Dec 28, 29, 30, 31 and Monday Jan 4.
    assert forward.due == date(2027, 1, 4)
    assert forward.unit == "working_days"
    assert "Skipped 2026-12-24 (Thursday): public holiday: Christmas Eve" in forward.lines()


def test_a_routing_rules_own_term_overrides_the_legal_one(alytus):
    profile, calendar = alytus
    own = answer_deadline(
        profile, calendar, "application", BEFORE_CHRISTMAS, {"amount": 5, "unit": "working_days"}
    )
    assert own.due == date(2027, 1, 4)
    assert own.source == "routing rule"
    assert own.extension is None
    calendar_days = answer_deadline(
        profile, calendar, "application", BEFORE_CHRISTMAS, {"amount": 3, "unit": "calendar_days"}
    )
    # Dec 26 is a holiday, 27 a Sunday: the term ends on Monday Dec 28.
    assert calendar_days.due == date(2026, 12, 28)


def test_a_naive_receipt_time_is_refused(alytus):
    profile, calendar = alytus
    with pytest.raises(ValueError, match="naive"):
        answer_deadline(profile, calendar, "application", datetime(2026, 12, 23, 10, 0))


# Latvia: the law changed on 2026-03-01 -------------------------------------------------------


def test_daugavpils_before_the_law_change_one_month():
    received = datetime(2026, 2, 27, 10, 0, tzinfo=RIGA)
    calendar, deadline = _deadline_in("daugavpils", "application", received)
    assert deadline.due == date(2026, 3, 27)
    assert deadline.computation["unit"] == "months"
    assert deadline.source.startswith("LV Law on Submissions (Iesniegumu likums), Section 5")
    # Extendable to at most four months from receipt (not three months after the first
    # due date): 2026-06-27 is the Saturday worked for Monday 22 June, a working day.
    assert _extension_terms(deadline) == (4, "months", "receipt")
    assert _extended_once(calendar, received, deadline).due == date(2026, 6, 27)


def test_daugavpils_from_the_law_change_ten_working_days():
    received = datetime(2026, 3, 2, 10, 0, tzinfo=RIGA)
    calendar, deadline = _deadline_in("daugavpils", "application", received)
    # Mar 3-6 (4), 9-13 (9), Monday Mar 16 (10).
    assert deadline.due == date(2026, 3, 16)
    assert deadline.computation["unit"] == "working_days"
    assert "in force 2026-03-01" in deadline.source
    # A complex case: within one month from receipt (2 March), not a month after the ten days.
    assert _extension_terms(deadline) == (1, "months", "receipt")
    longer = _extended_once(calendar, received, deadline)
    assert longer.due == date(2026, 4, 2)
    assert longer.lines()[0] == "The extended term is counted from receipt, as the law sets it"


def test_daugavpils_information_requests_are_not_touched_by_the_change():
    profile = load_profile("daugavpils")
    calendar = profile.calendar()
    before = answer_deadline(
        profile, calendar, "information_request", datetime(2026, 2, 27, 10, 0, tzinfo=RIGA)
    )
    after = answer_deadline(
        profile, calendar, "information_request", datetime(2026, 3, 2, 10, 0, tzinfo=RIGA)
    )
    assert before.source == after.source
    # 15 calendar days ("15 dienu laikā"): Feb 27 + 15 = Saturday Mar 14 -> Monday Mar 16;
    # Mar 2 + 15 = Tuesday Mar 17.
    assert (before.due, after.due) == (date(2026, 3, 16), date(2026, 3, 17))


# Georgia and Albania ----------------------------------------------------------------------------


def test_lagodekhi_an_application_on_national_unity_day_before_easter():
    received = datetime(2026, 4, 9, 11, 0, tzinfo=TBILISI)
    calendar, deadline = _deadline_in("lagodekhi", "application", received)
    # Georgia counts from the arrival date even on a holiday: 15 calendar days from
    # 9 April is Friday 24 April (not from Tuesday 14 April, after the Easter days).
    assert deadline.due == date(2026, 4, 24)
    steps = _lines(deadline.computation)
    assert (
        "Received outside working hours; the law counts the term from the arrival date "
        "2026-04-09" in steps
    )
    assert "15th calendar day: 2026-04-24 (Friday)" in steps
    assert deadline.source.startswith("GE General Administrative Code, Art. 100")
    # Where third parties are affected: one month from the application, 9 May, a Saturday
    # and Victory Day; Sunday 10 May; Monday 11 May.
    assert _extended_once(calendar, received, deadline).due == date(2026, 5, 11)


def test_vlora_an_information_request_across_the_november_holidays():
    received = datetime(2026, 11, 19, 10, 0, tzinfo=TIRANE)
    calendar, deadline = _deadline_in("vlora", "information_request", received)
    # Nov 20 (1), 24-27 (5), Dec 2-4 (8), Dec 7 (9), Dec 8 is a holiday, Wednesday Dec 9 (10).
    assert deadline.due == date(2026, 12, 9)
    steps = _lines(deadline.computation)
    assert "Skipped 2026-11-23 (Monday): public holiday: Alphabet Day (observed)" in steps
    assert "Skipped 2026-12-08 (Tuesday): public holiday: National Youth Day" in steps
    assert deadline.source.startswith("AL Law No. 119/2014 on the right to information")
    # Extendable by at most 5 working days: Dec 10, 11, 14, 15, 16.
    assert deadline.extension["amount"] == 5
    assert _extended_once(calendar, received, deadline).due == date(2026, 12, 16)


def test_a_kind_without_a_legal_rule_is_refused():
    profile = load_profile("alytus")
    with pytest.raises(InvalidInput, match="no deadline rule for memo letters") as refused:
        answer_deadline(profile, profile.calendar(), "memo", BEFORE_CHRISTMAS)
    assert refused.value.field == "kind"


# Stored with the letter ------------------------------------------------------------------------

CHRISTMAS_CLOCK = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)  # 11:00 in Vilnius


def _received_before_christmas(system, subject: str, kind: str = "application") -> str:
    """Deliver a letter intake received on the morning of 23 December; its id."""
    return system.register(subject=subject, kind=kind, received_at=BEFORE_CHRISTMAS)


def test_the_routed_letter_stores_its_due_date_and_explanation(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    letter_id = _received_before_christmas(system, "Dėl neišvežtų atliekų Žalgirio gatvėje")
    row = system.letter(letter_id)
    assert row.status == "routed"
    assert row.department_code == "MUNI"
    assert row.due_date == date(2027, 1, 25)
    assert row.forward_by == date(2027, 1, 4)
    assert row.deadline["due"] == "2027-01-25"
    assert "Skipped 2026-12-24 (Thursday): public holiday: Christmas Eve" in _lines(row.deadline)
    assert row.deadline_source.startswith("LT Law on Public Administration")
    [routed] = system.outbox("letter.routed", letter_id)
    assert routed["payload"]["due_date"] == "2027-01-25"
    [assignment] = system.assignment_rows(letter_id)
    assert assignment.due_date == date(2027, 1, 25)


def test_a_rules_own_term_is_stored(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    registrar = system.principal("registrar")
    system.rules.save_rule(
        None,
        {
            "position": 1,
            "name": "Skubūs vandentiekio gedimai",
            "match": {"subject_words": ["vandentiek"]},
            "responsible": "MUNI",
            "copies": [],
            "deadline": {"amount": 5, "unit": "working_days"},
            "active": True,
        },
        registrar,
    )
    letter_id = _received_before_christmas(system, "VANDENTIEKIO avarija Putinų gatvėje")
    row = system.letter(letter_id)
    assert (row.rule_name, row.due_date, row.deadline_source) == (
        "Skubūs vandentiekio gedimai",
        date(2027, 1, 4),
        "routing rule",
    )
    assert row.extension is None


def test_a_complaint_deadline_is_extended_once_with_a_notice(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    letter_id = _received_before_christmas(system, "Skundas dėl šiukšlių", "complaint")
    assert system.letter(letter_id).due_date == date(2027, 1, 25)
    head = system.principal("department_head", department="LEGAL")
    system.clock.now = datetime(2027, 1, 18, 8, 0, tzinfo=UTC)
    reason = "Reikia gauti Aplinkos apsaugos departamento išvadą"
    system.letters.extend(letter_id, reason, head, "c-extend")
    row = system.letter(letter_id)
    assert row.due_date == date(2027, 2, 8)
    assert row.extended_at == system.clock.now
    assert row.deadline["due"] == "2027-01-25"  # the original computation stays
    assert row.deadline["extension"]["due"] == "2027-02-08"
    assert row.deadline["extension"]["reason"] == reason
    [notice] = system.outbox("letter.deadline_extended", letter_id)
    assert notice["payload"]["previous_due_date"] == "2027-01-25"
    assert notice["payload"]["due_date"] == "2027-02-08"
    assert notice["payload"]["reason"] == reason
    # The notice explains the new date in the letter's (and municipality's) language,
    # starting from the current due date, never from a "receipt".
    assert (
        notice["payload"]["explanation"]["lt"][0]
        == "Pratęsiama dabartinė termino diena 2027-01-25 (pirmadienis)"
    )
    assert notice["payload"]["explanation"]["lt"][-1] == "Termino diena: 2027-02-08 (pirmadienis)"
    read = system.client.get(
        f"/letters/{letter_id}?lang=en", headers=system.headers("registrar")
    ).get_json()
    assert (
        read["explanation"]["extension"]["en"][0]
        == "Extension of the current due date 2027-01-25 (Monday)"
    )
    assert not any(line.startswith("Received") for line in read["explanation"]["extension"]["en"])
    assert system.assignment_rows(letter_id)[0].due_date == date(2027, 2, 8)
    assert ("extended", {"from": "2027-01-25", "to": "2027-02-08", "reason": reason}) in [
        (action, details) for _, action, details in system.history(letter_id)
    ]
    before = system.snapshot()
    with pytest.raises(Conflict, match="already extended once"):
        system.letters.extend(letter_id, "Dar kartą", head, "c-extend-2")
    assert system.snapshot() == before


def test_an_application_has_no_extension(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    letter_id = _received_before_christmas(system, "Prašymas dėl atliekų konteinerio")
    with pytest.raises(Conflict, match="no extension"):
        system.letters.extend(
            letter_id, "Sudėtingas atvejis", system.principal("registrar"), "c-extend"
        )
    assert system.letter(letter_id).due_date == date(2027, 1, 25)


def test_the_due_date_is_kept_or_recomputed_on_a_re_route(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    # An invitation: the Alytus rule gives 10 working days instead of the legal 20.
    letter_id = _received_before_christmas(
        system, "Kvietimas į miestų partnerių forumą", "invitation"
    )
    row = system.letter(letter_id)
    # Dec 28-31 (4), Jan 4-8 (9), Monday Jan 11 (10).
    assert (row.department_code, row.due_date, row.deadline_source) == (
        "COMM",
        date(2027, 1, 11),
        "routing rule",
    )
    stored = row.deadline
    registrar = system.principal("registrar")
    # Weeks later, the registry moves it and keeps the deadline given.
    system.clock.now = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    system.triage.route(letter_id, "EDU", [], "Forumas apie mokyklas", True, registrar, "c-1")
    row = system.letter(letter_id)
    assert (row.department_code, row.due_date, row.deadline) == ("EDU", date(2027, 1, 11), stored)
    assert system.assignment_rows(letter_id)[0].due_date == date(2027, 1, 11)
    # Moved again with the legal term recomputed from the (unchanged) receipt time.
    system.triage.route(letter_id, "FIN", [], "Finansavimo klausimas", False, registrar, "c-2")
    row = system.letter(letter_id)
    assert (row.department_code, row.due_date) == ("FIN", date(2027, 1, 25))
    assert row.deadline_source.startswith("LT Law on Public Administration")
    assert datetime.fromisoformat(row.deadline["received_at"]) == BEFORE_CHRISTMAS
    routes = [details for _, action, details in system.history(letter_id) if action == "routed"]
    assert [(r["department"], r["due_date"], r.get("deadline")) for r in routes] == [
        ("COMM", "2027-01-11", None),
        ("EDU", "2027-01-11", "kept"),
        ("FIN", "2027-01-25", "recomputed"),
    ]
    assert [m["payload"]["due_date"] for m in system.outbox("letter.routed", letter_id)] == [
        "2027-01-11",
        "2027-01-11",
        "2027-01-25",
    ]


def test_a_stored_due_date_is_read_back_not_recomputed(make_system):
    system = make_system(now=CHRISTMAS_CLOCK)
    letter_id = _received_before_christmas(system, "Dėl atliekų")
    # Read months later through a workflow with another calendar (Latvia also closes on New
    # Year's Eve, so recomputing would give 2027-01-26): the deadline once given does not move.
    reader = Letters(
        system.wiring.unit_of_work,
        load_profile("daugavpils"),
        clock=lambda: datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
    )
    row, history, _assignment = reader.letter(letter_id, system.principal("registrar"))
    assert row.due_date == date(2027, 1, 25)
    assert row.deadline["due"] == "2027-01-25"
    assert [entry.action for entry in history] == ["registered", "routed", "status"]


def test_keeping_the_deadline_of_a_never_routed_letter_is_refused(system):
    system.rules.delete_rule(system.rules.rules()[-1].id, system.principal("registrar"))
    letter_id = system.register(subject="Padėka už koncertą Rotušės aikštėje")
    assert system.letter(letter_id).status == "registered"
    with pytest.raises(InvalidInput) as refused:
        system.triage.route(
            letter_id, "COMM", [], "Padėka", True, system.principal("registrar"), "c-route"
        )
    assert refused.value.field == "keep_deadline"
    assert system.letter(letter_id).due_date is None
