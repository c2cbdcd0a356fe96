"""Each service's migration brings audit rows written before the hash chain into it."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

from chancery.audit import record_access, verify_chain
from chancery.clock import utcnow
from chancery.db import ensure_database
from chancery.principal import Principal
from chancery.runtime import alembic_config
from chancery.services import installed_services
from chancery_testing import service_env

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("definition", installed_services(), ids=lambda d: d.name)
def test_rows_written_before_the_chain_are_chained_and_verify(
    definition, database_url, tmp_path
) -> None:
    wiring = definition.wiring_from_env(service_env(tmp_path, database_url))
    ensure_database(database_url)
    config = alembic_config(wiring.migrations, wiring.profile.time_zone)
    chain_revision = next(
        r
        for r in ScriptDirectory.from_config(config).walk_revisions()
        if r.path.endswith("_audit_hash_chain.py")
    )
    try:
        with wiring.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, chain_revision.down_revision)
            for number in (1, 2, 4):  # a gap, as a rolled-back insert leaves one
                connection.execute(
                    text(
                        "INSERT INTO audit_log (id, at, actor, roles, action, object_type, "
                        "object_id) VALUES (:id, :at, 'clerk', 'registrar', 'read', 'letter', :oid)"
                    ),
                    {"id": number, "at": utcnow(), "oid": f"letter-{number}"},
                )
            command.upgrade(config, "head")
        with Session(wiring.engine) as session:
            record_access(
                session,
                wiring.tables.audit,
                Principal("dpo", frozenset()),
                "read",
                "audit",
                ["query"],
            )
            session.commit()
            result = verify_chain(session, wiring.tables.audit)
        assert result.broken is None
        assert result.rows == 4
    finally:
        wiring.engine.dispose()
