"""A letter's journey across intake and routing, each running as its own processes.

Intake and routing run as gunicorn web, worker and relay processes with
their own PostgreSQL databases, talking only over one RabbitMQ virtual host;
the test talks to them only over HTTP, like the registry's and departments'
front ends would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import requests

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.profiles.loading import load_profile
from chancery.realmode import ProcessGroup
from chancery_testing import logs_on_failure, wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, outgoing_reply, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing")
# Reads every approved endorsement routing holds as its own.
OWN_SYSTEM = True

REGISTRAR = issue_token(DEV_JWT_SECRET, ["registrar"], subject="Ona Žemaitytė")


def token(role: str, subject: str, department: str | None = None) -> str:
    return issue_token(DEV_JWT_SECRET, [role], department=department, subject=subject)


@dataclass
class Services:
    intake: str
    routing: str
    group: ProcessGroup


@pytest.fixture
def services(whole_system: WholeSystem) -> Services:
    return Services(whole_system.urls["intake"], whole_system.urls["routing"], whole_system.group)


def call(method: str, url: str, bearer: str, expected: int = 200, **kwargs: Any) -> Any:
    response = requests.request(
        method, url, headers={"Authorization": f"Bearer {bearer}"}, timeout=10, **kwargs
    )
    assert response.status_code == expected, (
        f"{method} {url}: {response.status_code} {response.text}"
    )
    return response.json() if response.content else None


def poll(
    fetch: Callable[[], Any], done: Callable[[Any], bool], what: str, timeout: float = 20
) -> Any:
    """Call ``fetch`` until ``done`` holds for its result; fail with the last result."""
    last: list[Any] = [None]

    def reached() -> bool:
        last[0] = fetch()
        return bool(done(last[0]))

    try:
        wait_for(reached, timeout, what, interval=0.1)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; last seen: {last[0]}") from None
    return last[0]


def get_or_none(url: str, bearer: str) -> dict[str, Any] | None:
    response = requests.get(url, headers={"Authorization": f"Bearer {bearer}"}, timeout=10)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.json()


def register(base: str, kind: str, subject: str, sender: str, addressee: dict) -> dict:
    return call(
        "POST",
        f"{base}/letters",
        REGISTRAR,
        201,
        json=incoming_letter(
            kind,
            "lt",
            subject,
            person(sender, "gyventojas@example.org", "lt"),
            addressee=addressee,
            summary="Gyventojas prašo išspręsti problemą kuo greičiau.",
        ),
    )


def legal_due_date(received_at: str) -> str:
    """20 working days in Alytus (Lithuanian holidays, Vilnius time) from the receipt."""
    calendar = load_profile("alytus").calendar()
    return calendar.add_working_days(datetime.fromisoformat(received_at), 20).due.isoformat()


def test_a_complaint_to_the_mayor_is_routed_endorsed_and_answered(services):
    with logs_on_failure(services.group):
        letter = register(
            services.intake,
            "complaint",
            "Skundas merui dėl neišvežamų atliekų Putinų gatvėje",
            "Algirdas Stankevičius",
            {"kind": "mayor"},
        )
        letter_id, due = letter["id"], legal_due_date(letter["received_at"])

        routed = poll(
            lambda: get_or_none(f"{services.routing}/letters/{letter_id}", REGISTRAR),
            lambda body: body is not None and body["status"] == "routed",
            "routed in routing",
        )
        assert routed["registration_number"] == letter["registration_number"]
        assert routed["department_code"] == "LEGAL"
        assert routed["copy_department_codes"] == ["COMM"]
        assert routed["rule_name"] == "Complaints addressed to the mayor"
        assert routed["due_date"] == due
        assert routed["deadline"]["due"] == due
        assert "20 working days" in routed["deadline_source"]
        assert routed["subject"] == "Skundas merui dėl neišvežamų atliekų Putinų gatvėje"

        staff = token("department_staff", "Dovilė Jankauskaitė", "LEGAL")
        queue = call(
            "GET",
            f"{services.routing}/letters",
            staff,
            params={"department": "LEGAL", "status": "routed"},
        )["items"]
        assert [(q["id"], q["due_date"]) for q in queue] == [(letter_id, due)]
        outsider = token("department_staff", "Jonas Mačiulis", "FIN")
        call("GET", f"{services.routing}/letters/{letter_id}", outsider, 403)

        head = token("department_head", "Rūta Petrauskienė", "LEGAL")
        refused = call(
            "POST",
            f"{services.routing}/letters/{letter_id}/assign",
            head,
            422,
            json={"executor": "nobody.at.all"},
        )
        assert refused["errors"][0]["field"] == "executor"
        call(
            "PUT",
            f"{services.routing}/staff/Dovilė Jankauskaitė",
            REGISTRAR,
            json={
                "name": "Dovilė Jankauskaitė",
                "department_code": "LEGAL",
                "language": "lt",
                "roles": ["department_staff"],
                "positions": {"lt": "Teisininkė"},
            },
        )
        assigned = call(
            "POST",
            f"{services.routing}/letters/{letter_id}/assign",
            head,
            json={"executor": "Dovilė Jankauskaitė"},
        )
        assert (assigned["status"], assigned["executor"]) == ("in_progress", "Dovilė Jankauskaitė")
        mine = call(
            "GET", f"{services.routing}/letters", staff, params={"executor": "Dovilė Jankauskaitė"}
        )["items"]
        assert [m["id"] for m in mine] == [letter_id]

        endorsement = call(
            "POST",
            f"{services.routing}/letters/{letter_id}/reply",
            staff,
            201,
            json={
                "subject": "Atsakymas į skundą dėl atliekų išvežimo",
                "summary": "Atliekos bus išvežtos iki penktadienio.",
                "language": "lt",
            },
        )
        assert endorsement["circuit"] == ["department_head", "director", "mayor"]
        approvers = {
            "department_head": head,
            "director": token("director", "Mindaugas Urbonas"),
            "mayor": token("mayor", "Vytautas Mažeika"),
        }
        for step, role in enumerate(endorsement["circuit"], start=1):
            approver = approvers[role]
            # Intake learns whom the circuit waits for from routing's messages (0044).
            poll(
                lambda bearer=approver: requests.get(
                    f"{services.intake}/letters/{letter_id}",
                    timeout=10,
                    headers={"Authorization": f"Bearer {bearer}"},
                ),
                lambda response: response.status_code == 200,
                f"the {role} reads the letter at intake",
            )
            waiting = call("GET", f"{services.routing}/endorsements", approver)["items"]
            assert [(w["id"], w["step"]) for w in waiting] == [(endorsement["id"], step)]
            decided = call(
                "POST",
                f"{services.routing}/endorsements/{endorsement['id']}/approve",
                approver,
                json={"comment": "Pritariu.", "step": step},
            )
            assert decided["status"] == ("approved" if step == 3 else "pending")
        # A late second click on the last step is refused, not applied twice.
        call(
            "POST",
            f"{services.routing}/endorsements/{endorsement['id']}/approve",
            approvers["mayor"],
            409,
            json={"comment": "Pritariu.", "step": 3},
        )
        # The letter is answered when the registry registers and sends the approved reply.
        [approved] = call("GET", f"{services.routing}/endorsements/approved", REGISTRAR)["items"]
        call(
            "POST",
            f"{services.intake}/letters",
            REGISTRAR,
            201,
            json=outgoing_reply(
                "lt",
                approved["reply_subject"],
                letter_id,
                person("Ona Petraitienė", "ona.petraitiene@example.org"),
                summary=approved["reply_summary"],
            ),
        )
        poll(
            lambda: call("GET", f"{services.routing}/letters/{letter_id}", REGISTRAR),
            lambda body: body["status"] == "answered",
            "answered in routing",
        )

        answered = call("GET", f"{services.routing}/letters/{letter_id}", REGISTRAR)
        assert answered["status"] == "answered"
        assert answered["answered_at"] is not None
        actions = [h["action"] for h in answered["history"]]
        assert actions.count("endorsed") == 3
        assert actions[-3:] == ["reply_approved", "answered", "status"]

        # Intake follows letter.answered (which brings the answer's time) and then
        # letter.status_changed: wait for both.
        mirrored = poll(
            lambda: call("GET", f"{services.intake}/letters/{letter_id}", REGISTRAR),
            lambda body: body["status"] == "answered" and body["answered_at"],
            "answered in intake",
        )
        assert mirrored["department_code"] == "LEGAL"
        assert mirrored["copy_department_codes"] == ["COMM"]
        assert mirrored["due_date"] == due
        assert mirrored["answered_at"] == answered["answered_at"]


def test_a_letter_no_rule_takes_waits_in_triage_and_is_routed_by_hand(services):
    with logs_on_failure(services.group):
        subject = "Padėka už surengtą Joninių šventę Dailidžių kaime"
        dry_run = call(
            "POST",
            f"{services.routing}/rules/dry-run",
            REGISTRAR,
            json={
                "kind": "letter",
                "addressee_kind": "director",
                "language": "lt",
                "subject": subject,
            },
        )
        assert dry_run["needs_triage"] is True
        assert dry_run["rule"] is None
        assert len(dry_run["rules_not_matching"]) == len(
            call("GET", f"{services.routing}/rules", REGISTRAR)["items"]
        )

        letter = register(
            services.intake, "letter", subject, "Kristina Adomaitienė", {"kind": "director"}
        )
        letter_id = letter["id"]
        waiting = poll(
            lambda: call("GET", f"{services.routing}/triage", REGISTRAR)["items"],
            lambda body: letter_id in [w["id"] for w in body],
            "in triage",
        )
        entry = next(w for w in waiting if w["id"] == letter_id)
        assert (entry["status"], entry["department_code"], entry["due_date"]) == (
            "registered",
            None,
            None,
        )
        assert entry["forward_by"] > letter["received_at"][:10]

        routed = call(
            "POST",
            f"{services.routing}/letters/{letter_id}/route",
            REGISTRAR,
            json={
                "department_code": "COMM",
                "reason": "Padėkos perduodamos Komunikacijos skyriui.",
            },
        )
        due = legal_due_date(letter["received_at"])
        assert (routed["status"], routed["department_code"], routed["due_date"]) == (
            "routed",
            "COMM",
            due,
        )
        assert letter_id not in [
            w["id"] for w in call("GET", f"{services.routing}/triage", REGISTRAR)["items"]
        ]

        # letter.status_changed (routed) comes before letter.routed (the department and the
        # due date): wait for both.
        mirrored = poll(
            lambda: call("GET", f"{services.intake}/letters/{letter_id}", REGISTRAR),
            lambda body: body["status"] == "routed" and body["department_code"],
            "routed to a department in intake",
        )
        assert mirrored["department_code"] == "COMM"
        assert mirrored["due_date"] == due
