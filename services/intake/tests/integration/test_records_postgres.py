"""The file plan's year on the real PostgreSQL: filed, closed, transferred and destroyed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from chancery.idempotency import StoredResponse
from chancery.principal import Principal
from chancery_testing import Clock
from intake.adapters.models import Letter
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))
OFFICER = Principal(subject="dpo-1", roles=frozenset({"data_protection_officer"}))
DIRECTOR = Principal(subject="director-1", roles=frozenset({"mayor_office"}))


def test_a_years_files_are_closed_transferred_and_destroyed_on_postgresql(make_wiring) -> None:
    clock = Clock(datetime(2026, 3, 10, 7, 30, tzinfo=UTC))
    wiring = make_wiring(clock=clock)
    plans = wiring.extensions["file_plans"]
    destruction = wiring.extensions["destruction"]
    plans.import_shipped_plan(2026)
    registered = []
    for department, kind in (("LEGAL", "complaint"), ("COMM", "invitation")):
        wiring.extensions["letters"].register(
            RegisterLetter(
                direction="incoming",
                kind=kind,
                channel="email",
                language="lt",
                subject=f"Raštas {uuid.uuid4().hex[:6]} dėl Žalgirio gatvės",
                correspondent={"type": "person", "name": "Ona Žemaitytė"},
                addressee={"kind": "department", "department_code": department},
            ),
            CLERK,
            str(uuid.uuid4()),
            None,
            lambda r: registered.append(r.letter) or StoredResponse(201, {}),
        )
    assert [letter.file_reference for letter in registered] == ["3.1", "2.1"]

    clock.now = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    assert plans.close_year(2026).files_closed == 14
    plans.draft_transfer(2026, CLERK)
    plans.approve_transfer(2026, DIRECTOR)
    transfer = plans.mark_transferred(2026, CLERK)
    assert {item["code"]: item["letters"] for item in transfer.items}["2.1"] == 1

    clock.now = datetime(2032, 1, 12, 8, 0, tzinfo=UTC)
    act = destruction.draft(date(2032, 1, 12), CLERK)
    destruction.approve(act.number, "registrar", CLERK)
    destruction.approve(act.number, "data_protection_officer", OFFICER)
    assert destruction.execute(act.number, CLERK, "c").letters_destroyed == 1
    with wiring.unit_of_work() as uow:
        complaint = uow.session.get(Letter, registered[0].id)
        invitation = uow.session.get(Letter, registered[1].id)
        assert (complaint.registration_number, complaint.subject) == (
            registered[0].registration_number,
            "—",
        )
        assert invitation.subject == registered[1].subject
