"""An audited read in a unit of work: one row per object, each with its data subject."""

from __future__ import annotations

from sqlalchemy import select

from chancery.audited import record_reads
from chancery.db import UnitOfWork, session_factory
from chancery.principal import Principal

OFFICER = Principal("officer-ona", frozenset({"protocol_officer"}))


def test_each_object_read_is_one_row_in_its_order_with_its_person(db):
    with UnitOfWork(session_factory(db.engine), db.tables, producer="protocol-events") as uow:
        people = {"p-2": "Nino.Beridze@example.org", "p-1": "Ilze Ozoliņa", "p-3": None}
        record_reads(uow, OFFICER, "read", "participant", people)
        uow.commit()
    with db.engine.connect() as connection:
        found = list(connection.execute(select(db.tables.audit).order_by(db.tables.audit.c.id)))
    assert [(r.actor, r.action, r.object_type, r.object_id) for r in found] == [
        ("officer-ona", "read", "participant", "p-2"),
        ("officer-ona", "read", "participant", "p-1"),
        ("officer-ona", "read", "participant", "p-3"),
    ]
    assert [r.person for r in found] == ["nino.beridze@example.org", "ilze ozoliņa", None]
