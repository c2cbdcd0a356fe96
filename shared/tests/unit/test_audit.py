"""The audit trail's hash chain, its verification and the data protection officer's search."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import Column, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from chancery.audit import (
    REFUSED,
    AuditQuery,
    person_key,
    record_access,
    record_export,
    row_hash,
    search_audit,
    subjects_hash,
    verify_chain,
)
from chancery.cli import main
from chancery.clock import utcnow
from chancery.paging import PageRequest
from chancery.principal import Principal

CLERK = Principal("clerk-ona", frozenset({"registrar"}))
HEAD = Principal("head-jonas", frozenset({"department_head"}), "COMM")


def write(
    db, principal: Principal, ids: list[str], people: dict | None = None, outcome: str = "allowed"
) -> None:
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
        connection.execute(
            update(db.tables.audit).where(db.tables.audit.c.id == 2).values(actor="somebody-else")
        )
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
    assert (
        capsys.readouterr().out.strip()
        == f"routing: 2 audit row(s), the chain holds (last row 2 at {last_at})"
    )
    with db.engine.begin() as connection:
        connection.execute(
            update(db.tables.audit).where(db.tables.audit.c.id == 1).values(actor="nobody")
        )
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


def exported(db, people: list[str | None]) -> int:
    """An export of rows whose data subjects are ``people``, audited by record_export.

    Each row stores its subject's key, as a writer on SQLite does (decision 0087)."""
    source = Table("exported_rows", MetaData(), Column("person", String(200)))
    with Session(db.engine) as session:
        source.create(session.connection(), checkfirst=True)
        session.execute(delete(source))
        if people:
            session.execute(insert(source), [{"person": person_key(person)} for person in people])
        count = record_export(
            session,
            db.tables.audit,
            db.tables.audit_subjects,
            CLERK,
            "protocol_book",
            "2025-01-01/2025-12-31",
            select(source.c.person),
        )
        session.commit()
    return count


def subjects_of(db, audit_id: int) -> str:
    subjects = db.tables.audit_subjects
    with db.engine.connect() as connection:
        return connection.scalar(
            select(subjects.c.data_subjects).where(subjects.c.audit_id == audit_id)
        )


def test_an_export_is_one_row_listing_and_sealing_its_data_subjects(db):
    write(db, CLERK, ["l-1"])
    count = exported(db, ["Ona  Žemaitytė", "ona žemaitytė", "Ilze@Example.org", None, "  "])
    assert count == 2
    found = rows(db)
    assert [row.action for row in found] == ["read", "export"]
    assert (found[1].person, found[1].subjects) == (None, 2)
    assert subjects_of(db, 2) == "ilze@example.org\nona žemaitytė"
    assert found[1].subjects_hash == subjects_hash(["ona žemaitytė", "ilze@example.org"])
    assert (
        found[1].subjects_hash
        == hashlib.sha256("ilze@example.org\nona žemaitytė".encode()).hexdigest()
    )
    assert (
        verify_chain(Session(db.engine), db.tables.audit, db.tables.audit_subjects).broken is None
    )
    # A row that seals no subjects hashes as it did before subjects were sealed.
    assert found[0].row_hash == row_hash({**found[0]._mapping, "subjects": None})


def test_an_empty_export_seals_no_subject(db):
    assert exported(db, []) == 0
    (row,) = rows(db)
    assert (row.subjects, row.subjects_hash) == (0, hashlib.sha256(b"").hexdigest())
    assert subjects_of(db, 1) == ""
    assert (
        verify_chain(Session(db.engine), db.tables.audit, db.tables.audit_subjects).broken is None
    )


def test_the_search_by_person_finds_the_exports_that_listed_them(db):
    exported(db, ["Ona Žemaitytė", "ilze@example.org"])
    write(db, HEAD, ["l-9"], {"l-9": "Ona Žemaitytė"})
    exported(db, ["Giorgi Beridze"])

    def search(person: str, subjects=db.tables.audit_subjects):
        with Session(db.engine) as session:
            found = search_audit(
                session, db.tables.audit, AuditQuery(person=person), COUNTED, subjects
            )
            return [(row["id"], row["action"]) for row in found.items]

    assert search("ŽEMAITYTĖ") == [(1, "export"), (2, "read")]
    assert search("beridze") == [(3, "export")]
    assert search("ŽEMAITYTĖ", subjects=None) == [(2, "read")]
    assert search("nobody") == []


def test_verification_notices_a_changed_added_or_removed_subject(db):
    exported(db, ["Ona Žemaitytė", "ilze@example.org"])
    write(db, CLERK, ["l-1"])
    subjects = db.tables.audit_subjects

    def broken():
        with Session(db.engine) as session:
            return verify_chain(session, db.tables.audit, subjects).broken

    def tamper(statement) -> None:
        with db.engine.begin() as connection:
            connection.execute(statement)

    listed = subjects_of(db, 1)
    tamper(update(subjects).values(data_subjects="ilze@example.org\nsomebody else"))
    assert broken().id == 1
    assert "do not match" in broken().reason
    tamper(update(subjects).values(data_subjects="ilze@example.org"))
    assert "1 listed data subject(s) do not match the 2" in broken().reason
    tamper(delete(subjects))
    assert "was removed" in broken().reason
    tamper(insert(subjects).values(audit_id=1, data_subjects=listed))
    assert broken() is None
    tamper(insert(subjects).values(audit_id=2, data_subjects="ona žemaitytė"))
    assert broken().id == 2
    assert "it seals none" in broken().reason
    tamper(update(subjects).where(subjects.c.audit_id == 2).values(audit_id=7))
    assert "listed for row 7, which the chain does not hold" in broken().reason
    # The chain alone, as before, does not look at the list.
    with Session(db.engine) as session:
        assert verify_chain(session, db.tables.audit).broken is None


def test_the_command_checks_the_exports_subjects(db, monkeypatch, capsys):
    exported(db, ["Ona Žemaitytė"])
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string())
    assert main(["audit", "verify", "--service", "intake"]) == 0
    capsys.readouterr()
    with db.engine.begin() as connection:
        connection.execute(update(db.tables.audit_subjects).values(data_subjects="x"))
    assert main(["audit", "verify", "--service", "intake"]) == 1
    assert "broken at row 1" in capsys.readouterr().err
