"""Assignments: own tasks, the due-soon and overdue timer, work lists (Alytus calendar).

Alytus warns 3 working days ahead. March 2026 in Lithuania: the 11th is a holiday.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound
from chancery.paging import PageRequest
from routing.tasks import AssignmentFilters

VILNIUS = ZoneInfo("Europe/Vilnius")
MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 10:00 in Vilnius

# The default page: 50 items, more than any of these lists holds.
FIRST_PAGE = PageRequest()


def _give(system, title="Parengti biudžeto projekto pristatymą", department="FIN",
          executor="Laima Stankevičienė", due=date(2026, 3, 13), giver=None):
    giver = giver or system.principal("mayor", subject="mayor-nerijus")
    return system.tasks.create(title, "Pristatyti tarybos komitetui.", department, executor,
                               due, giver, "c-task")


def _reminders(system) -> Counter:
    return Counter(m["type"] for m in system.outbox()
                   if m["type"] in ("assignment.due_soon", "assignment.overdue"))


def _run_timer_until(system, end: datetime, every: timedelta = timedelta(hours=6)):
    """Run the timer repeatedly; the local days on which something was sent."""
    sent: list[tuple[date, int, int]] = []
    while system.clock.now <= end:
        soon, overdue = system.tasks.check_due_dates("c-timer")
        if soon or overdue:
            sent.append((system.clock.now.astimezone(VILNIUS).date(), soon, overdue))
        system.clock.advance(seconds=every.total_seconds())
    return sent


# Own assignments --------------------------------------------------------------------------

def test_the_mayor_gives_a_department_an_own_task(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    assert (assignment.letter_id, assignment.department_code, assignment.executor,
            assignment.assigned_by, assignment.due_date, assignment.status) == (
        None, "FIN", "Laima Stankevičienė", "mayor-nerijus", date(2026, 3, 13), "open")
    assert assignment.created_at == MONDAY
    [created] = system.outbox("assignment.created")
    assert created["payload"] == {
        "assignment_id": assignment.id, "letter_id": None, "registration_number": None,
        "title": "Parengti biudžeto projekto pristatymą", "department_code": "FIN",
        "executor": "Laima Stankevičienė", "due_date": "2026-03-13",
        "assigned_by": "mayor-nerijus", "assigned_by_name": "Nerijus Vaitkus",
        "created_at": MONDAY.isoformat(), "confidentiality": "normal"}
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
        assert _give(system, department="SOC", executor=None,
                     giver=system.principal(role)).status == "open"


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
    for executor, reason in (("nobody.at.all", "not in the staff directory"),
                             ("Jonas Jonaitis", "not a member of FIN")):
        with pytest.raises(InvalidInput) as refused:
            _give(system, executor=executor)
        assert (refused.value.field, refused.value.reason) == ("executor", reason)
    response = system.client.post("/assignments", headers=system.headers("mayor"), json={
        "title": "Pristatymas", "department_code": "FIN", "executor": "nobody.at.all",
        "due_date": "2026-03-13"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "executor"
    keeper = system.headers("operator")
    person = {"name": "Laima Stankevičienė", "department_code": "FIN", "language": "lt",
              "roles": ["department_staff"], "positions": {"lt": "Vyr. specialistė",
                                                           "en": "Senior specialist"}}
    left = system.client.put("/staff/Laima Stankevičienė", headers=keeper,
                             json={**person, "active": False})
    assert left.status_code == 200, left.get_json()
    with pytest.raises(InvalidInput, match="no longer active"):
        _give(system)
    [changed] = system.outbox("staff.member_changed")
    assert (changed["payload"]["active"], changed["payload"]["positions"]["lt"]) == (
        False, "Vyr. specialistė")
    listed = system.client.get("/staff?department=FIN&active=false",
                               headers=keeper).get_json()["items"]
    assert [p["subject"] for p in listed] == ["Laima Stankevičienė"]
    head = system.headers("department_head", department="FIN")
    assert system.client.put("/staff/x", headers=head, json=person).status_code == 403
    assert system.outbox("assignment.created") == []


def test_finishing_an_own_task(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    with pytest.raises(Forbidden):
        system.tasks.finish(assignment.id, "done", "Ataskaita: atlikta.",
                            system.principal("department_staff", department="FIN"))
    with pytest.raises(Forbidden):
        system.tasks.finish(assignment.id, "done", "Ataskaita: atlikta.",
                            system.principal("department_head", department="SOC"))
    system.clock.advance(days=2)
    executor = system.principal("department_staff", department="FIN",
                                subject="Laima Stankevičienė")
    with pytest.raises(InvalidInput) as unreported:
        system.tasks.finish(assignment.id, "done", "  ", executor)
    assert unreported.value.field == "report"
    report = "Sutartis su rangovu pasirašyta; darbai baigti 2026-03-11."
    done = system.tasks.finish(assignment.id, "done", report, executor)
    assert (done.status, done.completed_at, done.report) == ("done", system.clock.now, report)
    with pytest.raises(Conflict, match="already done"):
        system.tasks.finish(assignment.id, "cancelled", None, executor)
    with pytest.raises(NotFound):
        system.tasks.finish("0b7f8f7e-0000-4000-8000-000000000000", "done",
                            "Ataskaita: atlikta.", executor)


def test_done_over_http_needs_the_report_and_lists_it(make_system):
    system = make_system(now=MONDAY)
    assignment = _give(system)
    headers = system.headers("department_staff", department="FIN",
                             subject="Laima Stankevičienė")
    missing = system.client.post(f"/assignments/{assignment.id}/finish", headers=headers,
                                 json={"status": "done"})
    assert missing.status_code == 422
    assert missing.get_json()["errors"][0]["field"] == "report"
    assert system.tasks.list(AssignmentFilters(status="open"), system.principal("mayor_office"),
                             FIRST_PAGE).items[0]["status"] == "open"
    report = "Atlikta: ataskaita merui išsiųsta."
    done = system.client.post(f"/assignments/{assignment.id}/finish", headers=headers,
                              json={"status": "done", "report": report})
    assert done.status_code == 200, done.get_json()
    [listed] = system.client.get("/assignments?status=done",
                                 headers=system.headers("mayor_office")).get_json()["items"]
    assert (listed["report"], listed["assigned_by"]) == (report, assignment.assigned_by)


def test_the_giver_or_the_head_may_cancel(make_system):
    system = make_system(now=MONDAY)
    mayor = system.principal("mayor")
    first = _give(system, giver=mayor)
    assert system.tasks.finish(first.id, "cancelled", None, mayor).status == "cancelled"
    second = _give(system)
    head = system.principal("department_head", department="FIN")
    assert system.tasks.finish(second.id, "done", "Ataskaita: atlikta.", head).status == "done"


def test_a_letters_assignment_ends_only_with_the_answer(system):
    letter_id = system.register(subject="Dėl neišvežtų atliekų")
    [assignment] = system.assignments(letter_id)
    with pytest.raises(Conflict, match="ends when the letter is answered"):
        system.tasks.finish(assignment.id, "done", "Ataskaita: atlikta.",
                            system.principal("department_head", department="MUNI"))
    system.reply(letter_id)
    assert [a.status for a in system.assignments(letter_id)] == ["done"]


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
    assert system.tasks.check_due_dates("c") == (1, 0)
    system.clock.now = datetime(2026, 3, 13, 21, 59, tzinfo=UTC)  # 23:59 in Vilnius
    assert system.tasks.check_due_dates("c") == (0, 0)
    system.clock.now = datetime(2026, 3, 13, 22, 0, tzinfo=UTC)  # midnight in Vilnius
    assert system.tasks.check_due_dates("c") == (0, 1)


def test_work_found_already_overdue_gets_only_the_overdue_message(make_system):
    system = make_system(now=MONDAY)
    _give(system, due=date(2026, 3, 3))
    system.clock.now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    assert system.tasks.check_due_dates("c") == (0, 1)
    assert system.tasks.check_due_dates("c") == (0, 0)
    assert _reminders(system) == {"assignment.overdue": 1}
    assert system.outbox("assignment.overdue")[0]["payload"]["days_overdue"] == 17


def test_finished_work_gets_no_reminders(make_system):
    system = make_system(now=MONDAY)
    done = _give(system, due=date(2026, 3, 5))
    cancelled = _give(system, due=date(2026, 3, 5), giver=system.principal("mayor"))
    system.tasks.finish(done.id, "done", "Ataskaita: atlikta.",
                        system.principal("department_head", department="FIN"))
    system.tasks.finish(cancelled.id, "cancelled", None,
                        system.principal("department_head", department="FIN"))
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
        system.letter(open_letter).registration_number}


def test_an_extension_lets_the_due_soon_warning_come_again(make_system):
    system = make_system(now=datetime(2026, 3, 31, 8, 0, tzinfo=UTC))
    letter_id = system.register(subject="Skundas dėl duobių gatvėje", kind="complaint",
                                addressee={"kind": "department", "department_code": "MUNI"})
    system.clock.now = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)
    assert system.tasks.check_due_dates("c") == (1, 0)
    system.workflow.extend(letter_id, "Reikia eksperto išvados",
                           system.principal("department_head", department="MUNI"), "c")
    # 29 April + 10 working days: 30 April, 4-8 May (1 May is a holiday), 11-14 May.
    assert system.letter(letter_id).due_date == date(2026, 5, 14)
    assert system.tasks.check_due_dates("c") == (0, 0)
    system.clock.now = datetime(2026, 5, 11, 8, 0, tzinfo=UTC)
    assert system.tasks.check_due_dates("c") == (1, 0)
    assert [m["payload"]["due_date"] for m in system.outbox("assignment.due_soon")] == [
        "2026-04-29", "2026-05-14"]


# Lists ------------------------------------------------------------------------------------

def test_lists_filter_by_department_executor_and_overdue(make_system):
    system = make_system(now=MONDAY)
    budget = _give(system, "Biudžeto projektas", "FIN", "Laima Stankevičienė",
                   date(2026, 3, 6))
    taxes = _give(system, "Mokesčių lengvatos", "FIN", "Paulius Grigas", date(2026, 3, 20))
    school = _give(system, "Mokyklų tinklas", "EDU", "Jonas Jonaitis", date(2026, 3, 4))
    mayor = system.principal("mayor")

    def ids(**filters):
        return [a["id"] for a in system.tasks.list(AssignmentFilters(**filters), mayor,
                                                    FIRST_PAGE).items]

    def seen_by(who, **filters):
        return [a["id"] for a in system.tasks.list(AssignmentFilters(**filters), who,
                                                    FIRST_PAGE).items]

    assert ids() == [school.id, budget.id, taxes.id]
    assert ids(department="FIN") == [budget.id, taxes.id]
    assert ids(executor="Laima Stankevičienė") == [budget.id]
    assert ids(overdue_on=date(2026, 3, 9)) == [school.id, budget.id]
    assert ids(department="FIN", overdue_on=date(2026, 3, 9)) == [budget.id]
    assert ids(due_by=date(2026, 3, 6)) == [school.id, budget.id]
    system.tasks.finish(school.id, "done", "Ataskaita: atlikta.",
                        system.principal("department_head", department="EDU"))
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
    response = system.client.post("/assignments", headers=system.headers("mayor"), json={
        "title": "Paruošti delegacijos iš Daugpilio programą", "department_code": "COMM",
        "executor": "Eglė Petrauskaitė", "due_date": "2026-03-20"})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert (created["department_code"], created["status"], created["letter_id"]) == (
        "COMM", "open", None)
    listed = system.client.get("/assignments?department=COMM&executor=Eglė Petrauskaitė",
                               headers=system.headers("department_staff", department="COMM"))
    assert [a["id"] for a in listed.get_json()["items"]] == [created["id"]]
    refused = system.client.post("/assignments", headers=system.headers(
        "department_head", department="EDU"), json={
        "title": "Svetima užduotis", "department_code": "COMM", "due_date": "2026-03-20"})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    past = system.client.post("/assignments", headers=system.headers("mayor"), json={
        "title": "Vėluojanti užduotis", "department_code": "COMM", "due_date": "2026-03-01"})
    assert past.status_code == 422
    assert past.get_json()["errors"] == [
        {"field": "due_date", "location": "json", "reason": "before today"}]
    assert len(system.outbox("assignment.created")) == 1


def test_the_staff_directory_is_searched_by_name_email_and_position(system):
    keeper = system.headers("operator")
    tag = uuid.uuid4().hex[:6]
    people = {
        f"ona-{tag}": {"name": f"Ona Žemaitytė {tag}", "department_code": "FIN",
                       "email": f"ona.{tag}@example.org", "positions": {"lt": "Buhalterė"}},
        f"nino-{tag}": {"name": f"ნინო ბერიძე {tag}", "department_code": "SOC",
                        "email": f"nino.{tag}@example.org",
                        "positions": {"ka": "სოციალური მუშაკი", "en": "Social worker"}},
        f"arber-{tag}": {"name": f"Arbër Hoxha {tag}", "department_code": "SOC",
                         "email": None, "positions": {"sq": "Përgjegjës i Shërbimeve"}},
    }
    for subject, entry in people.items():
        saved = system.client.put(f"/staff/{subject}", headers=keeper, json={
            **entry, "language": "lt", "roles": ["department_staff"], "active": True})
        assert saved.status_code == 200, saved.get_json()

    def found(**query: str) -> list[str]:
        response = system.client.get("/staff", query_string=query,
                                     headers=system.headers("registrar"))
        assert response.status_code == 200, response.get_json()
        return [person["subject"] for person in response.get_json()["items"]]

    assert found(q=f"ZEMAITYTE {tag}") == [f"ona-{tag}"]        # case and diacritics
    assert found(q=f"arber hoxha {tag}") == [f"arber-{tag}"]
    assert found(q=f"nino.{tag}@EXAMPLE") == [f"nino-{tag}"]    # e-mail
    assert found(q="social worker") == [f"nino-{tag}"]           # a position, any language
    assert found(q="სოციალური") == [f"nino-{tag}"]
    assert found(q="sherbimeve") == [f"arber-{tag}"]
    assert found(q=tag, department="SOC") == [f"arber-{tag}", f"nino-{tag}"]
    assert found(q=f"nobody-{tag}") == []
    first = system.client.get("/staff", query_string={"q": tag, "limit": 2},
                              headers=system.headers("registrar")).get_json()
    rest = system.client.get("/staff", query_string={"q": tag, "limit": 2,
                                                     "cursor": first["next_cursor"]},
                             headers=system.headers("registrar")).get_json()
    # By name: Latin letters before Georgian ones.
    assert [p["subject"] for p in first["items"] + rest["items"]] == [
        f"arber-{tag}", f"ona-{tag}", f"nino-{tag}"]
    assert rest["next_cursor"] is None
    refused = system.client.get("/staff", query_string={"q": ""},
                                headers=system.headers("registrar"))
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "q"
