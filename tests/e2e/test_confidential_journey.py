"""A secret letter's whole journey, and every road its subject and sender could leak by.

Intake, routing, notifications and foreign relations run as their own
processes over real RabbitMQ and PostgreSQL, mail goes to a real SMTP server
and webhooks to a real HTTP receiver. A secret complaint is registered,
routed, assigned, endorsed three times and answered; then every mail, every
feed, the webhook bodies and the lists and searches of intake and routing
are read as people without clearance: none names the subject or the sender.
The cleared reader does see both. A secret invitation letter takes the road
through foreign relations the same way (decision 17).
"""

from __future__ import annotations

import json
import uuid

import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, organisation, outgoing_reply, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "foreign-relations", "notifications")
# The webhook receiver listens on loopback over http: allowed for this test only.
EXTRA_ENV = {"NOTIFY_WEBHOOK_ALLOW_HTTP": "true", "NOTIFY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
LEGAL_MAILBOX = "teise@alytus.example.org"  # LEGAL in the Alytus profile
COMM_MAILBOX = "komunikacija@alytus.example.org"
CLEARED = "clearance_secret"


def _staff(
    system: WholeSystem, operator: dict, name: str, department: str | None, roles: list[str]
) -> dict[str, str]:
    """A staff member in routing's directory, copied to notifications: subject, e-mail."""
    subject = f"staff-{uuid.uuid4().hex[:8]}"
    email = f"{subject}@alytus.example.org"
    system.enrol_staff(
        operator,
        subject,
        {
            "name": name,
            "email": email,
            "language": "lt",
            "department_code": department,
            "roles": roles,
        },
    )
    return {"subject": subject, "email": email, "department": department or "", "roles": roles}


def _as(system: WholeSystem, member: dict, cleared: bool) -> dict[str, str]:
    roles = [*member["roles"], CLEARED] if cleared else member["roles"]
    return system.headers(
        *roles, subject=member["subject"], department=member["department"] or None
    )


def _everything_said(system: WholeSystem, members: list[dict]) -> str:
    """Every mail caught (headers and parts) and every member's feed, as one text."""
    texts = []
    for mail in system.smtp.messages:
        texts.append(f"{mail['Subject']}\n{mail['To']}")
        texts += [
            part.get_content() for part in mail.walk() if part.get_content_maintype() == "text"
        ]
    for member in members:
        feed = system.listed("notifications", "/feed", _as(system, member, cleared=True))
        texts += [f"{item['title']}\n{item['body']}" for item in feed]
    return "\n".join(texts)


def test_a_secret_letter_leaks_by_no_notice_feed_webhook_list_or_search(
    system: WholeSystem, webhook_receiver
) -> None:
    url, receiver = webhook_receiver
    operator = system.headers("operator", subject="e2e-operator")
    hook = system.call(
        "POST",
        "notifications",
        "/webhooks",
        201,
        operator,
        json={
            "name": "Teisės skyriaus sistema",
            "url": url,
            "kinds": [
                "letter.registered",
                "letter.routed",
                "assignment.created",
                "endorsement.requested",
                "endorsement.approved",
                "letter.answered",
            ],
            # As entitled as a subscription can be: secret letters still never leave.
            "receives_confidential": True,
            "receives_personal_data": True,
        },
    ).json()
    receiver.secret = hook["secret"]
    head = _staff(system, operator, "Rūta Petrauskienė", "LEGAL", ["department_head"])
    executor = _staff(system, operator, "Dovilė Jankauskaitė", "LEGAL", ["department_staff"])
    director = _staff(system, operator, "Mindaugas Urbonas", None, ["director"])
    mayor = _staff(system, operator, "Vytautas Mažeika", None, ["mayor"])
    members = [head, executor, director, mayor]

    tag = uuid.uuid4().hex[:6]
    subject = f"Pranešimas apie galimą korupciją viešuosiuose pirkimuose {tag}"
    sender = f"Petras Vaitkus {tag}"
    sender_email = f"petras.{tag}@example.org"
    reply = f"Atsakymas dėl pranešimo apie korupciją {tag}"
    clerk = system.headers("registrar", subject="Ona Žemaitytė")
    cleared_clerk = system.headers("registrar", CLEARED, subject="Ona Žemaitytė")
    letter = system.register(
        cleared_clerk,
        incoming_letter(
            "complaint",
            "lt",
            subject,
            person(sender, sender_email, "lt"),
            summary="Pranešėjas nurodo konkretų pirkimą.",
            confidentiality="secret",
        ),
    )
    letter_id, number = letter["id"], letter["registration_number"]

    # Routed by the rules; without clearance the registry cannot even open it.
    def routed_letter() -> dict | None:
        response = system.call("GET", "routing", f"/letters/{letter_id}", (200, 404), cleared_clerk)
        found = response.json() if response.status_code == 200 else None
        return found if found and found["status"] == "routed" else None

    routed = wait_for(routed_letter, what="the letter routed")
    assert (routed["department_code"], routed["subject"]) == ("LEGAL", subject)
    refused = system.call(
        "POST",
        "routing",
        f"/letters/{letter_id}/extend",
        403,
        clerk,
        json={"reason": "Reikia daugiau laiko"},
    )
    assert subject not in refused.text
    system.call("GET", "routing", f"/letters/{letter_id}", 403, clerk)

    # Assigned, replied, endorsed by the department's head, the director and the mayor.
    system.call(
        "POST",
        "routing",
        f"/letters/{letter_id}/assign",
        200,
        _as(system, head, cleared=True),
        json={"executor": executor["subject"]},
    )
    endorsement = system.call(
        "POST",
        "routing",
        f"/letters/{letter_id}/reply",
        201,
        _as(system, executor, cleared=True),
        json={"subject": reply, "summary": None, "language": "lt"},
    ).json()
    assert system.listed("routing", "/endorsements", _as(system, head, cleared=False)) == []
    for step, approver in enumerate((head, director, mayor), start=1):
        system.call(
            "POST",
            "routing",
            f"/endorsements/{endorsement['id']}/approve",
            200,
            _as(system, approver, cleared=True),
            json={"comment": "Pritariu.", "step": step},
        )
    # The registry registers and sends the approved reply: then the letter is answered.
    assert system.listed("routing", "/endorsements/approved", clerk) == []
    system.register(
        cleared_clerk,
        outgoing_reply(
            "lt", reply, letter_id, person("Vardenis Pavardenis"), confidentiality="secret"
        ),
    )
    wait_for(
        lambda: (
            system.call("GET", "intake", f"/letters/{letter_id}", 200, cleared_clerk).json()[
                "status"
            ]
            == "answered"
        ),
        what="the letter answered in intake",
    )

    # A normal letter afterwards: its webhook and mails arriving show the roads are open,
    # so what did not come for the secret one was kept back, not late.
    control = system.register(
        clerk,
        incoming_letter(
            "complaint",
            "lt",
            f"Skundas dėl gatvės apšvietimo {tag}",
            person("Ona Žemaitytė", f"ona.{tag}@example.org", "lt"),
        ),
    )
    wait_for(
        lambda: (
            {
                (b["body"]["data"]["event"], b["body"]["data"]["payload"].get("letter_id"))
                for b in receiver.received
            }
            >= {("letter.registered", control["id"]), ("letter.routed", control["id"])}
        ),
        what="the control letter's webhooks",
    )
    wait_for(
        lambda: [
            m
            for m in system.mails_to(LEGAL_MAILBOX)
            if control["registration_number"] in m["Subject"]
        ],
        what="the control letter's mail to the department",
    )

    # What the secret letter caused: neutral notices, in every feed and mailbox.
    neutral = f"Slaptas dokumentas Nr. {number}"
    department_mail = wait_for(
        lambda: [m for m in system.mails_to(LEGAL_MAILBOX) if number in m["Subject"]],
        what="the department told of the secret letter",
    )
    assert neutral in department_mail[0].get_body(("plain",)).get_content()
    wait_for(lambda: system.mails_to(sender_email), what="the sender's acknowledgement")
    feeds = {
        member["subject"]: system.listed(
            "notifications", "/feed", _as(system, member, cleared=True)
        )
        for member in members
    }
    assert any(neutral in item["body"] for item in feeds[head["subject"]])
    assert any(neutral in item["title"] for item in feeds[executor["subject"]])
    said = _everything_said(system, members)
    for protected in (subject, sender, reply, "Pranešėjas nurodo"):
        assert protected not in said, protected
    bodies = json.dumps([b["body"] for b in receiver.received], ensure_ascii=False)
    for protected in (letter_id, number, subject, sender, sender_email, reply):
        assert protected not in bodies, protected
    assert letter["status_lookup_code"] not in bodies
    assert control["status_lookup_code"] not in bodies

    # Lists and searches: nothing without clearance, everything with it.
    uncleared_executor = _as(system, executor, cleared=False)
    uncleared = [
        clerk,
        _as(system, head, cleared=False),
        uncleared_executor,
        system.headers("mayor_office", subject="e2e-mayor-office"),
    ]
    for headers in uncleared:
        for service, path, params in (
            ("routing", "/letters", {"limit": 200}),
            ("routing", "/assignments", {"status": "done"}),
            ("intake", "/letters", {"q": tag, "limit": 200}),
            ("intake", "/letters", {"limit": 200}),
        ):
            found = system.call("GET", service, path, 200, headers, params=params).text
            for protected in (subject, sender, reply):
                assert protected not in found, (service, path, protected)
    staff_assignments = system.listed(
        "routing", "/assignments", uncleared_executor, {"status": "done"}
    )
    assert f"Secret letter {number}" in [a["title"] for a in staff_assignments]
    searched = system.listed("intake", "/letters", cleared_clerk, {"q": tag})
    assert subject in json.dumps(searched, ensure_ascii=False)
    read = system.call("GET", "intake", f"/letters/{letter_id}", 200, cleared_clerk).json()
    assert (read["subject"], read["sender"]["name"]) == (subject, sender)
    cleared_executor = _as(system, executor, cleared=True)
    for path, params in (("/letters", {"limit": 200}), ("/assignments", {"status": "done"})):
        found = system.call("GET", "routing", path, 200, cleared_executor, params=params).text
        assert subject in found, path


def test_a_secret_invitation_letter_stays_with_the_cleared_in_foreign_relations(
    system: WholeSystem,
) -> None:
    operator = system.headers("operator", subject="e2e-operator")
    office = _staff(system, operator, "Laura Kazlauskienė", None, ["mayor_office"])
    tag = uuid.uuid4().hex[:6]
    subject = f"Kvietimas į uždarą merų susitikimą {tag}"
    inviter = f"Daugavpils valstspilsētas pašvaldība {tag}"
    letter = system.register(
        system.headers("registrar", CLEARED, subject="Ona Žemaitytė"),
        incoming_letter(
            "invitation",
            "lt",
            subject,
            organisation(
                "Līga Ozoliņa", email=f"liga.{tag}@example.org", language="lv", organisation=inviter
            ),
            confidentiality="secret",
        ),
    )
    # Protected letters go to LEGAL by the Alytus rules; the cleared registry hands this one
    # to foreign relations (COMM), which the uncleared registry may not.
    cleared_clerk = system.headers("registrar", CLEARED, subject="Ona Žemaitytė")
    wait_for(
        lambda: (
            system.call(
                "GET", "routing", f"/letters/{letter['id']}", (200, 404), cleared_clerk
            ).status_code
            == 200
        ),
        what="the letter routed",
    )
    reroute = {"department_code": "COMM", "reason": "Kvietimai – užsienio ryšiams"}
    refused = system.call(
        "POST",
        "routing",
        f"/letters/{letter['id']}/route",
        403,
        system.headers("registrar", subject="Jonas"),
        json=reroute,
    )
    assert subject not in refused.text
    system.call(
        "POST", "routing", f"/letters/{letter['id']}/route", 200, cleared_clerk, json=reroute
    )
    cleared_officer = system.headers(
        "foreign_relations_officer", CLEARED, subject="Rasa Vaitkutė", department="COMM"
    )

    def invitation() -> dict | None:
        listed = system.listed("foreign-relations", "/invitations", cleared_officer, {"limit": 200})
        return next((i for i in listed if i["letter_id"] == letter["id"]), None)

    found = wait_for(invitation, what="the invitation for the cleared officer")
    assert (found["title"], found["inviter"], found["confidentiality"]) == (
        subject,
        inviter,
        "secret",
    )
    for headers in (
        system.headers("foreign_relations_officer", subject="Jonas Mačiulis"),
        system.headers("department_staff", subject="Eglė", department="COMM"),
        _as(system, office, cleared=False),
    ):
        listed = system.call(
            "GET", "foreign-relations", "/invitations", 200, headers, params={"limit": 200}
        ).text
        assert subject not in listed
        assert inviter not in listed
        system.call("GET", "foreign-relations", f"/invitations/{found['id']}", 403, headers)
    told = wait_for(
        lambda: [
            m
            for m in system.mails_to(office["email"])
            if letter["registration_number"] in m.get_body(("plain",)).get_content()
        ],
        what="the mayor's office told of the invitation",
    )
    said = _everything_said(system, [office]) + "".join(
        m.get_body(("plain",)).get_content() for m in system.mails_to(COMM_MAILBOX)
    )
    assert told
    assert subject not in said
    assert inviter not in said
