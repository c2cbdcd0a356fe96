"""The statistics' daily tally on PostgreSQL equals a count over the letters after every
kind of write (decision 0065)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from chancery.clock import utcnow
from intake.adapters.models import Letter
from intake.adapters.tally import local_day
from intake.domain.statistics import TallyGroup, period_of, tally
from intake.usecases.letters import RegisterLetter

from .test_intake_postgres import CLERK, complaint, register, to_the_mayor

pytestmark = pytest.mark.integration


def _counted_over_the_letters(wiring) -> list[dict]:
    """The month's statistics counted straight from the letters, as decision 40 counts."""
    counted = (Letter.kind, Letter.addressee_kind, Letter.status, Letter.channel)
    query = select(Letter.registered_at, *counted).where(
        Letter.direction == "incoming", Letter.status != "voided"
    )
    with wiring.unit_of_work() as uow:
        rows = uow.session.execute(query).all()
    zone = wiring.profile.time_zone
    groups = [
        TallyGroup(period_of(local_day(row.registered_at, zone), "month"), *row[1:], 1)
        for row in rows
    ]
    return tally(groups)


def test_the_tally_follows_registrations_status_changes_voids_and_weeding_out(wiring):
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda i: register(wiring, complaint(i)).body["id"], range(24)))
    register(wiring, to_the_mayor("Laiškas merui", "Jonas Jonaitis"))
    outgoing = RegisterLetter(
        direction="outgoing",
        kind="letter",
        channel="post",
        language="lt",
        subject="Atsakymas",
        correspondent={"type": "person", "name": "Ona Žemaitytė"},
    )
    register(wiring, outgoing)
    letters, workflow = wiring.extensions["letters"], wiring.extensions["workflow"]
    letters.void(ids[0], "Registered twice.", CLERK, str(uuid.uuid4()))
    letters.weed_out(ids[1], "Not ours.", None, CLERK, str(uuid.uuid4()))
    with wiring.unit_of_work() as uow:
        workflow.follow_routing(uow.session, ids[2], "LEGAL", [], date(2027, 1, 5), utcnow())
        workflow.follow_status(uow.session, ids[3], "in_progress", utcnow())
        uow.session.get(Letter, ids[4]).registered_at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        uow.commit()
    statistics = wiring.extensions["statistics"]
    asked = statistics.statistics(date(2026, 1, 1), date(2027, 12, 31), "month", CLERK)
    assert asked == _counted_over_the_letters(wiring)
    # 25 incoming letters less the voided one; the weeded-out one counts under its status.
    assert sum(period["total"] for period in asked) == 24
    assert sum(period["status"].get("voided", 0) for period in asked) == 0
