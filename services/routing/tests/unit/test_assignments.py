"""Assignments: own tasks, the due-soon and overdue timer, work lists (Alytus calendar).

Alytus warns 3 working days ahead. March 2026 in Lithuania: the 11th is a holiday.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete

from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from chancery.paging import PageRequest
from chancery_testing import problem
from routing.adapters.models import Assignment
from routing.adapters.repositories import AssignmentFilters

VILNIUS = ZoneInfo("Europe/Vilnius")
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius

# The default page: 50 items, more than any of these lists holds.
FIRST_PAGE = PageRequest()


def _give(
    system,
    title="Parengti biudžeto projekto pristatymą",
    department="FIN",
    executor="Laima Stankevičienė",
    due=date(2026, 3, 13),
    giver=None,
):
    giver = giver or system.principal("mayor", subject="mayor-nerijus")
    return system.assignments.create(
        title, "Pristatyti tarybos komitetui.", department, executor, due, giver, "c-task"
    )


def _post_task(system, title: str, department: str, due: str, headers=None, **more: str):
    """``POST /assignments``: an own task, given by the mayor unless ``headers`` say who."""
    body = {"title": title, "department_code": department, **more, "due_date": due}
    return system.client.post("/assignments", headers=headers or system.headers("mayor"), json=body)


def _reminders(system) -> Counter:
    return Counter(
        m["type"]
        for m in system.outbox()
        if m["type"] in ("assignment.due_soon", "assignment.overdue")
    )


def _run_timer_until(system, end: datetime, every: timedelta = timedelta(hours=6)):
    """Run the timer repeatedly; the local days on which something was sent."""
    sent: list[tuple[date, int, int]] = []
    while system.clock.now <= end:
        soon, overdue = system.assignments.check_due_dates("c-timer")
        if soon or overdue:
            sent.append((system.clock.now.astimezone(VILNIUS).date(), soon, overdue))
        system.clock.advance(seconds=every.total_seconds())
    return sent


# Own assignments --------------------------------------------------------------------------


def test_the_mayor_gives_a_department_an_own_task(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    assert (
        assignment.letter_id,
        assignment.department_code,
        assignment.executor,
        assignment.assigned_by,
        assignment.due_date,
        assignment.status,
    ) == (None, "FIN", "Laima Stankevičienė", "mayor-nerijus", date(2026, 3, 13), "open")
    assert assignment.created_at == MONDAY
    [created] = system.outbox("assignment.created")
    assert created["payload"] == {
        "assignment_id": assignment.id,
        "letter_id": None,
        "registration_number": None,
        "title": "Parengti biudžeto projekto pristatymą",
        "department_code": "FIN",
        "executor": "Laima Stankevičienė",
        "due_date": "2026-03-13",
        "instructions": "Pristatyti tarybos komitetui.",
        "assigned_by": "mayor-nerijus",
        "assigned_by_name": "Nerijus Vaitkus",
        "created_at": MONDAY.isoformat(),
        "confidentiality": "normal",
    }
    assert created["correlation_id"] == "c-task"


def test_a_head_gives_tasks_only_inside_their_own_department(make_system):
    system = make_system(now=MONDAY)
    head = system.principal("department_head", department="EDU")
    own = _give(system, "Surinkti mokyklų remonto poreikius", "EDU", None, giver=head)
    assert (own.department_code, own.executor) == ("EDU", None)
    before = system.snapshot()
    with pytest.raises(Forbidden, match="inside their own department"):
        _give(system, department="SOC", giver=head)
    with pytest.raises(Forbidden, match="Assignments are given by"):
        _give(system, giver=system.principal("department_staff", department="FIN"))
    with pytest.raises(Forbidden):
        _give(system, giver=system.principal("registrar"))
    assert system.snapshot() == before
    # The director and deputy mayors give tasks to any department.
    for role in ("director", "deputy_mayor", "mayor_office"):
        assert (
            _give(system, department="SOC", executor=None, giver=system.principal(role)).status
            == "open"
        )


def test_a_due_date_in_the_past_is_refused_in_local_time(make_system):
    # 01:30 on Tuesday 10 March in Vilnius, still the 9th in UTC.
    system = make_system(now=datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    before = system.snapshot()
    with pytest.raises(InvalidInput) as refused:
        _give(system, due=date(2026, 3, 9))
    assert (refused.value.field, refused.value.reason) == ("due_date", "before today")
    assert system.snapshot() == before
    assert _give(system, due=date(2026, 3, 10)).due_date == date(2026, 3, 10)


def test_an_unknown_department_is_refused(make_system):
    system = make_system(now=MONDAY)
    before = system.snapshot()
    with pytest.raises(InvalidInput) as refused:
        _give(system, department="TOURISM")
    assert refused.value.field == "department_code"
    assert system.snapshot() == before


def test_an_executor_must_be_an_active_member_of_the_department(make_system):
    system = make_system(now=MONDAY)
    for executor, reason in (
        ("nobody.at.all", "not in the staff directory"),
        ("Jonas Jonaitis", "not a member of FIN"),
    ):
        with pytest.raises(InvalidInput) as refused:
            _give(system, executor=executor)
        assert (refused.value.field, refused.value.reason) == ("executor", reason)
    response = _post_task(system, "Pristatymas", "FIN", "2026-03-13", executor="nobody.at.all")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "executor"
    keeper = system.headers("operator")
    person = {
        "name": "Laima Stankevičienė",
        "department_code": "FIN",
        "language": "lt",
        "roles": ["department_staff"],
        "positions": {"lt": "Vyr. specialistė", "en": "Senior specialist"},
    }
    left = system.client.put(
        "/staff/Laima Stankevičienė", headers=keeper, json={**person, "active": False}
    )
    assert left.status_code == 200, left.get_json()
    with pytest.raises(InvalidInput, match="no longer active"):
        _give(system)
    [changed] = system.outbox("staff.member_changed")
    assert (changed["payload"]["active"], changed["payload"]["positions"]["lt"]) == (
        False,
        "Vyr. specialistė",
    )
    listed = system.client.get("/staff?department=FIN&active=false", headers=keeper).get_json()[
        "items"
    ]
    assert [p["subject"] for p in listed] == ["Laima Stankevičienė"]
    head = system.headers("department_head", department="FIN")
    assert system.client.put("/staff/x", headers=head, json=person).status_code == 403
    assert system.outbox("assignment.created") == []


def test_finishing_an_own_task(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    # Another of the department's staff, and the head of another department.
    for outsider in (
        system.principal("department_staff", department="FIN"),
        system.principal("department_head", department="SOC"),
    ):
        with pytest.raises(Forbidden):
            system.assignments.finish(assignment.id, "done", "Ataskaita: atlikta.", outsider)
    system.clock.advance(days=2)
    executor = system.principal("department_staff", department="FIN", subject="Laima Stankevičienė")
    with pytest.raises(InvalidInput) as unreported:
        system.assignments.finish(assignment.id, "done", "  ", executor)
    assert unreported.value.field == "report"
    report = "Sutartis su rangovu pasirašyta; darbai baigti 2026-03-11."
    done = system.assignments.finish(assignment.id, "done", report, executor)
    assert (done.status, done.completed_at, done.report) == ("done", system.clock.now, report)
    with pytest.raises(Conflict, match="already done"):
        system.assignments.finish(assignment.id, "cancelled", None, executor)
    with pytest.raises(NotFound):
        system.assignments.finish(
            "0b7f8f7e-0000-4000-8000-000000000000", "done", "Ataskaita: atlikta.", executor
        )


def test_done_over_http_needs_the_report_and_lists_it(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    headers = system.headers("department_staff", department="FIN", subject="Laima Stankevičienė")
    missing = system.client.post(
        f"/assignments/{assignment.id}/finish", headers=headers, json={"status": "done"}
    )
    assert missing.status_code == 422
    assert missing.get_json()["errors"][0]["field"] == "report"
    assert (
        system.assignments.list(
            AssignmentFilters(status="open"), system.principal("mayor_office"), FIRST_PAGE
        ).items[0]["status"]
        == "open"
    )
    report = "Atlikta: ataskaita merui išsiųsta."
    done = system.client.post(
        f"/assignments/{assignment.id}/finish",
        headers=headers,
        json={"status": "done", "report": report},
    )
    assert done.status_code == 200, done.get_json()
    [listed] = system.client.get(
        "/assignments?status=done", headers=system.headers("mayor_office")
    ).get_json()["items"]
    assert (listed["report"], listed["assigned_by"]) == (report, assignment.assigned_by)


def test_the_giver_or_the_head_may_cancel(make_system):
    system = make_system(now=MONDAY)
    mayor = system.principal("mayor")
    first = _give(system, giver=mayor)
    assert system.assignments.finish(first.id, "cancelled", None, mayor).status == "cancelled"
    second = _give(system)
    head = system.principal("department_head", department="FIN")
    finished = system.assignments.finish(second.id, "done", "Ataskaita: atlikta.", head)
    assert finished.status == "done"


def test_a_letters_assignment_ends_only_with_the_answer(system):
    letter_id = system.register(subject="Dėl neišvežtų atliekų")
    [assignment] = system.assignment_rows(letter_id)
    with pytest.raises(Conflict, match="ends when the letter is answered"):
        system.assignments.finish(
            assignment.id,
            "done",
            "Ataskaita: atlikta.",
            system.principal("department_head", department="MUNI"),
        )
    system.reply(letter_id)
    assert [a.status for a in system.assignment_rows(letter_id)] == ["done"]


# The timer -------------------------------------------------------------------------------


def test_the_timer_warns_once_when_due_soon_and_once_when_overdue(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system, due=date(2026, 3, 13))  # Friday
    sent = _run_timer_until(system, datetime(2026, 3, 25, 12, 0, tzinfo=UTC))
    # Monday 9 March: 10, 12 and 13 March are left (the 11th is a holiday): 3 working days.
    # Saturday 14 March: the due date has passed.
    assert sent == [(date(2026, 3, 9), 1, 0), (date(2026, 3, 14), 0, 1)]
    assert _reminders(system) == {"assignment.due_soon": 1, "assignment.overdue": 1}
    [soon] = system.outbox("assignment.due_soon")
    assert soon["payload"]["assignment_id"] == assignment.id
    assert soon["payload"]["working_days_left"] == 3
    assert soon["payload"]["due_date"] == "2026-03-13"
    [overdue] = system.outbox("assignment.overdue")
    assert overdue["payload"]["days_overdue"] == 1
    assert overdue["correlation_id"] == "c-timer"


def test_not_a_reminder_on_the_due_date_itself(make_system):
    system = make_system(now=datetime(2026, 3, 13, 14, 0, tzinfo=UTC))  # 16:00 Friday
    _give(system, due=date(2026, 3, 13))
    assert system.assignments.check_due_dates("c") == (1, 0)
    system.clock.now = datetime(2026, 3, 13, 21, 59, tzinfo=UTC)  # 23:59 in Vilnius
    assert system.assignments.check_due_dates("c") == (0, 0)
    system.clock.now = datetime(2026, 3, 13, 22, 0, tzinfo=UTC)  # midnight in Vilnius
    assert system.assignments.check_due_dates("c") == (0, 1)


def test_work_found_already_overdue_gets_only_the_overdue_message(make_system):
    system = make_system(now=MONDAY)
    _give(system, due=date(2026, 3, 3))
    system.clock.now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    assert system.assignments.check_due_dates("c") == (0, 1)
    assert system.assignments.check_due_dates("c") == (0, 0)
    assert _reminders(system) == {"assignment.overdue": 1}
    assert system.outbox("assignment.overdue")[0]["payload"]["days_overdue"] == 17


def test_finished_work_gets_no_reminders(make_system):
    system = make_system(now=MONDAY)
    done = _give(system, due=date(2026, 3, 5))
    cancelled = _give(system, due=date(2026, 3, 5), giver=system.principal("mayor"))
    system.assignments.finish(
        done.id,
        "done",
        "Ataskaita: atlikta.",
        system.principal("department_head", department="FIN"),
    )
    system.assignments.finish(
        cancelled.id, "cancelled", None, system.principal("department_head", department="FIN")
    )
    _run_timer_until(system, datetime(2026, 3, 20, 8, 0, tzinfo=UTC), timedelta(days=1))
    assert _reminders(system) == {}


def test_a_letters_assignment_is_reminded_until_the_letter_is_answered(make_system):
    system = make_system(now=datetime(2026, 3, 31, 8, 0, tzinfo=UTC))
    # Received 31 March: 20 working days (6 April is Easter Monday) end on 29 April.
    open_letter = system.register(subject="Dėl gatvės apšvietimo")
    answered = system.register(subject="Dėl atliekų konteinerių")
    assert system.letter(open_letter).due_date == date(2026, 4, 29)
    system.reply(answered)
    sent = _run_timer_until(system, datetime(2026, 5, 4, 8, 0, tzinfo=UTC), timedelta(hours=8))
    # 24 April (Friday): 27, 28 and 29 April are left. 30 April: overdue.
    assert sent == [(date(2026, 4, 24), 1, 0), (date(2026, 4, 30), 0, 1)]
    messages = system.outbox("assignment.due_soon") + system.outbox("assignment.overdue")
    assert {m["payload"]["letter_id"] for m in messages} == {open_letter}
    assert {m["payload"]["registration_number"] for m in messages} == {
        system.letter(open_letter).registration_number
    }


def test_an_extension_lets_the_due_soon_warning_come_again(make_system):
    system = make_system(now=datetime(2026, 3, 31, 8, 0, tzinfo=UTC))
    letter_id = system.complaint_to_muni("Skundas dėl duobių gatvėje")
    system.clock.now = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)
    assert system.assignments.check_due_dates("c") == (1, 0)
    system.letters.extend(
        letter_id,
        "Reikia eksperto išvados",
        system.principal("department_head", department="MUNI"),
        "c",
    )
    # 29 April + 10 working days: 30 April, 4-8 May (1 May is a holiday), 11-14 May.
    assert system.letter(letter_id).due_date == date(2026, 5, 14)
    assert system.assignments.check_due_dates("c") == (0, 0)
    system.clock.now = datetime(2026, 5, 11, 8, 0, tzinfo=UTC)
    assert system.assignments.check_due_dates("c") == (1, 0)
    assert [m["payload"]["due_date"] for m in system.outbox("assignment.due_soon")] == [
        "2026-04-29",
        "2026-05-14",
    ]


# The executor's own due date and instructions --------------------------------------------

INSTRUCTIONS = "Pasitarkite su Žaliakalnio seniūnija; atsakykite lietuviškai ir cituokite 12 str."


def test_the_head_gives_the_executor_an_own_due_date_and_instructions(make_system):
    system = make_system(now=MONDAY)
    letter_id = system.register(subject="Dėl šaligatvio remonto")
    legal_due = system.letter(letter_id).due_date
    head = system.principal("department_head", department="MUNI", subject="head-ona")
    before = system.snapshot()
    for asked, reason in (
        (
            legal_due + timedelta(days=1),
            f"not later than the letter's due date {legal_due.isoformat()}",
        ),
        (date(2026, 3, 1), "before today"),
    ):
        with pytest.raises(InvalidInput) as refused:
            system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c", due_date=asked)
        assert (refused.value.field, refused.value.reason) == ("due_date", reason)
    assert system.snapshot() == before, "nothing half-written"
    # Left out, the executor's date is the letter's.
    _row, assignment = system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c-1")
    assert (assignment.due_date, assignment.description) == (legal_due, None)
    own = legal_due - timedelta(days=7)
    _row, assignment = system.letters.assign(
        letter_id, "Tomas Kazlauskas", head, "c-2", due_date=own, instructions=INSTRUCTIONS
    )
    assert (
        assignment.executor,
        assignment.due_date,
        assignment.description,
        assignment.assigned_by,
    ) == ("Tomas Kazlauskas", own, INSTRUCTIONS, "head-ona")
    announced = system.outbox("assignment.created")[-1]["payload"]
    assert (announced["executor"], announced["due_date"], announced["instructions"]) == (
        "Tomas Kazlauskas",
        own.isoformat(),
        INSTRUCTIONS,
    )
    # Who did what: every naming stays in the letter's history, with the one before.
    assert [
        details for _actor, action, details in system.history(letter_id) if action == "assigned"
    ] == [
        {
            "executor": "Rūta Vaitkienė",
            "previous_executor": None,
            "due_date": legal_due.isoformat(),
            "instructions": None,
        },
        {
            "executor": "Tomas Kazlauskas",
            "previous_executor": "Rūta Vaitkienė",
            "due_date": own.isoformat(),
            "instructions": INSTRUCTIONS,
        },
    ]
    assert system.letter(letter_id).due_date == legal_due, "the letter's own date stays"


def test_a_letter_routed_before_assignments_gets_one_when_its_executor_is_named(make_system):
    system = make_system(now=MONDAY)
    letter_id = system.register(subject="Dėl senų šaligatvio plytelių")
    with system.wiring.unit_of_work() as uow:  # as an older routing left it: no assignment
        uow.session.execute(delete(Assignment).where(Assignment.letter_id == letter_id))
        uow.commit()
    head = system.principal("department_head", department="MUNI", subject="head-ona")
    _row, assignment = system.letters.assign(
        letter_id, "Rūta Vaitkienė", head, "c", instructions=INSTRUCTIONS
    )
    [stored] = system.assignment_rows(letter_id)
    assert (
        stored.id,
        stored.executor,
        stored.due_date,
        stored.description,
        stored.assigned_by,
        stored.status,
    ) == (
        assignment.id,
        "Rūta Vaitkienė",
        system.letter(letter_id).due_date,
        INSTRUCTIONS,
        "head-ona",
        "open",
    )


def test_the_timer_and_an_extension_follow_the_executors_own_date(make_system):
    system = make_system(now=datetime(2026, 3, 31, 8, 0, tzinfo=UTC))
    letter_id = system.complaint_to_muni("Skundas dėl duobių gatvėje")
    head = system.principal("department_head", department="MUNI")
    assert system.letter(letter_id).due_date == date(2026, 4, 29)
    system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c", due_date=date(2026, 4, 17))
    # Due soon by the executor's 17 April (14, 15, 16, 17 April left), not the letter's.
    system.clock.now = datetime(2026, 4, 14, 8, 0, tzinfo=UTC)
    assert system.assignments.check_due_dates("c") == (1, 0)
    system.letters.extend(letter_id, "Reikia eksperto išvados", head, "c")
    [assignment] = system.assignment_rows(letter_id)
    assert assignment.due_date == date(2026, 4, 17), "an own earlier date stands"
    system.clock.now = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)
    assert system.assignments.check_due_dates("c") == (0, 1)


def test_an_overdue_letter_changes_hands_keeping_its_date(make_system):
    system = make_system(now=MONDAY)
    letter_id = system.complaint_to_muni("Skundas dėl vėluojančio atsakymo")
    head = system.principal("department_head", department="MUNI")
    legal_due = system.letter(letter_id).due_date
    own = legal_due - timedelta(days=5)
    system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c", due_date=own)
    system.clock.now = datetime.combine(
        legal_due + timedelta(days=2), datetime.min.time(), UTC
    ) + timedelta(hours=8)
    # Both dates are past now: the one the executor had and the letter's still stand...
    for kept in (own, legal_due):
        _row, assignment = system.letters.assign(
            letter_id, "Tomas Kazlauskas", head, "c", due_date=kept
        )
        assert assignment.due_date == kept
    # ...a new past date does not.
    with pytest.raises(InvalidInput) as refused:
        system.letters.assign(
            letter_id, "Rūta Vaitkienė", head, "c", due_date=legal_due - timedelta(days=1)
        )
    assert refused.value.reason == "before today"


def test_the_executors_date_and_instructions_over_http(make_system):
    system = make_system(now=MONDAY)
    letter_id = system.register(subject="Skundas dėl neišvežtų šiukšlių", kind="complaint")
    head = system.headers("department_head", department="LEGAL", subject="head-darius")
    legal_due = system.letter(letter_id).due_date
    late = system.client.post(
        f"/letters/{letter_id}/assign",
        headers=head,
        json={
            "executor": "Ieva Kazlauskienė",
            "due_date": (legal_due + timedelta(days=1)).isoformat(),
        },
    )
    problem(late, 422, ["due_date"])
    own = (legal_due - timedelta(days=3)).isoformat()
    given = system.client.post(
        f"/letters/{letter_id}/assign",
        headers=head,
        json={"executor": "Ieva Kazlauskienė", "due_date": own, "instructions": INSTRUCTIONS},
    )
    assert given.status_code == 200, given.get_json()
    assert (
        given.get_json()["assignment"]["due_date"],
        given.get_json()["assignment"]["description"],
    ) == (own, INSTRUCTIONS)
    read = system.client.get(f"/letters/{letter_id}", headers=head).get_json()
    assert (
        read["due_date"],
        read["assignment"]["due_date"],
        read["assignment"]["description"],
        read["assignment"]["executor"],
    ) == (legal_due.isoformat(), own, INSTRUCTIONS, "Ieva Kazlauskienė")
    [mine] = system.client.get("/assignments?executor=Ieva Kazlauskienė", headers=head).get_json()[
        "items"
    ]
    assert (mine["due_date"], mine["registration_number"]) == (
        own,
        system.letter(letter_id).registration_number,
    )


# Reminders by hand ("remind now") --------------------------------------------------------


def test_the_mayors_office_reminds_now_at_most_once_an_hour(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    office = system.principal("mayor_office", subject="office-liga")
    with pytest.raises(Forbidden):
        system.assignments.remind(
            assignment.id, system.principal("department_head", department="FIN"), "c"
        )
    reminded = system.assignments.remind(assignment.id, office, "c-remind")
    assert (reminded.last_reminded_at, reminded.reminder_count) == (MONDAY, 1)
    [sent] = system.outbox("assignment.reminded")
    assert {
        key: sent["payload"][key]
        for key in (
            "assignment_id",
            "executor",
            "due_date",
            "instructions",
            "reminded_by",
            "reminded_at",
            "reminder_count",
            "confidentiality",
        )
    } == {
        "assignment_id": assignment.id,
        "executor": "Laima Stankevičienė",
        "due_date": "2026-03-13",
        "instructions": "Pristatyti tarybos komitetui.",
        "reminded_by": "office-liga",
        "reminded_at": MONDAY.isoformat(),
        "reminder_count": 1,
        "confidentiality": "normal",
    }
    system.clock.advance(minutes=59)
    with pytest.raises(TooManyRequests) as again:
        system.assignments.remind(assignment.id, office, "c")
    assert again.value.retry_after == 61
    assert "1 minutes" in again.value.detail
    system.clock.advance(minutes=1)
    assert system.assignments.remind(assignment.id, office, "c").reminder_count == 2
    assert len(system.outbox("assignment.reminded")) == 2
    system.assignments.finish(
        assignment.id, "cancelled", None, system.principal("mayor", subject="mayor-nerijus")
    )
    system.clock.advance(hours=2)
    with pytest.raises(Conflict, match="already cancelled"):
        system.assignments.remind(assignment.id, office, "c")


def test_nobody_named_is_nobody_to_remind(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system, executor=None)
    with pytest.raises(Conflict, match="nobody to remind"):
        system.assignments.remind(assignment.id, system.principal("mayor"), "c")
    assert system.outbox("assignment.reminded") == []


def test_remind_over_http_says_when_the_next_may_go(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    office = system.headers("mayor_office")
    refused = system.client.post(
        f"/assignments/{assignment.id}/remind",
        headers=system.headers("department_staff", department="FIN"),
    )
    assert refused.status_code == 403
    first = system.client.post(f"/assignments/{assignment.id}/remind", headers=office)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["reminder_count"] == 1
    assert first.get_json()["last_reminded_at"] is not None
    second = system.client.post(f"/assignments/{assignment.id}/remind", headers=office)
    assert second.status_code == 429
    assert second.mimetype == "application/problem+json"
    assert second.headers["Retry-After"] == "3601"
    assert "60 minutes" in second.get_json()["detail"]
    [listed] = system.client.get("/assignments", headers=office).get_json()["items"]
    assert listed["reminder_count"] == 1


# Lists ------------------------------------------------------------------------------------


def test_lists_filter_by_department_executor_and_overdue(make_system):
    system = make_system(now=MONDAY)
    budget = _give(system, "Biudžeto projektas", "FIN", "Laima Stankevičienė", date(2026, 3, 6))
    taxes = _give(system, "Mokesčių lengvatos", "FIN", "Paulius Grigas", date(2026, 3, 20))
    school = _give(system, "Mokyklų tinklas", "EDU", "Jonas Jonaitis", date(2026, 3, 4))
    mayor = system.principal("mayor")

    def ids(**filters):
        return [
            a["id"]
            for a in system.assignments.list(AssignmentFilters(**filters), mayor, FIRST_PAGE).items
        ]

    def seen_by(who, **filters):
        return [
            a["id"]
            for a in system.assignments.list(AssignmentFilters(**filters), who, FIRST_PAGE).items
        ]

    assert ids() == [school.id, budget.id, taxes.id]
    assert ids(department="FIN") == [budget.id, taxes.id]
    assert ids(executor="Laima Stankevičienė") == [budget.id]
    assert ids(overdue_on=date(2026, 3, 9)) == [school.id, budget.id]
    assert ids(department="FIN", overdue_on=date(2026, 3, 9)) == [budget.id]
    assert ids(due_by=date(2026, 3, 6)) == [school.id, budget.id]
    system.assignments.finish(
        school.id,
        "done",
        "Ataskaita: atlikta.",
        system.principal("department_head", department="EDU"),
    )
    assert ids(overdue_on=date(2026, 3, 9)) == [budget.id]
    assert ids(status="done") == [school.id]
    # Staff see their own department's work only; the registry sees everything.
    staff = system.principal("department_staff", department="EDU")
    assert seen_by(staff, status=None) == [school.id]
    assert seen_by(staff, department="FIN") == []
    registrar = system.principal("registrar")
    assert len(seen_by(registrar, status=None)) == 3


def test_the_assignments_api_lists_and_creates(make_system):
    system = make_system(now=MONDAY)
    response = _post_task(
        system,
        "Paruošti delegacijos iš Daugpilio programą",
        "COMM",
        "2026-03-20",
        executor="Eglė Petrauskaitė",
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert (created["department_code"], created["status"], created["letter_id"]) == (
        "COMM",
        "open",
        None,
    )
    listed = system.client.get(
        "/assignments?department=COMM&executor=Eglė Petrauskaitė",
        headers=system.headers("department_staff", department="COMM"),
    )
    assert [a["id"] for a in listed.get_json()["items"]] == [created["id"]]
    refused = _post_task(
        system,
        "Svetima užduotis",
        "COMM",
        "2026-03-20",
        headers=system.headers("department_head", department="EDU"),
    )
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    past = _post_task(system, "Vėluojanti užduotis", "COMM", "2026-03-01")
    assert past.status_code == 422
    assert past.get_json()["errors"] == [
        {"field": "due_date", "location": "json", "reason": "before today"}
    ]
    assert len(system.outbox("assignment.created")) == 1


def test_the_staff_directory_is_searched_by_name_email_and_position(system):
    keeper = system.headers("operator")
    tag = uuid.uuid4().hex[:6]
    people = {
        f"ona-{tag}": {
            "name": f"Ona Žemaitytė {tag}",
            "department_code": "FIN",
            "email": f"ona.{tag}@example.org",
            "positions": {"lt": "Buhalterė"},
        },
        f"nino-{tag}": {
            "name": f"ნინო ბერიძე {tag}",
            "department_code": "SOC",
            "email": f"nino.{tag}@example.org",
            "positions": {"ka": "სოციალური მუშაკი", "en": "Social worker"},
        },
        f"arber-{tag}": {
            "name": f"Arbër Hoxha {tag}",
            "department_code": "SOC",
            "email": None,
            "positions": {"sq": "Përgjegjës i Shërbimeve"},
        },
    }
    for subject, entry in people.items():
        saved = system.client.put(
            f"/staff/{subject}",
            headers=keeper,
            json={**entry, "language": "lt", "roles": ["department_staff"], "active": True},
        )
        assert saved.status_code == 200, saved.get_json()

    def found(**query: str) -> list[str]:
        response = system.client.get(
            "/staff", query_string=query, headers=system.headers("registrar")
        )
        assert response.status_code == 200, response.get_json()
        return [person["subject"] for person in response.get_json()["items"]]

    assert found(q=f"ZEMAITYTE {tag}") == [f"ona-{tag}"]  # case and diacritics
    assert found(q=f"arber hoxha {tag}") == [f"arber-{tag}"]
    assert found(q=f"nino.{tag}@EXAMPLE") == [f"nino-{tag}"]  # e-mail
    assert found(q="social worker") == [f"nino-{tag}"]  # a position, any language
    assert found(q="სოციალური") == [f"nino-{tag}"]
    assert found(q="sherbimeve") == [f"arber-{tag}"]
    assert found(q=tag, department="SOC") == [f"arber-{tag}", f"nino-{tag}"]
    assert found(q=f"nobody-{tag}") == []
    first = system.client.get(
        "/staff", query_string={"q": tag, "limit": 2}, headers=system.headers("registrar")
    ).get_json()
    rest = system.client.get(
        "/staff",
        query_string={"q": tag, "limit": 2, "cursor": first["next_cursor"]},
        headers=system.headers("registrar"),
    ).get_json()
    # By name: Latin letters before Georgian ones.
    assert [p["subject"] for p in first["items"] + rest["items"]] == [
        f"arber-{tag}",
        f"ona-{tag}",
        f"nino-{tag}",
    ]
    assert rest["next_cursor"] is None
    refused = system.client.get(
        "/staff", query_string={"q": ""}, headers=system.headers("registrar")
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "q"
