"""Taking a register's next number and writing the letter and its announcement with it.

The counter row's lock serialises registrations of one register from the
moment the number is taken until the commit (see decision 3). So that this
window stays short, everything is prepared first; then, on PostgreSQL, one
statement takes the number, composes the registration number, inserts the
letter and inserts its outbox message, and the commit follows at once. On
SQLite (the embedded mode, one writer at a time anyway) the same is done in
plain steps.
"""

from __future__ import annotations

import functools
import operator
import uuid
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from chancery.db import PlatformTables
from chancery.messages.envelope import Envelope
from chancery.messages.outbox import outbox_row
from chancery.profiles import Register
from intake.models import Letter, RegisterCounter

COUNTERS = RegisterCounter.__table__
LETTERS = Letter.__table__
BUMP = (
    update(COUNTERS)
    .where(COUNTERS.c.register_code == bindparam("counter_register"),
           COUNTERS.c.year == bindparam("counter_year"))
    .values(last_sequence=COUNTERS.c.last_sequence + 1)
    .returning(COUNTERS.c.last_sequence)
)


def pending_number_token() -> str:
    """A unique stand-in for the registration number in a message prepared before it exists."""
    return f"pending-registration-{uuid.uuid4().hex}"


def register_letter(connection: Connection, tables: PlatformTables, register: Register,
                    year: int, letter: dict[str, Any], message: Envelope,
                    pending_number: str) -> tuple[int, str]:
    """Insert ``letter`` and ``message`` under the register's next number; return it.

    ``message`` carries ``pending_number`` wherever the number belongs.
    """
    if connection.dialect.name == "postgresql":
        taken = _in_one_statement(connection, tables, register, year, letter, message,
                                  pending_number)
        if taken is None:
            _create_counter(connection, register.code, year)
            taken = _in_one_statement(connection, tables, register, year, letter, message,
                                      pending_number)
        assert taken is not None
        return taken
    return _in_steps(connection, tables, register, year, letter, message, pending_number)


def _in_steps(connection: Connection, tables: PlatformTables, register: Register, year: int,
              letter: dict[str, Any], message: Envelope, pending_number: str
              ) -> tuple[int, str]:
    key = {"counter_register": register.code, "counter_year": year}
    sequence = connection.execute(BUMP, key).scalar_one_or_none()
    if sequence is None:
        _create_counter(connection, register.code, year)
        sequence = connection.execute(BUMP, key).scalar_one()
    number = register.format_number(year, sequence)
    connection.execute(insert(LETTERS), {**letter, "sequence": sequence,
                                         "registration_number": number})
    row = outbox_row(message)
    row["body"] = row["body"].replace(pending_number, number)
    connection.execute(insert(tables.outbox), row)
    return sequence, number


def _in_one_statement(connection: Connection, tables: PlatformTables, register: Register,
                      year: int, letter: dict[str, Any], message: Envelope,
                      pending_number: str) -> tuple[int, str] | None:
    row = outbox_row(message)
    statement = _one_statement(tables.outbox, tuple(register.number_parts(year)),
                               tuple(letter), tuple(row))
    params = {f"letter_{name}": value for name, value in letter.items()}
    params.update({f"message_{name}": value for name, value in row.items()})
    params.update(counter_register=register.code, counter_year=year,
                  pending_number=pending_number)
    taken = connection.execute(statement, params).first()
    return (taken.sequence, taken.registration_number) if taken else None


@functools.lru_cache(maxsize=64)
def _one_statement(outbox: Table, parts: tuple[str | int, ...], letter_columns: tuple[str, ...],
                   message_columns: tuple[str, ...]) -> Select:
    """The statement for one number format and year, built once so it compiles and plans once."""
    bump = (update(COUNTERS)
            .where(COUNTERS.c.register_code == bindparam("counter_register"),
                   COUNTERS.c.year == bindparam("counter_year"))
            .values(last_sequence=COUNTERS.c.last_sequence + 1)
            .returning(COUNTERS.c.last_sequence.label("sequence"))
            .cte("bump"))
    number = _composed_number(list(parts), bump.c.sequence)
    new_letter = (insert(LETTERS)
                  .from_select([*letter_columns, "sequence", "registration_number"],
                               select(*[bindparam(f"letter_{name}", type_=LETTERS.c[name].type)
                                        for name in letter_columns],
                                      bump.c.sequence, number))
                  .returning(LETTERS.c.sequence, LETTERS.c.registration_number)
                  .cte("new_letter"))
    columns = [name for name in message_columns if name != "body"]
    body = func.replace(bindparam("message_body", type_=Text),
                        bindparam("pending_number", type_=Text),
                        new_letter.c.registration_number)
    new_message = (insert(outbox)
                   .from_select([*columns, "body"],
                                select(*[bindparam(f"message_{name}", type_=outbox.c[name].type)
                                         for name in columns], body))
                   .returning(outbox.c.id)
                   .cte("new_message"))
    return (select(new_letter.c.sequence, new_letter.c.registration_number)
            .add_cte(new_message))


def _composed_number(parts: list[str | int], sequence: ColumnElement) -> ColumnElement:
    """The SQL twin of ``Register.format_number`` (lpad never truncates a longer number)."""
    digits = cast(sequence, Text)
    pieces: list[ColumnElement] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(literal(part, Text))
        elif part:
            pieces.append(func.lpad(digits, func.greatest(part, func.length(digits)), "0"))
        else:
            pieces.append(digits)
    return functools.reduce(operator.add, pieces).label("registration_number")


def _create_counter(connection: Connection, register_code: str, year: int) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(COUNTERS).on_conflict_do_nothing(),
                       {"register_code": register_code, "year": year, "last_sequence": 0})
