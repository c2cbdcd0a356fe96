"""Invitations' answers on the real PostgreSQL: the migration's columns and unique digest, a
guest's answer from the link, staff's answer racing it (both land, the last one stands)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import ServiceWiring, migrate, web_app
from protocol_events.adapters.models import EventHistory, Participant
from protocol_events.bootstrap import bootstrap
from protocol_events.config import load_settings

pytestmark = pytest.mark.integration
PUBLIC = "https://lagodekhi.example.org/public/invitations/"


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    wired = bootstrap(
        load_settings(
            {
                "DATABASE_URL": database_url,
                "BROKER_URL": "memory://",
                "CHANCERY_DATA_DIR": str(tmp_path),
                "CHANCERY_PROFILE": "lagodekhi",
                "PROTOCOL_EVENTS_INVITATION_URL": PUBLIC,
            }
        )
    )
    migrate(wired)
    yield wired
    wired.engine.dispose()


def test_answers_from_the_link_and_from_staff_are_kept_per_participant(wiring):
    client = web_app(wiring).test_client()
    subject = f"officer-{uuid.uuid4().hex[:8]}"
    officer = {
        "Authorization": "Bearer "
        + issue_token(DEV_JWT_SECRET, ["protocol_officer"], subject=subject)
    }
    event = client.post(
        "/events",
        headers=officer,
        json={
            "kind": "delegation_visit",
            "protocol_level": "municipal",
            "title": {"ka": "ვილნიუსის დელეგაციის ვიზიტი", "en": "Vilnius delegation's visit"},
            "venue": "საკრებულოს დარბაზი",
            "starts_at": "2027-05-04T10:00:00+04:00",
            "ends_at": "2027-05-04T12:00:00+04:00",
        },
    ).get_json()
    names = [f"Guest {uuid.uuid4().hex[:6]}" for _ in range(2)]
    ids = [
        client.post(
            f"/events/{event['id']}/participants",
            headers=officer,
            json={
                "kind": "guest",
                "name": name,
                "language": "en",
                "email": f"{name.split()[1]}@example.org",
            },
        ).get_json()["id"]
        for name in names
    ]
    for status in ("planned", "confirmed"):
        assert (
            client.post(
                f"/events/{event['id']}/status", headers=officer, json={"status": status}
            ).status_code
            == 200
        )
    with wiring.engine.connect() as conn:
        [body] = conn.execute(
            select(wiring.tables.outbox.c.body).where(
                wiring.tables.outbox.c.message_type == "event.scheduled"
            )
        ).scalars()
    links = json.loads(body)["payload"]["answer_urls"]
    tokens = [links[i].removeprefix(PUBLIC) for i in ids]

    def by_guest() -> int:
        return client.put(
            f"/public/invitations/{tokens[0]}/answer", json={"answer": "accepted"}
        ).status_code

    def by_staff() -> int:
        return client.put(
            f"/events/{event['id']}/participants/{ids[0]}/answer",
            headers=officer,
            json={"answer": "tentative"},
        ).status_code

    with ThreadPoolExecutor(2) as pool:
        assert sorted(f.result() for f in [pool.submit(by_guest), pool.submit(by_staff)]) == [
            200,
            200,
        ]
    assert (
        client.put(
            f"/public/invitations/{tokens[1]}/answer", json={"answer": "declined"}
        ).status_code
        == 200
    )
    with wiring.unit_of_work() as uow:
        rows = {
            p.id: p
            for p in uow.session.scalars(
                select(Participant).where(Participant.event_id == event["id"])
            )
        }
        history = list(
            uow.session.scalars(
                select(EventHistory).where(
                    EventHistory.event_id == event["id"], EventHistory.action == "answer"
                )
            )
        )
        assert rows[ids[0]].answer in ("accepted", "tentative")
        assert rows[ids[0]].answered_by in ("guest", subject)
        assert (rows[ids[1]].answer, rows[ids[1]].answered_by) == ("declined", "guest")
        assert len({p.answer_token_hash for p in rows.values()}) == 2
        assert len(history) == 3
