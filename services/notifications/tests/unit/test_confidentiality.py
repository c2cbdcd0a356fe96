"""Notices and webhooks about protected letters (decision 17).

No notice (e-mail, in-app feed, SMS) names a confidential or secret letter's
subject, summary or correspondent: it says "Confidential letter P-2026-00012"
in the recipient's language. Secret letters never reach a webhook;
confidential ones only the subscriptions an operator entitled; access codes
never, personal data only where entitled.
"""

from __future__ import annotations

import json
import uuid

import pytest

from chancery.errors import Forbidden
from chancery.principal import Principal
from chancery_testing import sample_payloads
from notifications.domain.webhook_payloads import may_receive, webhook_payload

NEUTRAL = {
    "lt": "Slaptas dokumentas Nr. {}",
    "lv": "Slepens dokuments Nr. {}",
    "ka": "საიდუმლო დოკუმენტი № {}",
    "sq": "Shkresë sekrete nr. {}",
    "en": "Secret letter {}",
}
COMM_EMAIL = "komunikacija@alytus.example.org"
REPLY = "Atsakymas dėl tarnybinio patikrinimo"


def _texts(system, cause: str) -> str:
    """Every stored text of a cause's deliveries and feed items, as one string."""
    system.send_until(lambda: all(d.status == "delivered" for d in system.caused_by(cause)))
    deliveries = system.caused_by(cause)
    assert deliveries
    parts = [f"{d.subject}\n{d.text}\n{d.html}" for d in deliveries]
    for recipient in {d.recipient for d in deliveries if d.channel == "in_app"}:
        parts += [f"{item.title}\n{item.body}" for item in system.feed.items(recipient, False)]
    return "\n".join(parts)


def _secret_letter(system, events, language: str = "lt") -> dict:
    letter = events.registered(events.citizen(language), confidentiality="secret")
    system.publish("letter.registered", letter)
    return letter


def _staff(system, language: str, roles: list[str]) -> str:
    return system.add_staff(
        "Rūta Kairienė" if language == "lt" else "Kārlis Bērziņš",
        language,
        "COMM",
        roles,
        email=f"staff.{uuid.uuid4().hex[:6]}@alytus.example.org",
    )


@pytest.mark.parametrize("language", ["lt", "lv", "ka", "sq", "en"])
def test_the_senders_acknowledgement_names_the_level_not_the_subject(system, events, language):
    letter = events.registered(events.citizen(language), confidentiality="secret")
    cause = system.publish("letter.registered", letter)
    queued = "\n".join(delivery.text for delivery in system.caused_by(cause))
    assert letter["status_lookup_code"] in queued, "the citizen still gets their code"
    text = _texts(system, cause)
    assert letter["subject"] not in text
    assert NEUTRAL[language].format(letter["registration_number"]) in text


def test_the_department_hears_of_a_routed_secret_letter_without_its_subject(system, events):
    head, latvian = _staff(system, "lt", ["department_head"]), _staff(system, "lv", [])
    letter = _secret_letter(system, events)
    cause = system.publish(
        "letter.routed", events.routed(letter, confidentiality="secret"), producer="routing"
    )
    recipients = {(d.channel, d.recipient) for d in system.caused_by(cause)}
    assert {("in_app", head), ("in_app", latvian), ("email", COMM_EMAIL)} <= recipients
    text = _texts(system, cause)
    assert letter["subject"] not in text
    assert letter["sender"]["name"] not in text
    number = letter["registration_number"]
    assert NEUTRAL["lt"].format(number) in system.feed.items(head, False)[0].body
    assert NEUTRAL["lv"].format(number) in system.feed.items(latvian, False)[0].body


def test_a_message_without_a_level_is_as_protected_as_letter_registered_said(system, events):
    _staff(system, "lt", ["department_head"])
    letter = _secret_letter(system, events)
    routed = events.routed(letter)  # an older producer: no confidentiality field
    assert "confidentiality" not in routed
    cause = system.publish("letter.routed", routed, producer="routing")
    assert letter["subject"] not in _texts(system, cause)
    answered = system.publish("letter.answered", events.answered(letter), producer="routing")
    text = _texts(system, answered)
    assert letter["subject"] not in text
    assert NEUTRAL["lt"].format(letter["registration_number"]) in text


def test_assignments_and_endorsements_of_a_secret_letter_are_named_neutrally(system, events):
    executor = _staff(system, "lt", ["department_staff"])
    _staff(system, "lt", ["department_head"])
    assignment = events.assignment(
        executor=executor,
        assigned_by="Rūta Kairienė",
        created_at="2026-03-10T07:30:00+00:00",
        confidentiality="secret",
    )
    created = system.publish("assignment.created", assignment, producer="routing")
    text = _texts(system, created)
    assert assignment["title"] not in text
    assert f"Slaptas dokumentas Nr. {assignment['registration_number']}" in text
    facts = {
        key: value for key, value in assignment.items() if key not in ("assigned_by", "created_at")
    }
    reminded = system.publish(
        "assignment.reminded",
        {
            **facts,
            "assignment_id": str(uuid.uuid4()),
            "instructions": "Patikrinti bylą",
            "reminded_by": "office-1",
            "reminded_at": "2026-03-10T08:30:00+00:00",
            "reminder_count": 1,
        },
        producer="routing",
    )
    text = _texts(system, reminded)
    assert assignment["title"] not in text
    assert "Patikrinti bylą" not in text
    requested = system.publish(
        "endorsement.requested",
        events.endorsement(
            requested_at="2026-03-10T07:30:00+00:00", reply_subject=REPLY, confidentiality="secret"
        ),
        producer="routing",
    )
    assert REPLY not in _texts(system, requested)


def test_a_confidential_invitation_names_neither_title_nor_inviter(system, events):
    _staff(system, "lt", ["department_staff"])
    _staff(system, "lt", ["mayor_office"])
    title, inviter = "Kvietimas į uždarą forumą Vilniuje", "Ona Žemaitytė"
    cause = system.publish(
        "invitation.awaiting_decision",
        {
            **sample_payloads()["invitation.awaiting_decision"],  # to COMM
            "title": title,
            "inviter": inviter,
            "registration_number": "G-2026-00042",
            "recommendation": "Vykti",
            "confidentiality": "confidential",
        },
        producer="foreign-relations",
    )
    text = _texts(system, cause)
    assert title not in text
    assert inviter not in text
    assert "Konfidencialus dokumentas Nr. G-2026-00042" in text


# Webhooks ----------------------------------------------------------------------------


def _hook(system, url: str, **entitled: bool):
    return system.webhooks.add(
        f"Sistema {uuid.uuid4().hex[:6]}",
        url,
        ["letter.registered", "letter.routed"],
        None,
        system.operator,
        **entitled,
    )


def test_secret_letters_never_leave_and_confidential_ones_only_where_entitled(
    system, events, webhook_receiver
):
    url, _receiver = webhook_receiver
    plain, _ = _hook(system, url)
    entitled, _ = _hook(system, url, receives_confidential=True)

    def hooks(letter: dict) -> set[str]:
        cause = system.publish(
            "letter.routed",
            events.routed(letter, confidentiality=letter["confidentiality"]),
            producer="routing",
        )
        return {d.recipient for d in system.caused_by(cause) if d.channel == "webhook"}

    levels = {}
    for level in ("normal", "confidential", "secret"):
        letter = events.registered(events.citizen("lt"), confidentiality=level)
        system.publish("letter.registered", letter)
        levels[level] = hooks(letter)
    assert levels == {
        "normal": {f"webhook:{plain.id}", f"webhook:{entitled.id}"},
        "confidential": {f"webhook:{entitled.id}"},
        "secret": set(),
    }


def test_a_webhook_body_carries_no_access_code_and_personal_data_only_where_entitled(
    system, events, webhook_receiver
):
    url, _receiver = webhook_receiver
    plain, _ = _hook(system, url)
    personal, _ = _hook(system, url, receives_personal_data=True)
    letter = events.registered(events.citizen("lt"))
    cause = system.publish("letter.registered", letter)
    bodies = {d.recipient: d.text for d in system.caused_by(cause) if d.channel == "webhook"}
    assert set(bodies) == {f"webhook:{plain.id}", f"webhook:{personal.id}"}
    for text in bodies.values():
        assert letter["status_lookup_code"] not in text
        payload = json.loads(text)["data"]["payload"]
        assert payload["registration_number"] == letter["registration_number"]
        assert payload["confidentiality"] == "normal"
    assert letter["sender"]["email"] not in bodies[f"webhook:{plain.id}"]
    assert letter["sender"]["name"] not in bodies[f"webhook:{plain.id}"]
    assert (
        json.loads(bodies[f"webhook:{personal.id}"])["data"]["payload"]["sender"]["email"]
        == letter["sender"]["email"]
    )


@pytest.mark.parametrize("entitlement", ["receives_confidential", "receives_personal_data"])
def test_only_an_operator_entitles_a_webhook(system, entitlement, webhook_receiver):
    url, _receiver = webhook_receiver
    registrar = Principal("registrar-1", frozenset({"registrar"}))
    with pytest.raises(Forbidden):
        system.webhooks.add(
            "Sistema",
            "https://dms.alytus.example.org/hooks",
            ["letter.routed"],
            None,
            registrar,
            **{entitlement: True},
        )
    response = system.client.post(
        "/webhooks",
        headers=system.headers("registrar"),
        json={
            "name": "Sistema",
            "url": "https://dms.alytus.example.org/hooks",
            "kinds": ["letter.routed"],
            entitlement: True,
        },
    )
    assert response.status_code == 403
    created = system.client.post(
        "/webhooks",
        headers=system.headers("operator"),
        json={"name": "Sistema", "url": url, "kinds": ["letter.routed"], entitlement: True},
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()[entitlement] is True


@pytest.mark.parametrize(
    ("level", "entitled", "expected"),
    [
        ("normal", False, True),
        ("confidential", False, False),
        ("confidential", True, True),
        ("secret", True, False),
        ("top-secret", True, False),
    ],
)
def test_which_subscription_may_receive_which_level(level, entitled, expected):
    assert may_receive(level, entitled) is expected


def test_a_payload_keeps_what_a_department_system_needs():
    payload = {
        "invitation_id": "i-1",
        "title": "Kvietimas",
        "inviter": "Ona Žemaitytė",
        "department_code": "COMM",
        "status_lookup_code": "K7Q2M4XPAB",
        "sender": {"name": "Ona Žemaitytė"},
    }
    assert webhook_payload(payload, "normal", receives_personal_data=False) == {
        "invitation_id": "i-1",
        "title": "Kvietimas",
        "department_code": "COMM",
    }
    entitled = webhook_payload(payload, "confidential", receives_personal_data=True)
    without_code = {k: v for k, v in payload.items() if k != "status_lookup_code"}
    assert entitled == {**without_code, "confidentiality": "confidential"}
