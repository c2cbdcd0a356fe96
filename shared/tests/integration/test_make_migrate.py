"""``make migrate`` (``python -m chancery.realmode migrate``) upgrades every service's database."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chancery.runtime import alembic_config
from chancery.services import installed_services
from chancery_testing import unique

pytestmark = pytest.mark.integration


def _newest_revision(definition) -> str:
    from alembic.script import ScriptDirectory

    migrations = Path(importlib.import_module(definition.module).__file__).parent / "migrations"
    return ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()


def _revision_of(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def test_every_service_database_is_created_and_upgraded_to_its_newest_revision(postgres_server):
    prefix = unique("chancery_m_")
    server = make_url(postgres_server).set(database="").render_as_string(hide_password=False)
    # Written by hand: a URL object would escape the braces of the placeholder.
    env = {
        "PATH": os.environ["PATH"],
        "CHANCERY_ENV": "development",
        "DATABASE_URL": f"{server.rstrip('/')}/{prefix}_{{service}}",
    }
    definitions = installed_services()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "chancery.realmode", "migrate"],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stderr
        for definition in definitions:
            url = make_url(postgres_server).set(database=f"{prefix}_{definition.name}")
            assert _revision_of(url.render_as_string(hide_password=False)) == _newest_revision(
                definition
            )
            assert definition.name in result.stdout
    finally:
        admin = create_engine(
            make_url(postgres_server).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            for definition in definitions:
                connection.execute(
                    text(f'DROP DATABASE IF EXISTS "{prefix}_{definition.name}" WITH (FORCE)')
                )
        admin.dispose()
