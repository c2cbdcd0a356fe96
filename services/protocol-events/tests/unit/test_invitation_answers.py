"""Invitations' answers: each guest's own link from the invitation, or staff recording one."""

from __future__ import annotations

from sqlalchemy import select

from protocol_events.adapters.models import Participant
from protocol_events.domain.invitations import token_hash

OFFICER = ("protocol_officer",)
PUBLIC = "http://127.0.0.1:8000/public/invitations/"


def move(system, event_id: str, status: str, note: str | None = None):
    return system.client.post(
        f"/events/{event_id}/status",
        json={"status": status, "note": note},
        headers=system.headers(*OFFICER),
    )


def guest(system, event_id: str, name: str, language: str, email: str) -> dict:
    response = system.client.post(
        f"/events/{event_id}/participants",
        headers=system.headers(*OFFICER),
        json={"kind": "guest", "name": name, "language": language, "email": email},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def record_answer(system, event_id: str, participant_id: str, answer: str, headers: dict):
    """Staff record ``answer`` for one participant (as heard by phone, say)."""
    return system.client.put(
        f"/events/{event_id}/participants/{participant_id}/answer",
        json={"answer": answer},
        headers=headers,
    )


def confirmed_with_two_guests(system) -> tuple[dict, dict, dict]:
    event = system.new_event()
    nino = guest(system, event["id"], "Nino Beridze", "ka", "nino.beridze@example.org")
    anna = guest(system, event["id"], "Anna Smith", "en", "anna.smith@example.org")
    move(system, event["id"], "planned")
    assert move(system, event["id"], "confirmed").status_code == 200
    return event, nino, anna


def links(system, message_type: str = "event.scheduled") -> dict[str, str]:
    return system.outbox(message_type)[-1]["payload"]["answer_urls"]


def test_each_invitation_carries_its_own_link_and_only_its_digest_is_kept(system):
    _, nino, anna = confirmed_with_two_guests(system)
    urls = links(system)
    assert set(urls) == {nino["id"], anna["id"]}
    assert all(url.startswith(PUBLIC) for url in urls.values())
    assert urls[nino["id"]] != urls[anna["id"]]
    token = urls[nino["id"]].removeprefix(PUBLIC)
    with system.wiring.engine.connect() as conn:
        stored = conn.execute(
            select(Participant.answer_token_hash).where(Participant.id == nino["id"])
        ).scalar_one()
    assert stored == token_hash(token) != token


def test_a_guest_answers_from_the_link_and_may_change_the_answer(system):
    event, nino, _ = confirmed_with_two_guests(system)
    token = links(system)[nino["id"]].removeprefix(PUBLIC)
    opened = system.client.get(f"/public/invitations/{token}")
    assert opened.status_code == 200
    assert opened.get_json()["participant_name"] == "Nino Beridze"
    assert opened.get_json()["answer"] is None
    assert opened.get_json()["venue"] == "Rotušė, Didžioji salė"
    for answer in ("tentative", "accepted"):
        answered = system.client.put(f"/public/invitations/{token}/answer", json={"answer": answer})
        assert answered.status_code == 200, answered.get_json()
        assert answered.get_json()["answer"] == answer
    read = system.client.get(
        f"/events/{event['id']}/participants", headers=system.headers(*OFFICER)
    ).get_json()["items"]
    mine = next(p for p in read if p["id"] == nino["id"])
    assert (mine["answer"], mine["answered_by"]) == ("accepted", "guest")
    assert mine["answered_at"].endswith("+02:00")  # Lithuania in March


def test_staff_record_an_answer_heard_by_phone(system):
    event, _, anna = confirmed_with_two_guests(system)
    officer = system.headers(*OFFICER, subject="officer-ona")
    recorded = record_answer(system, event["id"], anna["id"], "declined", officer)
    assert recorded.status_code == 200, recorded.get_json()
    assert (recorded.get_json()["answer"], recorded.get_json()["answered_by"]) == (
        "declined",
        "officer-ona",
    )
    refused = record_answer(system, event["id"], anna["id"], "maybe", officer)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "answer"
    resident = record_answer(
        system, event["id"], anna["id"], "accepted", system.headers("registrar")
    )
    assert resident.status_code == 403


def test_no_answer_before_the_invitation_or_after_the_event_is_cancelled(system):
    event = system.new_event()
    nino = guest(system, event["id"], "Nino Beridze", "ka", "nino.beridze@example.org")
    early = record_answer(system, event["id"], nino["id"], "accepted", system.headers(*OFFICER))
    assert early.status_code == 409
    assert early.get_json()["errors"][0]["reason"] == "draft, not confirmed"
    move(system, event["id"], "planned")
    move(system, event["id"], "confirmed")
    token = links(system)[nino["id"]].removeprefix(PUBLIC)
    move(system, event["id"], "cancelled", note="Vizitas atidėtas")
    late = system.client.put(f"/public/invitations/{token}/answer", json={"answer": "accepted"})
    assert late.status_code == 409
    assert system.client.get(f"/public/invitations/{token}").get_json()["status"] == "cancelled"


def test_an_unknown_or_malformed_link_opens_nothing(system):
    confirmed_with_two_guests(system)
    for token in ("x" * 43, "short", "y" * 101):
        response = system.client.get(f"/public/invitations/{token}")
        assert response.status_code == 404
        assert response.get_json()["detail"] == "No such invitation."


def test_a_newcomer_to_a_confirmed_event_gets_a_link_and_nobody_else_a_new_one(system):
    event, nino, _ = confirmed_with_two_guests(system)
    first = links(system)
    late = guest(system, event["id"], "Elira Hoxha", "sq", "elira.hoxha@example.org")
    updated = system.outbox("event.updated")[-1]["payload"]
    assert updated["invited"] == [late["id"]]
    assert set(updated["answer_urls"]) == {late["id"]}
    token = first[nino["id"]].removeprefix(PUBLIC)
    assert system.client.get(f"/public/invitations/{token}").status_code == 200
