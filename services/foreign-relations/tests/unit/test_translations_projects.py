"""Translations due in working days, reply drafts, project deadlines, partners' proposals."""

from __future__ import annotations

from datetime import timedelta

OFFICER = "foreign_relations_officer"
LETTER_ID = "6f1d1c8e-55a4-4c7b-a3c2-0f1e2d3c4b5a"


def test_translation_due_in_working_days_across_a_holiday_and_the_reply(system):
    # Tuesday 10 March 2026; Wednesday 11 March is a Lithuanian public holiday.
    response = system.client.post("/translations", headers=system.headers(OFFICER), json={
        "source_language": "lv", "target_language": "lt", "title": "Ielūgums",
        "source_text": "Mīļie draugi! Ielūdzam jūs uz Daugavpils pilsētas svētkiem.",
        "letter_id": LETTER_ID, "registration_number": "G-2026-00017"})
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert task["due_on"] == "2026-03-18"
    assert task["status"] == "queued"
    assert {"code": "skipped", "day": "2026-03-11", "reason": {
        "kind": "holiday", "day": "2026-03-11",
        "name": "Day of Restoration of Independence of Lithuania"}} in task["deadline"]["steps"]

    url = f"/translations/{task['id']}/status"
    started = system.client.post(url, json={"status": "in_progress", "translator": "Inga"},
                                 headers=system.headers(OFFICER))
    assert started.get_json()["translator"] == "Inga"
    no_text = system.client.post(url, json={"status": "done"}, headers=system.headers(OFFICER))
    assert no_text.status_code == 422
    done = system.client.post(url, headers=system.headers(OFFICER), json={
        "status": "done",
        "translated_text": "Mieli draugai! Kviečiame jus į Daugpilio miesto šventę."})
    assert done.status_code == 200
    assert done.get_json()["translated_text"].startswith("Mieli draugai")
    back = system.client.post(url, json={"status": "in_progress"},
                              headers=system.headers(OFFICER))
    assert back.status_code == 409

    reply = system.client.post(f"/translations/{task['id']}/reply",
                               headers=system.headers(OFFICER),
                               json={"source_text": "Dėkojame už kvietimą, atvyksime."})
    assert reply.status_code == 201
    outgoing = reply.get_json()
    assert (outgoing["direction"], outgoing["source_language"], outgoing["target_language"]) == \
        ("outgoing", "lt", "lv")
    assert outgoing["original_task_id"] == task["id"]
    assert outgoing["letter_id"] == LETTER_ID
    linked = system.client.get(f"/translations?letter_id={LETTER_ID}",
                               headers=system.headers("department_staff")).get_json()["items"]
    assert len(linked) == 2


def test_same_language_translation_is_refused(system):
    response = system.client.post("/translations", headers=system.headers(OFFICER), json={
        "source_language": "sq", "target_language": "sq", "title": "Ftesë",
        "source_text": "Të nderuar miq"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "target_language"


def test_project_deadlines_are_announced_once(system):
    today = system.timers.today()
    response = system.client.post("/projects", headers=system.headers(OFFICER), json={
        "title": "Interreg: Ura e Vjosës", "programme": "Interreg IPA",
        "partners": ["Bashkia Vlorë"], "budget": "125000.00", "department_code": "COMM",
        "deadlines": [{"kind": "application", "due_on": (today + timedelta(days=10)).isoformat()},
                      {"kind": "report", "due_on": (today + timedelta(days=100)).isoformat()}]})
    assert response.status_code == 201, response.get_json()
    assert system.timers.run("t1") == 1
    assert system.timers.run("t2") == 0
    [message] = system.outbox("project.deadline_approaching")
    assert message["payload"]["deadline_kind"] == "application"
    assert message["payload"]["days_left"] == 10
    system.clock.advance(days=90)
    assert system.timers.run("t3") == 1


def test_a_proposal_is_referred_and_answered(system):
    created = system.client.post("/proposals", headers=system.headers(OFFICER), json={
        "title": "Propozim për shkëmbim nxënësish", "received_on": "2026-03-02"})
    assert created.status_code == 201
    url = f"/proposals/{created.get_json()['id']}"
    early = system.client.post(f"{url}/answer", json={"answer": "Taip"},
                               headers=system.headers(OFFICER))
    assert early.status_code == 409
    referred = system.client.post(f"{url}/refer", json={"referred_to": "Švietimo komitetas"},
                                  headers=system.headers(OFFICER))
    assert referred.get_json()["status"] == "referred"
    [message] = system.outbox("proposal.referred")
    assert (message["payload"]["referred_to"], message["payload"]["department_code"]) == (
        "Švietimo komitetas", None)
    answered = system.client.post(f"{url}/answer", headers=system.headers(OFFICER),
                                  json={"answer": "Komitetas pritaria mainams."})
    assert answered.get_json()["status"] == "answered"


def test_a_proposal_referred_to_a_department_names_it_and_an_unknown_one_is_422(system):
    created = system.client.post("/proposals", headers=system.headers(OFFICER), json={
        "title": "Bendras jūros festivalis", "received_on": "2026-03-02"})
    url = f"/proposals/{created.get_json()['id']}"
    unknown = system.client.post(f"{url}/refer", headers=system.headers(OFFICER),
                                 json={"referred_to": "Niekas", "department_code": "NOPE"})
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "department_code"
    assert system.outbox("proposal.referred") == []
    referred = system.client.post(f"{url}/refer", headers=system.headers(OFFICER),
                                  json={"referred_to": "Komunikacijos skyrius",
                                        "department_code": "COMM"})
    assert referred.status_code == 200
    [message] = system.outbox("proposal.referred")
    assert message["payload"]["department_code"] == "COMM"
    assert message["payload"]["title"] == "Bendras jūros festivalis"


def test_openapi_is_published(system):
    spec = system.client.get("/openapi.json").get_json()
    assert "/invitations/{invitation_id}/approve" in spec["paths"]
    assert "/open-data/partners.csv" in spec["paths"]
