"""The audit trail's hash chain, its verification and the data protection officer's search."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from chancery.audit import (
    REFUSED,
    AuditQuery,
    record_access,
    search_audit,
    verify_chain,
)
from chancery.auth import Principal
from chancery.cli import main
from chancery.db import utcnow
from chancery.paging import PageRequest

CLERK = Principal("clerk-ona", frozenset({"registrar"}))
HEAD = Principal("head-jonas", frozenset({"department_head"}), "COMM")


def write(db, principal: Principal, ids: list[str], people: dict | None = None,
          outcome: str = "allowed") -> None:
    with Session(db.engine) as session:
        record_access(session, db.tables.audit, principal, "read", "letter", ids, people, outcome)
        session.commit()


def verify(db):
    with Session(db.engine) as session:
        return verify_chain(session, db.tables.audit)


def rows(db) -> list:
    with db.engine.connect() as connection:
        return list(connection.execute(select(db.tables.audit).order_by(db.tables.audit.c.id)))


def test_rows_chain_from_the_start_and_verify(db):
    write(db, CLERK, ["l-1", "l-2"], {"l-1": "Ona  Žemaitytė"})
    write(db, HEAD, ["l-3"], outcome=REFUSED)
    found = rows(db)
    assert [row.id for row in found] == [1, 2, 3]
    assert found[0].prev_hash == "0" * 64
    assert found[1].prev_hash == found[0].row_hash
    assert found[2].prev_hash == found[1].row_hash
    assert found[0].person == "ona žemaitytė"
    assert found[2].outcome == "refused"
    assert verify(db).broken is None
    assert verify(db).rows == 3


def test_an_edited_actor_is_named_by_verification(db):
    write(db, CLERK, ["l-1", "l-2", "l-3"])
    with db.engine.begin() as connection:
        connection.execute(update(db.tables.audit).where(db.tables.audit.c.id == 2)
                           .values(actor="somebody-else"))
    broken = verify(db).broken
    assert broken is not None
    assert broken.id == 2
    assert "changed" in broken.reason


def test_a_removed_row_breaks_the_link_of_the_next(db):
    write(db, CLERK, ["l-1", "l-2", "l-3"])
    with db.engine.begin() as connection:
        connection.execute(delete(db.tables.audit).where(db.tables.audit.c.id == 2))
    broken = verify(db).broken
    assert broken is not None
    assert broken.id == 3
    assert "does not follow row 1" in broken.reason


def test_the_command_names_the_broken_row_and_fails(db, monkeypatch, capsys):
    write(db, CLERK, ["l-1", "l-2"])
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string())
    assert main(["audit", "verify", "--service", "routing"]) == 0
    last_at = rows(db)[1].at.isoformat()
    assert capsys.readouterr().out.strip() == \
        f"routing: 2 audit row(s), the chain holds (last row 2 at {last_at})"
    with db.engine.begin() as connection:
        connection.execute(update(db.tables.audit).where(db.tables.audit.c.id == 1)
                           .values(actor="nobody"))
    at = rows(db)[0].at.isoformat()
    assert main(["audit", "verify", "--service", "routing"]) == 1
    assert f"broken at row 1 ({at})" in capsys.readouterr().err


COUNTED = PageRequest(with_total=True)


def test_search_filters_by_person_object_actor_and_period(db):
    write(db, CLERK, ["l-1", "l-2"], {"l-1": "Ona Žemaitytė", "l-2": "ilze@example.org"})
    write(db, HEAD, ["l-1"], {"l-1": "Ona Žemaitytė"})

    def search(page=COUNTED, **filters):
        with Session(db.engine) as session:
            found = search_audit(session, db.tables.audit, AuditQuery(**filters), page)
            return found.items, found.total

    found, total = search(person="ŽEMAITYTĖ")
    assert total == 2
    assert [row["actor"] for row in found] == ["clerk-ona", "head-jonas"]
    assert search(person="Ilze@Example.org")[1] == 1
    assert search(object_id="l-1", actor="head-jonas")[1] == 1
    assert search(end=utcnow() - timedelta(minutes=1))[1] == 0
    assert search(start=utcnow() - timedelta(minutes=1))[1] == 3
    page, total = search(PageRequest(limit=1, after=(2,), with_total=True))
    assert (total, [row["id"] for row in page]) == (3, [3])
