"""People's rights across the five services, each as its own processes over real RabbitMQ.

A resident writes to the municipality (intake registers the letter, routing
routes it, notifications acknowledges it), books a reception appointment
(protocol-events) and travels with a delegation (foreign-relations). The
data protection officer's access request gathers all of it from the five
services; an erasure is refused for the protocol book entry, with its
reason, and done for the acknowledgement's text.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.e2e
SERVICES = {"intake", "routing", "notifications", "protocol-events", "foreign-relations"}


def _dpo(system: WholeSystem) -> dict[str, str]:
    return system.headers("data_protection_officer", subject=f"dpo-{uuid.uuid4().hex[:6]}")


def _resident_writes(system: WholeSystem, name: str, email: str) -> dict[str, Any]:
    clerk = system.headers("registrar", subject=f"clerk-{uuid.uuid4().hex[:6]}")
    letter = system.register(
        clerk,
        incoming_letter("complaint", "lt", "Dėl triukšmo Putinų kieme", person(name, email, "lt")),
    )
    wait_for(lambda: system.mails_to(email), what="the acknowledgement")
    return letter


def _resident_books(system: WholeSystem, name: str, email: str) -> None:
    protocol = system.headers("protocol_officer", subject="Aistė Kazlauskienė")
    official = system.receiving_official(
        protocol,
        {
            "name": f"Vytautas Mažeika {uuid.uuid4().hex[:4]}",
            "position": {"lt": "Meras", "en": "Mayor"},
            "addressee_kind": "mayor",
            "place": "Rotušė, 101 kab.",
        },
        range(5),
        slot=20,
    )
    clerk = system.headers(
        "registrar", subject="Ona Žemaitytė", **{"Idempotency-Key": str(uuid.uuid4())}
    )
    system.call(
        "POST",
        "protocol-events",
        "/appointments",
        201,
        clerk,
        json={
            "official_id": official["id"],
            "starts_at": system.first_free_slot(protocol, official["id"]),
            "topic": "Dėl kiemo aikštelės",
            "visitor": {"name": name, "email": email, "language": "lt"},
        },
    )


def _resident_travels(system: WholeSystem, name: str) -> None:
    officer = system.headers("foreign_relations_officer", subject="Rasa Vaitkutė")
    departs = date.today() - timedelta(days=40)
    members = [{"name": name, "head": False}]
    system.trip_to_daugavpils(officer, departs, members, title="Jaunimo mainai Daugpilyje")


def _answered(system: WholeSystem, number: int, dpo: dict[str, str]) -> dict[str, Any] | None:
    request = system.call("GET", "intake", f"/personal-data-requests/{number}", 200, dpo).json()
    return request if not request["outstanding"] else None


def _asked(
    system: WholeSystem, dpo: dict[str, str], action: str, person: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    """Ask intake to ``action`` the ``person``'s data; the request's number and its answer."""
    started = system.call(
        "POST",
        "intake",
        "/personal-data-requests",
        201,
        dpo,
        json={"action": action, "person": person},
    ).json()
    answered = wait_for(
        lambda: _answered(system, started["number"], dpo), timeout=60, what="every service's answer"
    )
    return started["number"], answered


def _by_service(request: dict[str, Any], entries: str) -> dict[str, list[dict[str, Any]]]:
    return {part["service"]: part[entries] for part in request["parts"]}


def test_an_access_request_gathers_the_residents_data_from_all_five_services(
    system: WholeSystem,
) -> None:
    name, email = "Gintarė Žukauskienė", f"gintare.{uuid.uuid4().hex[:8]}@example.org"
    letter = _resident_writes(system, name, email)
    _resident_books(system, name, email)
    _resident_travels(system, name)
    dpo = _dpo(system)
    number, request = _asked(system, dpo, "access", {"name": name, "email": email})
    assert set(request["answered"]) == SERVICES
    records = _by_service(request, "records")
    assert letter["registration_number"] in {r["reference"] for r in records["intake"]}
    assert {"letter_contact", "delivery"} <= {r["kind"] for r in records["notifications"]}
    [appointment] = [r for r in records["protocol-events"] if r["kind"] == "appointment"]
    assert appointment["data"]["visitor_name"] == name
    [travel] = [r for r in records["foreign-relations"] if r["kind"] == "traveller"]
    assert travel["data"]["trip"] == "Jaunimo mainai Daugpilyje"
    page = system.call("GET", "intake", f"/personal-data-requests/{number}/document.html", 200, dpo)
    assert name in page.text
    assert "Jaunimo mainai Daugpilyje" in page.text


def test_an_erasure_is_refused_for_the_protocol_book_and_done_for_the_notice(
    system: WholeSystem,
) -> None:
    name, email = "Rūta Šimkienė", f"ruta.{uuid.uuid4().hex[:8]}@example.org"
    letter = _resident_writes(system, name, email)
    dpo = _dpo(system)
    _, request = _asked(system, dpo, "erase", {"email": email})
    outcomes = _by_service(request, "outcomes")
    [kept] = outcomes["intake"]
    assert (kept["reference"], kept["outcome"]) == (letter["registration_number"], "kept")
    assert "protocol book" in kept["reason"]
    deliveries = [o for o in outcomes["notifications"] if o["kind"] == "delivery"]
    assert deliveries
    assert {o["outcome"] for o in deliveries} == {"erased"}
    _, gathered = _asked(system, dpo, "access", {"email": email})
    assert [r["kind"] for r in _by_service(gathered, "records")["notifications"]] == []
