"""Foreign relations across services, each as its own processes over real RabbitMQ.

An invitation letter from a Latvian partner city, registered at intake and
routed by rule to the communications department, becomes an invitation
awaiting the mayor's decision; once approved it becomes a trip; a decision
answers and closes the letter in routing and is told to the department. A
cooperation agreement near its end gives the department exactly one
reminder by e-mail, however often the timer runs.
"""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, organisation

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "foreign-relations", "notifications")
DEPARTMENT_MAILBOX = "komunikacija@alytus.example.org"  # COMM in the Alytus profile


def _officer(system: WholeSystem) -> dict[str, str]:
    return system.headers("foreign_relations_officer", subject="Rasa Vaitkutė", department="COMM")


def _invitation_for(system: WholeSystem, letter_id: str) -> dict | None:
    invitations = system.listed(
        "foreign-relations", "/invitations", _officer(system), {"limit": 200}
    )
    return next((i for i in invitations if i["letter_id"] == letter_id), None)


def _invitation(subject: str, city: str, mailbox: str, **more: str) -> dict[str, Any]:
    """A Latvian city's invitation to the mayor, written in Latvian."""
    inviter = organisation(city, email=mailbox, language="lv", organisation=city, country="LV")
    return incoming_letter("invitation", "lv", subject, inviter, **more)


def test_an_invitation_letter_becomes_an_invitation_awaiting_decision_then_a_trip(
    system: WholeSystem,
) -> None:
    subject = f"Ielūgums uz Daugavpils pilsētas svētkiem {uuid.uuid4().hex[:6]}"
    clerk = system.headers("registrar", subject="Ona Žemaitytė")
    letter = system.register(
        clerk,
        _invitation(
            subject,
            "Daugavpils valstspilsētas pašvaldība",
            f"protokols.{uuid.uuid4().hex[:6]}@example.org",
            summary="Aicinām delegāciju uz pilsētas svētkiem augustā.",
        ),
    )

    invitation = wait_for(
        lambda: _invitation_for(system, letter["id"]), what="the invitation in foreign relations"
    )
    assert invitation["status"] == "proposed"
    assert invitation["registration_number"] == letter["registration_number"]
    assert invitation["title"] == subject
    assert invitation["inviter"] == "Daugavpils valstspilsētas pašvaldība"

    # The department is told an invitation waits for a decision (in Lithuanian).
    told = wait_for(
        lambda: [
            m
            for m in system.mails_to(DEPARTMENT_MAILBOX)
            if m["Subject"] == f"Kvietimas laukia sprendimo: {subject}"
        ],
        what="the department told of the invitation",
    )
    assert len(told) == 1
    assert letter["registration_number"] in told[0].get_body(("plain",)).get_content()

    officer = _officer(system)
    evaluated = system.call(
        "PUT",
        "foreign-relations",
        f"/invitations/{invitation['id']}/evaluation",
        200,
        officer,
        json={
            "worth_going": True,
            "proposed_head": "Vytautas Mažeika",
            "proposed_delegation": ["Vytautas Mažeika", "Rasa Vaitkutė"],
            "recommendation": "Ilgametė partnerė; verta vykti.",
        },
    ).json()
    assert evaluated["proposed_head"] == "Vytautas Mažeika"
    mayor = system.headers("mayor", subject="Vytautas Mažeika")
    approved = system.call(
        "POST",
        "foreign-relations",
        f"/invitations/{invitation['id']}/approve",
        200,
        mayor,
        json={"note": "Vykstame."},
    ).json()
    assert approved["status"] == "approved"
    system.call(
        "POST",
        "foreign-relations",
        f"/invitations/{invitation['id']}/decline",
        409,
        mayor,
        json={"note": "Per vėlu."},
    )

    departs = date.today() + timedelta(days=60)
    members = [
        {
            "name": "Vytautas Mažeika",
            "head": True,
            "passport_expires_on": (departs + timedelta(days=30)).isoformat(),
        },
        {
            "name": "Rasa Vaitkutė",
            "passport_expires_on": (departs + timedelta(days=900)).isoformat(),
        },
    ]
    trip = system.trip_to_daugavpils(officer, departs, members, invitation_id=invitation["id"])
    assert trip["status"] == "planned"
    detail = system.call("GET", "foreign-relations", f"/trips/{trip['id']}", 200, officer).json()
    assert detail["city"] == "Daugavpils"


def test_an_invitation_decided_answers_and_closes_its_letter_and_tells_the_department(
    system: WholeSystem,
) -> None:
    subject = f"Ielūgums uz Rēzeknes festivālu {uuid.uuid4().hex[:6]}"
    inviter_mailbox = f"protokols.{uuid.uuid4().hex[:6]}@example.org"
    clerk = system.headers("registrar", subject="Ona Žemaitytė")
    letter = system.register(
        clerk, _invitation(subject, "Rēzeknes valstspilsētas pašvaldība", inviter_mailbox)
    )
    invitation = wait_for(
        lambda: _invitation_for(system, letter["id"]), what="the invitation in foreign relations"
    )
    mayor = system.headers("mayor", subject="Vytautas Mažeika")
    system.call(
        "POST",
        "foreign-relations",
        f"/invitations/{invitation['id']}/decline",
        200,
        mayor,
        json={"note": "Tuo metu vyksta miesto šventė."},
    )

    # Routing hears of the decision: the letter is answered, then closed (never overdue).
    registrar = system.headers("registrar", subject="Ona Žemaitytė")

    def closed() -> dict | None:
        row = system.call("GET", "routing", f"/letters/{letter['id']}", 200, registrar).json()
        return row if row["status"] == "closed" else None

    row = wait_for(closed, what="the invitation letter closed in routing")
    assert row["answered_at"] is not None
    wait_for(
        lambda: (
            system.call("GET", "intake", f"/letters/{letter['id']}", 200, clerk).json()["status"]
            in ("answered", "closed")
            or None
        ),
        what="intake following the answer",
    )
    # The department is told, in Lithuanian, with the decision in words.
    told = wait_for(
        lambda: [
            m
            for m in system.mails_to(DEPARTMENT_MAILBOX)
            if m["Subject"] == f"Sprendimas dėl kvietimo: {subject} – atsisakyta"
        ],
        what="the department told of the decision",
    )
    body = told[0].get_body(("plain",)).get_content()
    assert "Tuo metu vyksta miesto šventė." in body
    assert letter["registration_number"] in body
    # The inviter is not told that a reply was sent: none was (only its acknowledgement).
    assert not [
        m
        for m in system.mails_to(inviter_mailbox)
        if letter["registration_number"] in m["Subject"] and "Atbilde" in m["Subject"]
    ]


def test_an_agreement_near_its_end_gives_one_reminder(system: WholeSystem) -> None:
    officer = _officer(system)
    city = f"Kutaisi-{uuid.uuid4().hex[:6]}"
    partner = system.call(
        "POST",
        "foreign-relations",
        "/partners",
        201,
        officer,
        json={
            "city": city,
            "country": "GE",
            "relationship": "twin",
            "since": "2012-05-18",
            "languages": ["ka", "en"],
            "areas": ["kultūra", "švietimas"],
        },
    ).json()
    title = f"Bendradarbiavimo sutartis su {city}"
    ends = date.today() + timedelta(days=30)
    agreement = system.call(
        "POST",
        "foreign-relations",
        "/agreements",
        201,
        officer,
        json={
            "partner_id": partner["id"],
            "title": title,
            "starts_on": "2022-01-01",
            "ends_on": ends.isoformat(),
            "renewal": "manual",
            "areas": ["kultūra"],
        },
    ).json()
    assert agreement["title"] == title

    reminders = wait_for(
        lambda: [
            m
            for m in system.mails_to(DEPARTMENT_MAILBOX)
            if title in m.get_body(("plain",)).get_content()
        ],
        what="the reminder about the agreement's end",
    )
    # The timer ticks every half second: watch several more turns tell nobody again.
    settled = time.monotonic() + 3
    wait_for(lambda: time.monotonic() > settled, what="more timer turns")
    assert (
        len(
            [
                m
                for m in system.mails_to(DEPARTMENT_MAILBOX)
                if title in m.get_body(("plain",)).get_content()
            ]
        )
        == len(reminders)
        == 1
    )
    assert ends.isoformat() in reminders[0].get_body(("plain",)).get_content()
