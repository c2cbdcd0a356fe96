"""CSV exports that a spreadsheet opens as data, never as formulas.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is taken for a formula by spreadsheet programs (CSV or formula injection: a
citizen's subject ``=HYPERLINK(...)`` would run on the registrar's
computer). Such a text cell is written with a leading apostrophe, which the
spreadsheet shows as text. Numbers and dates are not text a citizen typed
and are written as they are. Every export of every service writes through
:func:`csv_text`, :func:`csv_lines` or :func:`csv_chunks`, or, for a large
export from PostgreSQL, has the database write it (:func:`copied_csv`) with
each text cell made safe by :func:`safe_cell_sql`, the same rule in SQL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, func, literal
from sqlalchemy.orm import Session

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the database's CSV is handed out in: one piece (one socket write) per this many bytes.
COPY_PIECE = 256 * 1024


def safe_cell(value: Any) -> str:
    """One cell's text: empty for None, text that could be a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV document (header first) line by line, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _with_header(header, rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_chunks(header: Sequence[str], chunks: Iterable[Iterable[Sequence[Any]]]) -> Iterator[str]:
    """The CSV document as one text for the header and one per chunk of rows.

    For a large streamed export: a chunk is written by the csv module in one
    call and handed out as one piece (one socket write), which costs a
    fraction of a piece per line.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([safe_cell(value) for value in row] for row in rows)
        text = buffer.getvalue()
        if text:
            yield text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV document (header first) as one text."""
    return "".join(csv_lines(header, rows))


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows


def safe_cell_sql(text: ColumnElement[Any]) -> ColumnElement[str]:
    """:func:`safe_cell` in SQL: a text that could be a formula gets a leading apostrophe."""
    return case(
        (func.left(text, 1).in_(FORMULA_STARTS), literal("'", String()).concat(text)), else_=text
    )


def copied_csv(session: Session, query: Select[Any]) -> Iterator[str]:
    """The CSV document PostgreSQL writes for ``query`` (``COPY ... TO STDOUT``), streamed.

    The header line is the query's column labels; NULL is an empty cell. The
    first piece is the header, handed out as soon as the database sends it;
    then pieces of about ``COPY_PIECE`` bytes of whole lines. Runs in the
    session's transaction; whoever stops reading early cancels the statement.
    Text cells must be made safe in ``query`` (:func:`safe_cell_sql`). Its
    parameters are merged into the statement by psycopg as the driver adapts
    them (COPY takes no server-side parameters); a column type's own bind
    processing is not applied, so compare with plain values.
    """
    compiled = query.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    statement = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv, HEADER)"
    connection: Any = session.connection().connection.driver_connection  # psycopg's
    with connection.cursor() as cursor, cursor.copy(statement, compiled.params) as copy:
        header = copy.read()  # the first row is the header: out at once, before any letter
        yield bytes(header).decode("utf-8")
        piece = bytearray()
        for data in copy:
            piece += data
            if len(piece) >= COPY_PIECE:
                yield piece.decode("utf-8")
                piece.clear()
        if piece:
            yield piece.decode("utf-8")
