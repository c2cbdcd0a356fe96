"""Demo events and officials for the embedded mode: invented people, five languages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from protocol_events.adapters.models import Event
from protocol_events.usecases.events import Events
from protocol_events.usecases.officials import Officials
from protocol_events.usecases.participants import Participants

OFFICER = Principal(subject="demo-protocol-officer", roles=frozenset({"protocol_officer"}))

OFFICIALS: tuple[dict[str, Any], ...] = (
    {
        "name": "Rimantas Vaitkūnas",
        "addressee_kind": "mayor",
        "position": {
            "lt": "Meras",
            "lv": "Mērs",
            "ka": "მერი",
            "sq": "Kryetari i bashkisë",
            "en": "Mayor",
        },
        "place": "Rotušės a. 1, 201 kab.",
        "email": "mayor.office@example.org",
        "hours": [
            {"weekday": 0, "start": time(13, 0), "end": time(16, 0), "slot_minutes": 20},
            {"weekday": 4, "start": time(14, 0), "end": time(16, 0), "slot_minutes": 20},
        ],
    },
    {
        "name": "Ilze Ozoliņa",
        "addressee_kind": "deputy_mayor",
        "position": {
            "lt": "Mero pavaduotoja",
            "lv": "Mēra vietniece",
            "ka": "მერის მოადგილე",
            "sq": "Zëvendëskryetare",
            "en": "Deputy mayor",
        },
        "place": "Rotušės a. 1, 205 kab.",
        "email": "deputy.mayor@example.org",
        "hours": [{"weekday": 2, "start": time(9, 0), "end": time(12, 0), "slot_minutes": 30}],
    },
)

EVENTS: tuple[dict[str, Any], ...] = (
    {
        "kind": "delegation_visit",
        "protocol_level": "municipal",
        "days": 10,
        "hours": 8,
        "title": {
            "lt": "Partnerio miesto delegacijos vizitas",
            "lv": "Partnerpilsētas delegācijas vizīte",
            "ka": "დაძმობილებული ქალაქის დელეგაციის ვიზიტი",
            "sq": "Vizita e delegacionit të qytetit binjak",
            "en": "Twin city delegation visit",
        },
        "venue": "Rotušė, posėdžių salė",
        "participants": [
            {
                "kind": "guest",
                "name": "გიორგი ბერიძე",
                "rank": "foreign_mayor",
                "country": "GE",
                "language": "ka",
                "email": "g.beridze@example.org",
                "guest_of_honour": True,
                "speaks": True,
            },
            {
                "kind": "guest",
                "name": "Arbër Hoxha",
                "rank": "delegation_member",
                "country": "AL",
                "language": "sq",
                "email": "arber.hoxha@example.org",
            },
            {
                "kind": "internal",
                "name": "Rimantas Vaitkūnas",
                "rank": "mayor",
                "country": "LT",
                "language": "lt",
                "email": "mayor.office@example.org",
                "host": True,
                "speaks": True,
            },
        ],
    },
    {
        "kind": "press_conference",
        "protocol_level": "municipal",
        "days": 3,
        "hours": 1,
        "title": {
            "lt": "Spaudos konferencija dėl biudžeto",
            "lv": "Preses konference par budžetu",
            "ka": "პრესკონფერენცია ბიუჯეტის შესახებ",
            "sq": "Konferencë shtypi për buxhetin",
            "en": "Press conference on the budget",
        },
        "venue": "Spaudos salė",
        "participants": [],
    },
    {
        "kind": "ceremony",
        "protocol_level": "municipal",
        "days": 21,
        "hours": 2,
        "title": {
            "lt": "Garbės piliečio vardo suteikimo ceremonija",
            "lv": "Goda pilsoņa nosaukuma piešķiršanas ceremonija",
            "ka": "საპატიო მოქალაქის წოდების მინიჭების ცერემონია",
            "sq": "Ceremonia e dhënies së titullit Qytetar Nderi",
            "en": "Honorary citizen award ceremony",
        },
        "venue": "Kultūros centras",
        "participants": [],
    },
)


def load_demo_data(wiring: ServiceWiring) -> int:
    """Create the demo officials and events once (nothing when events already exist)."""
    events: Events = wiring.extensions["events"]
    participants: Participants = wiring.extensions["participants"]
    officials: Officials = wiring.extensions["officials"]
    with wiring.unit_of_work() as uow:
        if uow.session.scalar(select(func.count()).select_from(Event)):
            return 0
    for official in OFFICIALS:
        data = {k: v for k, v in official.items() if k != "hours"}
        created = officials.create_official(data)
        officials.set_hours(created.id, official["hours"])
    start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    for demo in EVENTS:
        starts_at = start + timedelta(days=demo["days"])
        event = events.create(
            {
                "kind": demo["kind"],
                "protocol_level": demo["protocol_level"],
                "title": demo["title"],
                "venue": demo["venue"],
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=demo["hours"]),
            },
            OFFICER,
        )
        for participant in demo["participants"]:
            participants.add_participant(event.id, dict(participant), OFFICER, "demo")
    return len(OFFICIALS) + len(EVENTS)
