"""Several reads sent to PostgreSQL in one round trip (psycopg's pipeline mode).

A request that needs a few small, independent reads (a letter and the
letters answering it) waits for the server once instead of once per
statement (and once more for ``BEGIN``, which psycopg otherwise sends on its
own). Rows come back as plain dictionaries with SQLAlchemy's result
processing applied (UTC times, JSON), as ``connection.execute`` would give
them; elsewhere (SQLite) the statements simply run one after the other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.sql.compiler import SQLCompiler

from chancery.db import bound_values, driver_error


def select_together(
    connection: Connection, reads: Sequence[tuple[Select[Any], Mapping[str, Any]]]
) -> list[list[dict[str, Any]]]:
    """The rows of each ``(statement, parameters)`` of ``reads``, in one round trip.

    Each statement is compiled once and kept (build it once, its parameters
    ``bindparam`` s, and pass the same object each time); expanding (IN)
    parameters are refused. The reads run in the connection's transaction,
    which they begin if nothing ran in it yet.
    """
    if connection.dialect.name != "postgresql":
        return [
            [dict(row) for row in connection.execute(statement, dict(parameters)).mappings()]
            for statement, parameters in reads
        ]
    compiled = [_compiled(statement, connection.dialect) for statement, _ in reads]
    driver = cast(Any, connection.connection.driver_connection)  # psycopg's Connection
    cursors = [driver.cursor() for _ in reads]
    try:
        with driver.pipeline():
            for cursor, query, (_, parameters) in zip(cursors, compiled, reads, strict=True):
                cursor.execute(query.statement.string, bound_values(query.statement, parameters))
        return [
            _processed(query, cursor.fetchall())
            for cursor, query in zip(cursors, compiled, strict=True)
        ]
    except connection.dialect.loaded_dbapi.Error as error:
        raise driver_error(connection, error, None, None) from error
    finally:
        for cursor in cursors:
            cursor.close()


class _Compiled:
    """A statement's SQL and what turns its driver's values into SQLAlchemy's."""

    def __init__(self, statement: SQLCompiler, dialect: Dialect) -> None:
        if statement.post_compile_params or statement.literal_execute_params:
            raise ValueError("select_together takes no expanding (IN) parameters")
        self.statement = statement
        self.keys = [column[0] for column in statement._result_columns]
        self.result_processors: list[Callable[[Any], Any] | None] = [
            column[3]._cached_result_processor(dialect, None)
            for column in statement._result_columns
        ]


@functools.lru_cache(maxsize=64)
def _compiled(statement: Select[Any], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    return _Compiled(compiled, dialect)


def _processed(query: _Compiled, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    pairs = list(zip(query.keys, query.result_processors, strict=True))
    return [
        {
            key: processor(value) if processor is not None else value
            for (key, processor), value in zip(pairs, row, strict=True)
        }
        for row in rows
    ]
