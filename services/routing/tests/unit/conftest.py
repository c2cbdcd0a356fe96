"""Routing's unit-test system: a real SQLite file, the real wiring, messages and Flask.

Nothing of routing or the shared library is replaced: the system is routing's
own ``bootstrap`` with a clock the test moves by hand (``clock=``).
Intake's events go through the real message-handling core
(:func:`chancery.runtime.message_handling`), so the inbox, the catalogue's
payload validation and the outbox are all in play.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import chancery_testing
from chancery.messages.consumer import Decision, Outcome
from chancery.runtime import ServiceWiring
from chancery_testing import ARBER, JANIS, NINO, Clock, ServiceHarness, wired_service
from routing.adapters.models import (
    Assignment,
    Base,
    Endorsement,
    HistoryEntry,
    StaffMember,
    WorkflowLetter,
)
from routing.bootstrap import bootstrap
from routing.config import load_settings

# A Tuesday morning in March 2026: 09:30 in Vilnius and Riga, 11:30 in Tbilisi.
DEFAULT_NOW = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)

# Invented people, one per language the profiles use.
ONA = {**chancery_testing.ONA, "address": "Žalgirio g. 7, Alytus"}
JOHN = {
    "type": "organisation",
    "name": "Margaret Ellison",
    "organisation": "Twin Towns Association",
    "preferred_language": "en",
}
SENDERS = {"lt": ONA, "lv": JANIS, "ka": NINO, "sq": ARBER, "en": JOHN}


@dataclass
class RoutingSystem(ServiceHarness):
    """One routing deployment on its own SQLite file, with a hand-moved clock."""

    # Intake's events -------------------------------------------------------------------

    def registered_payload(
        self,
        subject: str = "Dėl neišvežtų atliekų Žalgirio gatvėje",
        kind: str = "application",
        language: str = "lt",
        sender: dict[str, Any] | None = None,
        addressee: dict[str, Any] | None = None,
        confidentiality: str = "normal",
        received_at: datetime | None = None,
        letter_id: str | None = None,
    ) -> dict[str, Any]:
        """A ``letter.registered`` payload as intake publishes it (random id and number)."""
        received_at = received_at or self.clock.now - timedelta(minutes=5)
        register = "applications" if kind in ("application", "complaint") else "incoming"
        prefix = "P" if register == "applications" else "G"
        return {
            "letter_id": letter_id or str(uuid.uuid4()),
            "registration_number": f"{prefix}-{received_at.year}-{uuid.uuid4().int % 10**5:05d}",
            "register": register,
            "kind": kind,
            "channel": "email",
            "language": language,
            "subject": subject,
            "summary": None,
            "addressee": addressee or {"kind": "mayor"},
            "sender": sender or SENDERS.get(language, ONA),
            "confidentiality": confidentiality,
            "received_at": received_at.isoformat(),
            "registered_at": max(received_at, self.clock.now).isoformat(),
            "status_lookup_code": uuid.uuid4().hex[:10].upper(),
            "municipality": self.profile.code,
        }

    def deliver(
        self,
        message_type: str,
        payload: dict[str, Any],
        message_id: str | None = None,
        producer: str = "intake",
    ) -> Decision:
        """Hand one of intake's (or ``producer``'s) messages to routing's handling core."""
        return self.handle(message_type, payload, producer, message_id)

    def register(self, **fields: Any) -> str:
        """Deliver ``letter.registered`` (see :meth:`registered_payload`); the letter's id."""
        payload = self.registered_payload(**fields)
        decision = self.deliver("letter.registered", payload)
        assert decision.outcome is Outcome.HANDLED, decision
        return payload["letter_id"]

    def complaint_to_muni(self, subject: str) -> str:
        """Register a complaint addressed to MUNI, so it is routed there; its id."""
        addressee = {"kind": "department", "department_code": "MUNI"}
        return self.register(subject=subject, kind="complaint", addressee=addressee)

    def reply(self, letter_id: str, registered_at: datetime | None = None) -> dict[str, Any]:
        """Deliver ``letter.reply_registered`` answering ``letter_id``; the payload sent."""
        registered_at = registered_at or self.clock.now
        payload = {
            "letter_id": str(uuid.uuid4()),
            "registration_number": f"S-{registered_at.year}-{uuid.uuid4().int % 10**5:05d}",
            "register": "outgoing",
            "kind": "reply",
            "language": "lt",
            "subject": "Atsakymas dėl atliekų išvežimo",
            "recipient": ONA,
            "department_code": None,
            "in_reply_to_letter_id": letter_id,
            "in_reply_to_registration_number": None,
            "registered_at": registered_at.isoformat(),
        }
        decision = self.deliver("letter.reply_registered", payload)
        assert decision.outcome is Outcome.HANDLED, decision
        return payload

    # What is stored ----------------------------------------------------------------------

    def letter(self, letter_id: str) -> WorkflowLetter:
        """A letter's workflow row as stored now."""
        with self.wiring.unit_of_work() as uow:
            row = uow.session.get(WorkflowLetter, letter_id)
            assert row is not None, f"no letter {letter_id}"
            return row

    def history(self, letter_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(actor, action, details) of a letter's history, oldest first."""
        entries = self.rows(
            select(HistoryEntry)
            .where(HistoryEntry.letter_id == letter_id)
            .order_by(HistoryEntry.id)
        )
        return [(entry.actor, entry.action, entry.details) for entry in entries]

    def assignment_rows(self, letter_id: str | None = None) -> list[Assignment]:
        """Assignments (of one letter, or all), oldest first."""
        query = select(Assignment).order_by(Assignment.created_at, Assignment.id)
        if letter_id is not None:
            query = query.where(Assignment.letter_id == letter_id)
        return self.rows(query)

    def endorsement_rows(self, letter_id: str) -> list[Endorsement]:
        """A letter's endorsements, oldest first."""
        return self.rows(
            select(Endorsement)
            .where(Endorsement.letter_id == letter_id)
            .order_by(Endorsement.requested_at)
        )

    def outbox(
        self, message_type: str | None = None, letter_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Published envelopes (oldest first), optionally of one type and one letter."""
        envelopes = super().outbox(message_type)
        if letter_id is not None:
            envelopes = [e for e in envelopes if e["payload"].get("letter_id") == letter_id]
        return envelopes

    def outbox_types(self, letter_id: str | None = None) -> list[str]:
        """The types of the published messages, oldest first."""
        return [envelope["type"] for envelope in self.outbox(letter_id=letter_id)]


def build_system(
    directory: Path, profile: str = "alytus", now: datetime = DEFAULT_NOW
) -> RoutingSystem:
    """Routing's production wiring on a fresh SQLite file in ``directory``, the profile loaded."""
    clock = Clock(now)
    settings, wiring = wired_service(
        directory, load_settings, bootstrap, {"CHANCERY_PROFILE": profile}, clock=clock
    )
    _seed_directory(wiring)
    return RoutingSystem(settings=settings, wiring=wiring, clock=clock, metadata=Base.metadata)


# Invented people the tests give work to, by department (the executor must be one).
PEOPLE = {
    "LEGAL": ("Ieva Kazlauskienė", "Dovilė Jankauskaitė", "staff-ieva"),
    "MUNI": ("Rūta Vaitkienė", "Tomas Kazlauskas"),
    "EDU": ("Jonas Jonaitis",),
    "FIN": ("Laima Stankevičienė", "Paulius Grigas"),
    "COMM": ("Eglė Petrauskaitė",),
}


def _seed_directory(wiring: ServiceWiring) -> None:
    """The people as rows, not announcements: no test expects their messages."""
    with wiring.unit_of_work() as uow:
        for department, subjects in PEOPLE.items():
            uow.session.add_all(
                StaffMember(
                    subject=subject,
                    name=subject,
                    department_code=department,
                    roles=["department_staff"],
                    positions={"lt": "Specialistas"},
                    language="lt",
                    active=True,
                    updated_at=DEFAULT_NOW,
                )
                for subject in subjects
            )
        uow.session.add(
            StaffMember(
                subject="mayor-nerijus",
                name="Nerijus Vaitkus",
                department_code=None,
                roles=["mayor"],
                positions={"lt": "Meras", "en": "Mayor"},
                language="lt",
                active=True,
                updated_at=DEFAULT_NOW,
            )
        )
        uow.commit()


@pytest.fixture(name="build_system")
def build_system_fixture() -> Callable[..., RoutingSystem]:
    """How chancery_testing's ``make_system`` and ``system`` build this service."""
    return build_system
