"""A PostgreSQL export lists its letters' data subjects: found by the person, verified."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from chancery.audit import AuditQuery, person_key, subject_key_sql, subjects_hash, verify_chain
from chancery.clock import utcnow
from chancery.http.auditing import AuditTrail
from chancery.idempotency import StoredResponse
from chancery.paging import PageRequest
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.models import Letter
from intake.adapters.repositories import LetterFilters
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject=f"clerk-{uuid.uuid4().hex[:8]}", roles=frozenset({"registrar"}))
SECRET_CLERK = Principal(
    subject=f"clerk-{uuid.uuid4().hex[:8]}", roles=frozenset({"registrar", "clearance_secret"})
)
OFFICER = Principal(
    subject=f"dpo-{uuid.uuid4().hex[:8]}", roles=frozenset({"data_protection_officer"})
)


def register(
    wiring: ServiceWiring, kind: str, correspondent: dict[str, Any], **fields: Any
) -> None:
    command = RegisterLetter(
        **{
            "direction": "incoming",
            "kind": kind,
            "channel": "email",
            "language": "lt",
            "subject": "Prašymas",
            "addressee": {"kind": "mayor"},
            "correspondent": {"type": "person", **correspondent},
            **fields,
        }
    )
    wiring.extensions["letters"].register(
        command, SECRET_CLERK, str(uuid.uuid4()), None, lambda r: StoredResponse(201, {})
    )


def export(wiring: ServiceWiring, principal: Principal, **criteria: Any) -> int:
    today = wiring.extensions["letters"].profile.calendar().local(utcnow()).date()
    document = "".join(
        wiring.extensions["exports"].protocol_book_csv(
            today, today, principal, LetterFilters(**criteria)
        )
    )
    return document.count("\n")  # no cell here holds a line break


def exports_of(wiring: ServiceWiring, person: str) -> list[int]:
    found = AuditTrail(wiring.unit_of_work).search(
        OFFICER, AuditQuery(person=person, object_type="protocol_book"), PageRequest(), "read"
    )
    return [row["id"] for row in found.items]


def test_the_export_lists_its_subjects_found_by_person_and_verified(wiring):
    tag = uuid.uuid4().hex[:6]
    ona, janis = f"ona.{tag}@example.org", f"janis.{tag}@example.org"
    register(wiring, "complaint", {"name": "Ona  Žemaitytė", "email": ona.upper()})
    register(
        wiring, "complaint", {"name": f"Rūta Šimkūnienė {tag}"}, confidentiality="confidential"
    )
    register(wiring, "application", {"name": "Jānis Bērziņš", "email": janis})
    assert export(wiring, CLERK, kind="complaint") == 2  # the header and Ona's letter
    with wiring.unit_of_work() as uow:
        audit, subjects = uow.tables.audit, uow.tables.audit_subjects
        [sealed] = [row for row in verify_rows(uow) if row.action == "export"]
        listed = uow.session.execute(subjects.select()).one()
        assert (sealed.subjects, listed.data_subjects) == (1, ona)
        # The hash PostgreSQL computed is the one Python computes over the same keys.
        assert sealed.subjects_hash == subjects_hash([person_key(ona.upper())])
    assert exports_of(wiring, ona.upper()) == [sealed.id]
    # Outside the export: another kind, and a letter the clerk may not read.
    assert exports_of(wiring, janis) == []
    assert exports_of(wiring, f"Šimkūnienė {tag}") == []
    assert export(wiring, SECRET_CLERK) == 4
    assert len(exports_of(wiring, f"šimkūnienė {tag}")) == 1
    assert len(exports_of(wiring, "ONA.")) == 2
    with wiring.unit_of_work() as uow:
        assert verify_chain(uow.session, audit, subjects).broken is None
        uow.session.execute(
            update(subjects)
            .where(subjects.c.audit_id == sealed.id)
            .values(data_subjects=f"somebody.{tag}@example.org")
        )
        uow.commit()
    with wiring.unit_of_work() as uow:
        broken = verify_chain(uow.session, audit, subjects).broken
        assert broken is not None
        assert broken.id == sealed.id
        assert "do not match" in broken.reason


def verify_rows(uow: Any) -> list[Any]:
    audit = uow.tables.audit
    return list(uow.session.execute(audit.select().order_by(audit.c.id)))


# Names in the five languages' scripts, their cases and all sorts of whitespace, e-mail
# addresses beside names, a name longer than a key holds.
NAMES = (
    {"name": "Ona\t Žemaitytė "},
    {"name": "ONA  ŽEMAITYTĖ"},
    {"name": "Ąžuolas Čepulis\r\n"},
    {"name": "ნინო ბერიძე"},
    {"name": "ᲜᲘᲜᲝ ᲑᲔᲠᲘᲫᲔ"},
    {"name": "Jānis\u00a0Bērziņš"},
    {"name": "ĢIRTS ĶĒNIŅŠ"},
    {"name": "Çlirim Hoxhë"},
    {"name": "ËNDRI\u2003ÇELA"},
    {"name": "Straße İlkay"},
    {"name": "Rūta Šimkūnienė", "email": "Ruta.Simkuniene@Example.org"},
    {"name": "Ilze Kalniņa"},
    {"name": "ნინო ბერიძე", "email": "NINO.Beridze@Example.ge"},
    {"name": "x" * 250},
)


def test_the_stored_keys_list_and_hash_as_the_keys_computed_from_the_correspondents(wiring):
    tag = uuid.uuid4().hex[:8]
    for correspondent in NAMES:
        register(wiring, "application", correspondent, subject=f"Peticija {tag}")
    letters = Letter.__table__.c
    person = func.coalesce(
        func.nullif(letters.correspondent["email"].as_string(), ""),
        letters.correspondent["name"].as_string(),
    )
    ours = letters.subject == f"Peticija {tag}"
    with wiring.unit_of_work() as uow:
        rows = uow.session.execute(
            select(letters.person_key, subject_key_sql(person)).where(ours)
        ).all()
        assert len(rows) == len(NAMES)
        # Letter by letter, the stored key is the one the export computed before (decision 0079).
        assert [stored for stored, _ in rows] == [computed for _, computed in rows]
    export(wiring, SECRET_CLERK, text=tag)
    with wiring.unit_of_work() as uow:
        [sealed] = [row for row in verify_rows(uow) if row.action == "export"][-1:]
        computed = sorted({key for _, key in rows if key is not None}, key=str.encode)
        assert sealed.subjects == len(computed) < len(NAMES)  # Ona's two spellings: one key
        assert sealed.subjects_hash == subjects_hash(computed)
        assert {"ruta.simkuniene@example.org", "ilze kalniņa"} <= set(computed)
        assert verify_chain(uow.session, uow.tables.audit, uow.tables.audit_subjects).broken is None


def test_an_exports_subjects_are_compressed_with_lz4(wiring):
    """Migration 0014: the ~2.3 MB list of a city's year is not pglz's ~25 ms before the
    export's first byte."""
    with wiring.engine.connect() as connection:
        method = connection.execute(
            text(
                "SELECT attcompression FROM pg_attribute "
                "WHERE attrelid = 'audit_subjects'::regclass AND attname = 'data_subjects'"
            )
        ).scalar_one()
    assert method == "l"
