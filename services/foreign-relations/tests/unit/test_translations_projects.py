"""Translations due in working days, reply drafts, project deadlines, partners' proposals."""

from __future__ import annotations

from datetime import timedelta

from chancery_testing import RESTORATION_DAY_SKIPPED

LETTER_ID = "6f1d1c8e-55a4-4c7b-a3c2-0f1e2d3c4b5a"


def test_translation_due_in_working_days_across_a_holiday_and_the_reply(system):
    # Tuesday 10 March 2026; Wednesday 11 March is a Lithuanian public holiday.
    task = system.order_translation(letter_id=LETTER_ID, registration_number="G-2026-00017")
    assert task["due_on"] == "2026-03-18"
    assert task["status"] == "queued"
    assert RESTORATION_DAY_SKIPPED in task["deadline"]["steps"]

    url = f"/translations/{task['id']}/status"
    started = system.post(url, {"status": "in_progress", "translator": "Inga"})
    assert started.get_json()["translator"] == "Inga"
    no_text = system.post(url, {"status": "done"})
    assert no_text.status_code == 422
    done = system.post(
        url,
        {
            "status": "done",
            "translated_text": "Mieli draugai! Kviečiame jus į Daugpilio miesto šventę.",
        },
    )
    assert done.status_code == 200
    assert done.get_json()["translated_text"].startswith("Mieli draugai")
    back = system.post(url, {"status": "in_progress"})
    assert back.status_code == 409

    reply = system.post(
        f"/translations/{task['id']}/reply", {"source_text": "Dėkojame už kvietimą, atvyksime."}
    )
    assert reply.status_code == 201
    outgoing = reply.get_json()
    assert (outgoing["direction"], outgoing["source_language"], outgoing["target_language"]) == (
        "outgoing",
        "lt",
        "lv",
    )
    assert outgoing["original_task_id"] == task["id"]
    assert outgoing["letter_id"] == LETTER_ID
    linked = system.get(f"/translations?letter_id={LETTER_ID}", "department_staff").get_json()[
        "items"
    ]
    assert len(linked) == 2


def test_same_language_translation_is_refused(system):
    response = system.post(
        "/translations",
        {
            "source_language": "sq",
            "target_language": "sq",
            "title": "Ftesë",
            "source_text": "Të nderuar miq",
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "target_language"


def test_project_deadlines_are_announced_once(system):
    today = system.partners.today()
    response = system.post(
        "/projects",
        {
            "title": "Interreg: Ura e Vjosës",
            "programme": "Interreg IPA",
            "partners": ["Bashkia Vlorë"],
            "budget": "125000.00",
            "department_code": "COMM",
            "deadlines": [
                {"kind": "application", "due_on": (today + timedelta(days=10)).isoformat()},
                {"kind": "report", "due_on": (today + timedelta(days=100)).isoformat()},
            ],
        },
    )
    assert response.status_code == 201, response.get_json()
    assert system.timers.run("t1") == 1
    assert system.timers.run("t2") == 0
    [message] = system.outbox("project.deadline_approaching")
    assert message["payload"]["deadline_kind"] == "application"
    assert message["payload"]["days_left"] == 10
    system.clock.advance(days=90)
    assert system.timers.run("t3") == 1


def _order(system, title: str, working_days: int) -> dict:
    return system.order_translation(
        title=title, source_text="Mīļie draugi!", working_days=working_days
    )


def test_a_translation_is_reminded_once_a_working_day_before_it_is_due(system):
    # Tuesday 10 March 2026; Wednesday 11 March is a holiday: due Friday 13 March.
    task = _order(system, "Ielūgums uz Daugavpils svētkiem", 2)
    assert task["due_on"] == "2026-03-13"
    assert system.translations.remind_due_soon("t1") == 0, "three days ahead, one working day"
    system.clock.advance(days=1)
    assert system.timers.run("t2") == 0, "the holiday is no working day: two are left"
    system.clock.advance(days=1)
    assert system.timers.run("t3") == 1
    [message] = system.outbox("translation.due_soon")
    payload = message["payload"]
    assert (payload["translation_id"], payload["title"], payload["due_on"]) == (
        task["id"],
        "Ielūgums uz Daugavpils svētkiem",
        "2026-03-13",
    )
    assert (payload["working_days_left"], payload["status"], payload["department_code"]) == (
        1,
        "queued",
        "COMM",
    )
    assert (payload["source_language"], payload["target_language"]) == ("lv", "lt")
    system.clock.advance(days=1)
    assert system.timers.run("t4") == 0, "once per translation, also on the due day"


def test_finished_and_cancelled_translations_are_not_reminded(system):
    done = _order(system, "Pateicība", 1)
    cancelled = _order(system, "Atteikums", 1)
    url = "/translations/{}/status"
    system.post(url.format(done["id"]), {"status": "in_progress"})
    finished = system.post(url.format(done["id"]), {"status": "done", "translated_text": "Padėka"})
    assert finished.status_code == 200
    gone = system.post(url.format(cancelled["id"]), {"status": "cancelled"})
    assert gone.status_code == 200
    assert system.timers.run("t1") == 0
    assert system.outbox("translation.due_soon") == []


def test_the_reminders_lead_is_configured_in_working_days(make_system):
    system = make_system(env={"FOREIGN_RELATIONS_TRANSLATION_REMINDER_WORKING_DAYS": "3"})
    assert system.settings.translation_reminder_working_days == 3
    within = _order(system, "Ielūgums", 3)
    beyond = _order(system, "Vēstule", 4)
    assert (within["due_on"], beyond["due_on"]) == ("2026-03-16", "2026-03-17")
    assert system.translations.remind_due_soon("t1") == 1
    [message] = system.outbox("translation.due_soon")
    assert (message["payload"]["translation_id"], message["payload"]["working_days_left"]) == (
        within["id"],
        3,
    )


def test_a_proposal_is_referred_and_answered(system):
    created = system.post(
        "/proposals", {"title": "Propozim për shkëmbim nxënësish", "received_on": "2026-03-02"}
    )
    assert created.status_code == 201
    url = f"/proposals/{created.get_json()['id']}"
    early = system.post(f"{url}/answer", {"answer": "Taip"})
    assert early.status_code == 409
    referred = system.post(f"{url}/refer", {"referred_to": "Švietimo komitetas"})
    assert referred.get_json()["status"] == "referred"
    [message] = system.outbox("proposal.referred")
    assert (message["payload"]["referred_to"], message["payload"]["department_code"]) == (
        "Švietimo komitetas",
        None,
    )
    answered = system.post(f"{url}/answer", {"answer": "Komitetas pritaria mainams."})
    assert answered.get_json()["status"] == "answered"


def test_a_proposal_referred_to_a_department_names_it_and_an_unknown_one_is_422(system):
    created = system.post(
        "/proposals", {"title": "Bendras jūros festivalis", "received_on": "2026-03-02"}
    )
    url = f"/proposals/{created.get_json()['id']}"
    unknown = system.post(f"{url}/refer", {"referred_to": "Niekas", "department_code": "NOPE"})
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "department_code"
    assert system.outbox("proposal.referred") == []
    referred = system.post(
        f"{url}/refer", {"referred_to": "Komunikacijos skyrius", "department_code": "COMM"}
    )
    assert referred.status_code == 200
    [message] = system.outbox("proposal.referred")
    assert message["payload"]["department_code"] == "COMM"
    assert message["payload"]["title"] == "Bendras jūros festivalis"


def test_openapi_is_published(system):
    spec = system.client.get("/openapi.json").get_json()
    assert "/invitations/{invitation_id}/approve" in spec["paths"]
    assert "/open-data/partners.csv" in spec["paths"]
