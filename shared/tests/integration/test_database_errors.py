"""A failing INSERT on the real PostgreSQL keeps the person it was about out of the log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from flask_smorest import Blueprint
from sqlalchemy import CheckConstraint, Column, MetaData, String, Table, insert, text

from chancery.db import describe_error, make_engine
from chancery.logs import JsonFormatter, SafeExceptionFormatter
from chancery.realmode import free_port
from chancery_testing import blueprint_app

pytestmark = pytest.mark.integration
NAME = "Ona Žemaitytė"
EMAIL = "ona.zemaityte@example.org"

METADATA = MetaData()
# Names are at most five characters here, so a real name fails the INSERT.
PEOPLE = Table(
    "people",
    METADATA,
    Column("name", String(100), nullable=False),
    Column("email", String(200), nullable=False),
    CheckConstraint("length(name) <= 5", name="short_name"),
)


@pytest.fixture
def captured_log() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """What the JSON and the text format would write, from every logger."""
    json_out, text_out = io.StringIO(), io.StringIO()
    handlers = [logging.StreamHandler(json_out), logging.StreamHandler(text_out)]
    handlers[0].setFormatter(JsonFormatter("test"))
    handlers[1].setFormatter(SafeExceptionFormatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    for handler in handlers:
        root.addHandler(handler)
    yield json_out, text_out
    for handler in handlers:
        root.removeHandler(handler)


def test_a_failing_insert_of_a_name_is_500_and_the_log_has_neither_name_nor_address(
    database_url: str, captured_log: tuple[io.StringIO, io.StringIO]
) -> None:
    engine = make_engine(database_url)
    METADATA.create_all(engine)
    blueprint = Blueprint("people", __name__, url_prefix="/people")

    @blueprint.route("", methods=["POST"])
    def add_person() -> dict[str, str]:
        with engine.begin() as connection:
            connection.execute(insert(PEOPLE).values(name=NAME, email=EMAIL))
        return {}

    app = blueprint_app(blueprint, database_url=database_url)
    try:
        response = app.test_client().post("/people")
    finally:
        engine.dispose()
    assert response.status_code == 500
    for output in captured_log:
        logged = output.getvalue()
        assert "unhandled error" in logged
        assert "CheckViolation (SQLSTATE 23514) on constraint short_name" in logged
        assert "Traceback" in logged  # the frames stay, only the values go
        assert NAME not in logged
        assert EMAIL not in logged


def test_the_description_of_a_database_error_names_the_rule_not_the_row(database_url: str) -> None:
    engine = make_engine(database_url)
    METADATA.create_all(engine)
    try:
        with engine.begin() as connection:
            connection.execute(insert(PEOPLE).values(name=NAME, email=EMAIL))
    except Exception as exc:
        error = exc
    finally:
        engine.dispose()
    # The driver's own text repeats the row; the engine at least hides the parameters.
    assert EMAIL in str(error.orig)
    assert "SQL parameters hidden" in str(error)
    assert describe_error(error) == (
        "CheckViolation (SQLSTATE 23514) on constraint short_name, table people"
    )


def test_an_unreachable_server_is_described_by_host_and_port() -> None:
    unused_port = free_port()
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/chancery")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        error = exc
    finally:
        engine.dispose()
    assert describe_error(error).startswith("OperationalError: connection failed")
    assert str(unused_port) in describe_error(error)
