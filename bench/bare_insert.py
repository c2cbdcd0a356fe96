"""The baseline for the intake benchmark: Flask + gunicorn + one PostgreSQL insert of the JSON.

``gunicorn 'bench.bare_insert:create_app()'`` with ``BARE_DATABASE_URL`` set.
"""

from __future__ import annotations

import json
import os

from flask import Flask, request
from sqlalchemy import create_engine, text


def create_app() -> Flask:
    """A Flask app that stores each posted JSON document in a jsonb column."""
    engine = create_engine(os.environ["BARE_DATABASE_URL"], pool_size=5, max_overflow=5)
    with engine.begin() as conn:
        # gunicorn's workers boot at once: two concurrent CREATE TABLE IF NOT EXISTS can both
        # go ahead, and the second dies on pg_type's unique index (the worker, then gunicorn).
        conn.execute(text("SELECT pg_advisory_xact_lock(20191)"))
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS bare_letters "
                "(id bigserial PRIMARY KEY, body jsonb NOT NULL)"
            )
        )
    app = Flask("bare")

    @app.get("/readyz")
    def ready() -> tuple[dict, int]:
        return {"status": "ready"}, 200

    @app.post("/letters")
    def insert() -> tuple[dict, int]:
        document = request.get_json()
        with engine.begin() as conn:
            new_id = conn.execute(
                text("INSERT INTO bare_letters (body) VALUES (CAST(:body AS jsonb)) RETURNING id"),
                {"body": json.dumps(document, ensure_ascii=False)},
            ).scalar()
        return {"id": new_id}, 201

    return app
