"""A destruction act carried out across intake, routing and notifications as real processes.

Letters are registered this year in a case file kept one year, routed and
acknowledged. Intake's processes are then restarted with their clock moved
past the file's retention (``CHANCERY_TEST_CLOCK_OFFSET_DAYS``, a test run's
setting): the year is closed, an act drawn up, approved by two people in
their two roles and executed. Afterwards the scans and the personal data are
gone from intake, routing and notifications, while the registration numbers
and dates stay in the protocol book and a search for the sender finds nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from chancery.realmode import wait_until_healthy
from chancery_testing import unique, wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "notifications")
# Restarts intake with its clock a year ahead and closes the year.
OWN_SYSTEM = True
VILNIUS = ZoneInfo("Europe/Vilnius")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
PLAN = (
    "code,parent,title,department,retention,legal_basis,medium,kinds\n"
    "9,,Teisės skyriaus bylos,LEGAL,permanent,Bendroji rodyklė 1 p. (neverifikuota),mixed,\n"
    "9.1,9,Gyventojų skundai,LEGAL,1,Bendroji rodyklė 22 p. (neverifikuota),electronic,"
    "complaint\n"
    "9.2,9,Kvietimai ir sutartys,LEGAL,permanent,Bendroji rodyklė 3 p. (neverifikuota),"
    "paper,invitation\n"
)


def _register(
    system: WholeSystem, clerk: dict, kind: str, name: str, email: str, subject: str
) -> dict:
    letter = incoming_letter(
        kind,
        "lt",
        subject,
        person(name, email, "lt"),
        addressee={"kind": "department", "department_code": "LEGAL"},
        summary="Gyventoja prašo išspręsti problemą kuo greičiau.",
    )
    return system.register(clerk, letter)


def _in_routing(
    system: WholeSystem, reader: dict, letter_id: str, subject: str | None = None
) -> dict | None:
    response = system.call("GET", "routing", f"/letters/{letter_id}", (200, 404), reader)
    found = response.json() if response.status_code == 200 else None
    return found if found and (subject is None or found["subject"] == subject) else None


def _deliveries_to(system: WholeSystem, reader: dict, email: str) -> list[dict]:
    return system.listed("notifications", "/deliveries", reader, {"recipient": email})


def _found(system: WholeSystem, clerk: dict, words: str) -> list[str]:
    hits = system.listed("intake", "/letters", clerk, {"q": words, "limit": 50})
    return [hit["registration_number"] for hit in hits]


def _contacts_kept(system: WholeSystem, letter_ids: list[str]) -> int:
    engine = create_engine(system.databases["notifications"])
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM letter_contacts WHERE letter_id = ANY(:ids)"),
                {"ids": letter_ids},
            ).scalar_one()
    finally:
        engine.dispose()


def _move_intakes_clock(system: WholeSystem, days: int) -> None:
    """Restart intake's web, worker and relay with their use cases' clock ``days`` ahead."""
    moved = {"CHANCERY_TESTING": "true", "CHANCERY_TEST_CLOCK_OFFSET_DAYS": str(days)}
    for kind in ("web", "worker", "relay"):
        system.group.kill(f"intake-{kind}")
        system.group.restart(f"intake-{kind}", moved)
    wait_until_healthy(
        system.url("intake", "/readyz"), process=system.group.processes["intake-web"].popen
    )


def test_a_destruction_act_empties_every_service_but_keeps_the_protocol_book(
    system: WholeSystem,
) -> None:
    clerk = system.headers("registrar", subject=unique("registrar-"))
    operator = system.headers("operator", subject=unique("operator-"))
    year = datetime.now(VILNIUS).year
    system.call(
        "PUT",
        "intake",
        f"/file-plan/{year}",
        200,
        {**clerk, "Content-Type": "text/csv"},
        data=PLAN.encode(),
    )

    surname = unique("Žemaitytė")
    email = f"{unique('ona-')}@example.org"
    complaint = _register(
        system,
        clerk,
        "complaint",
        f"Ona {surname}",
        email,
        "Dėl neišvežtų šiukšlių Žalgirio gatvėje",
    )
    invitation = _register(
        system,
        clerk,
        "invitation",
        f"Rūta {surname}",
        f"{unique('ruta-')}@example.org",
        "Kvietimas į miesto šventę",
    )
    assert (complaint["file_reference"], invitation["file_reference"]) == ("9.1", "9.2")
    system.call(
        "POST",
        "intake",
        f"/letters/{complaint['id']}/attachments",
        201,
        clerk,
        files={"file": ("skundas.pdf", PDF, "application/pdf")},
    )
    routed = wait_for(
        lambda: _in_routing(system, clerk, complaint["id"]), what="the complaint routed"
    )
    assert routed["subject"] == "Dėl neišvežtų šiukšlių Žalgirio gatvėje"
    wait_for(lambda: system.mails_to(email), what="the acknowledgement mailed")
    told = wait_for(
        lambda: [d for d in _deliveries_to(system, operator, email) if d["status"] == "delivered"],
        what="the notices delivered",
    )
    assert _contacts_kept(system, [complaint["id"]]) == 1
    assert set(_found(system, clerk, surname)) == {
        complaint["registration_number"],
        invitation["registration_number"],
    }

    # Too early: the year is not over, so nothing closes.
    system.call("POST", "intake", f"/file-plan/{year}/close", 409, clerk)
    # Past the one-year retention (counted from 1 January of the next year).
    due = date(year + 2, 1, 10)
    _move_intakes_clock(system, (due - datetime.now(VILNIUS).date()).days)
    closed = system.call("POST", "intake", f"/file-plan/{year}/close", 200, clerk).json()
    assert closed["files_closed"] == 3

    act = system.call(
        "POST", "intake", "/destruction-acts", 201, clerk, json={"as_of": due.isoformat()}
    ).json()
    assert [(item["code"], item["letters"]) for item in act["items"]] == [("9.1", 1)]
    number = act["number"]
    system.call(
        "POST",
        "intake",
        f"/destruction-acts/{number}/approve",
        200,
        clerk,
        json={"role": "registrar"},
    )
    officer = system.headers("data_protection_officer", subject=unique("dpo-"))
    approved = system.call(
        "POST",
        "intake",
        f"/destruction-acts/{number}/approve",
        200,
        officer,
        json={"role": "data_protection_officer"},
    ).json()
    assert approved["status"] == "approved"
    executed = system.call(
        "POST", "intake", f"/destruction-acts/{number}/execute", 200, clerk
    ).json()
    assert (executed["status"], executed["letters_destroyed"]) == ("executed", 1)

    # Intake: the scan and the correspondent are gone, the number and dates stay.
    kept = system.call("GET", "intake", f"/letters/{complaint['id']}", 200, clerk).json()
    assert kept["registration_number"] == complaint["registration_number"]
    assert kept["registered_at"] == complaint["registered_at"]
    assert kept["attachments"] == []
    assert kept["subject"] == "—"
    assert surname not in str(kept)
    assert email not in str(kept)
    assert _found(system, clerk, surname) == [invitation["registration_number"]]
    book = system.call(
        "GET",
        "intake",
        "/protocol-book",
        200,
        clerk,
        params={"from": date(year, 1, 1).isoformat(), "to": date(year, 12, 31).isoformat()},
    ).text
    assert complaint["registration_number"] in book
    assert f"Rūta {surname}" in book
    assert f"Ona {surname}" not in book
    assert email not in book
    # Routing and notifications, told by destruction.executed over the bus.
    emptied = wait_for(
        lambda: _in_routing(system, clerk, complaint["id"], subject="—"),
        what="routing emptied the subject",
    )
    assert emptied["registration_number"] == complaint["registration_number"]
    wait_for(
        lambda: _contacts_kept(system, [complaint["id"]]) == 0,
        what="notifications forgot the sender",
    )
    assert _deliveries_to(system, operator, email) == []
    for delivery in told:  # kept with its status and dates, without whom and what
        emptied = system.call(
            "GET", "notifications", f"/notifications/{delivery['id']}", 200, clerk
        ).json()
        assert emptied["recipient"] == f"destroyed:{delivery['id']}"
        assert (emptied["subject"], emptied["status"]) == ("—", "delivered")
    assert (
        system.call("GET", "intake", f"/letters/{invitation['id']}", 200, clerk).json()["subject"]
        == "Kvietimas į miesto šventę"
    )
