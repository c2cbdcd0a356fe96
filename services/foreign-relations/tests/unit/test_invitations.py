"""Invitations from routed letters and by hand, their evaluation and decision (API + messages)."""

from __future__ import annotations

import uuid
from datetime import datetime

from chancery.paging import PageRequest
from chancery.principal import Principal
from chancery_testing import moments_not_local, problem

OFFICER = "foreign_relations_officer"
READER = Principal("reader", frozenset({"department_staff"}))


def test_registered_then_routed_makes_one_invitation_awaiting_decision(system):
    registered = system.registered_payload()
    system.deliver("letter.registered", registered)
    assert system.outbox() == []
    system.deliver("letter.routed", system.routed_payload(registered))

    [message] = system.outbox("invitation.awaiting_decision")
    payload = message["payload"]
    assert payload["letter_id"] == registered["letter_id"]
    assert payload["registration_number"] == registered["registration_number"]
    assert payload["inviter"] == "Daugavpils valstspilsētas pašvaldība"
    assert payload["title"] == "Kvietimas į Daugpilio miesto šventę"
    assert payload["department_code"] == "COMM"
    body = system.get("/invitations?status=proposed", "department_staff").get_json()["items"]
    assert [i["letter_id"] for i in body] == [registered["letter_id"]]
    assert body[0]["summary"] == "Kvietimas dalyvauti rugpjūčio 18–20 d."
    assert body[0]["received_at"].endswith(("+02:00", "+03:00")), body[0]["received_at"]
    assert moments_not_local(body, "Europe/Vilnius") == []


def test_routed_first_then_registered_and_repeats_change_nothing(system):
    registered = system.registered_payload(language="lv", subject="Ielūgums uz Daugavpils svētkiem")
    routed = system.routed_payload(registered)
    system.deliver("letter.routed", routed, message_id=str(uuid.uuid4()))
    assert system.outbox() == []
    system.deliver("letter.registered", registered)
    # The same facts again under new message ids (a re-announcement), and an exact redelivery.
    system.deliver("letter.registered", registered)
    message_id = str(uuid.uuid4())
    system.deliver("letter.routed", routed, message_id=message_id)
    system.deliver("letter.routed", routed, message_id=message_id)

    [message] = system.outbox("invitation.awaiting_decision")
    assert message["payload"]["title"] == "Ielūgums uz Daugavpils svētkiem"
    assert len(system.invitations.invitations(READER, PageRequest()).items) == 1


def test_letters_routed_elsewhere_or_of_other_kinds_are_ignored(system):
    elsewhere = system.registered_payload()
    system.deliver("letter.registered", elsewhere)
    system.deliver("letter.routed", system.routed_payload(elsewhere, department="FIN"))
    complaint = system.registered_payload(kind="complaint")
    system.deliver("letter.registered", complaint)
    system.deliver("letter.routed", system.routed_payload(complaint, kind="complaint"))
    assert system.outbox() == []
    assert system.invitations.invitations(READER, PageRequest()).items == []


def test_a_letter_rerouted_here_becomes_an_invitation(system):
    registered = system.registered_payload()
    system.deliver("letter.registered", registered)
    system.deliver("letter.routed", system.routed_payload(registered, department="FIN"))
    assert system.outbox() == []
    system.deliver("letter.routed", system.routed_payload(registered, previous="FIN"))
    assert len(system.outbox("invitation.awaiting_decision")) == 1


def _propose(system, **fields):
    body = {
        "title": "Fòrumi i qyteteve binjake",
        "inviter": "Bashkia Vlorë",
        "city": "Vlorë",
        "country": "AL",
        "starts_on": "2026-09-10",
        "ends_on": "2026-09-12",
        "respond_by": "2026-05-01",
        **fields,
    }
    response = system.post("/invitations", body)
    assert response.status_code == 201, response.get_json()
    return response


def test_evaluation_changes_are_announced_again(system):
    created = _propose(system)
    invitation_id = created.get_json()["id"]
    etag = created.headers["ETag"]
    evaluation = {
        "worth_going": True,
        "recommendation": "Verta vykti: turizmo bendradarbiavimas",
        "proposed_head": "Mero pavaduotojas",
        "proposed_delegation": ["Rūta", "Jonas"],
    }
    response = system.client.put(
        f"/invitations/{invitation_id}/evaluation",
        json=evaluation,
        headers=system.headers(OFFICER, **{"If-Match": etag}),
    )
    assert response.status_code == 200
    assert response.headers["ETag"] != etag
    again = system.client.put(
        f"/invitations/{invitation_id}/evaluation", json=evaluation, headers=system.headers(OFFICER)
    )
    assert again.status_code == 200
    messages = system.outbox("invitation.awaiting_decision")
    assert len(messages) == 2  # proposed, then the evaluation; an unchanged one is not news
    assert messages[1]["payload"]["recommendation"] == evaluation["recommendation"]
    assert messages[1]["payload"]["proposed_head"] == "Mero pavaduotojas"

    stale = system.client.put(
        f"/invitations/{invitation_id}/evaluation",
        json={"worth_going": False},
        headers=system.headers(OFFICER, **{"If-Match": etag}),
    )
    assert stale.status_code == 412


def test_a_decision_on_a_routed_invitation_letter_is_announced_for_its_letter(system):
    registered = system.registered_payload()
    system.deliver("letter.registered", registered)
    system.deliver("letter.routed", system.routed_payload(registered))
    [invitation] = system.get("/invitations").get_json()["items"]
    declined = system.post(
        f"/invitations/{invitation['id']}/decline",
        {"note": "Tuo metu vyksta miesto šventė"},
        "mayor",
    )
    assert declined.status_code == 200
    [message] = system.outbox("invitation.decided")
    payload = message["payload"]
    assert (payload["letter_id"], payload["registration_number"]) == (
        registered["letter_id"],
        registered["registration_number"],
    )
    assert (payload["status"], payload["note"]) == ("declined", "Tuo metu vyksta miesto šventė")
    assert payload["inviter"] == "Daugavpils valstspilsētas pašvaldība"
    assert payload["department_code"] == "COMM"
    # The same moment: the answer in the municipality's offset, the message in UTC.
    assert datetime.fromisoformat(payload["decided_at"]) == datetime.fromisoformat(
        declined.get_json()["decided_at"]
    )


def test_decisions_by_the_mayor_and_impossible_moves_are_409(system):
    invitation_id = _propose(system).get_json()["id"]
    officer = system.post(f"/invitations/{invitation_id}/approve", {})
    assert officer.status_code == 403
    approved = system.post(f"/invitations/{invitation_id}/approve", {"note": "Važiuojame"}, "mayor")
    assert approved.status_code == 200
    assert approved.get_json()["status"] == "approved"
    before = system.snapshot()
    refused = system.post(f"/invitations/{invitation_id}/decline", {}, "director")
    refusal = problem(refused, 409, ["status"])
    assert len(system.outbox("invitation.decided")) == 1, "a refused decision tells nobody"
    assert "approved" in refusal["detail"]
    assert "withdrawn" in refusal["detail"]
    assert system.snapshot() == before
    evaluation = system.client.put(
        f"/invitations/{invitation_id}/evaluation",
        json={"worth_going": False},
        headers=system.headers(OFFICER),
    )
    assert evaluation.status_code == 409


def test_invitation_by_a_department_system_is_idempotent(system):
    headers = system.headers("system", subject="dms-1", **{"Idempotency-Key": "inv-77"})
    body = {
        "title": "Invitation to the Baltic Cities forum",
        "inviter": "Union of Baltic Cities",
        "inviter_kind": "international_organisation",
    }
    first = system.client.post("/invitations", json=body, headers=headers)
    second = system.client.post("/invitations", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == second.get_json()["id"]
    assert len(system.outbox("invitation.awaiting_decision")) == 1
    other = system.client.post("/invitations", json={**body, "title": "Kitas"}, headers=headers)
    assert other.status_code == 422


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(system):
    before = system.snapshot()
    response = system.post(
        "/invitations",
        {"title": "x", "inviter": "y", "country": "Latvia", "starts_on": "2026-02-30"},
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert fields == {"country", "starts_on"}
    backwards = system.post(
        "/invitations",
        {"title": "x", "inviter": "y", "starts_on": "2026-05-02", "ends_on": "2026-05-01"},
    )
    assert backwards.status_code == 422
    assert backwards.get_json()["errors"][0]["field"] == "ends_on"
    assert system.client.post("/invitations", json={"title": "x"}).status_code == 401
    assert system.snapshot() == before
