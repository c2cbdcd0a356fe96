"""Taking a register's next number and writing the letter and its announcement with it.

The counter row's lock serialises registrations of one register from the
moment the number is taken until the commit (see decision 3). So that this
window stays short, everything is prepared first; then, on PostgreSQL, one
statement takes the number, composes the registration number, inserts the
letter and inserts its outbox message, and the commit follows at once. On
SQLite (the embedded mode, one writer at a time anyway) the same is done in
plain steps. Asked to, the PostgreSQL statement is sent together with the
transaction's ``COMMIT`` (one round trip), so the lock is held for the
statement and the commit's flush alone (decision 73).
"""

from __future__ import annotations

import functools
import operator
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Select,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from chancery.db import PlatformTables, execute_and_commit
from chancery.messages.envelope import Envelope
from chancery.messages.outbox import outbox_row
from chancery.profiles import Register
from intake.adapters.models import Letter, RegisterCounter
from intake.adapters.tally import TALLY, add_to_tally, local_day, tally_rows
from intake.domain.statistics import DIMENSIONS, CountedColumns, changes

COUNTERS = RegisterCounter.__table__
LETTERS = Letter.__table__
# The register's counter for the year, one step on (both bound by name).
NEXT_SEQUENCE = (
    update(COUNTERS)
    .where(
        COUNTERS.c.register_code == bindparam("counter_register"),
        COUNTERS.c.year == bindparam("counter_year"),
    )
    .values(last_sequence=COUNTERS.c.last_sequence + 1)
)
BUMP = NEXT_SEQUENCE.returning(COUNTERS.c.last_sequence)


def pending_number_token() -> str:
    """A unique stand-in for the registration number in a message prepared before it exists."""
    return f"pending-registration-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class _Registration:
    """What one registration writes under the register's next number."""

    tables: PlatformTables
    register: Register
    year: int
    letter: dict[str, Any]
    message: Envelope
    pending_number: str
    # What the registration adds to the statistics' tally (empty for an outgoing letter).
    tally: tuple[dict[str, Any], ...]


def register_letter(
    connection: Connection,
    tables: PlatformTables,
    register: Register,
    year: int,
    letter: dict[str, Any],
    message: Envelope,
    pending_number: str,
    time_zone: str,
    *,
    commit: bool = False,
) -> tuple[int, str]:
    """Insert ``letter`` and ``message`` under the register's next number; return it.

    ``message`` carries ``pending_number`` wherever the number belongs. With
    ``commit``, the transaction is committed with them on PostgreSQL (see
    :func:`chancery.db.execute_and_commit`: nothing may be written after this
    in the same unit of work); without, and on SQLite, the caller commits.
    """
    registration = _Registration(
        tables, register, year, letter, message, pending_number, _tally(letter, time_zone)
    )
    if connection.dialect.name != "postgresql":
        return _in_steps(connection, registration)
    taken = _in_one_statement(connection, registration, commit)
    if taken is None:
        # The register's first letter of the year. Nothing was written (with
        # ``commit``, an empty transaction was committed): create the counter, again.
        _create_counter(connection, register.code, year)
        taken = _in_one_statement(connection, registration, commit)
    assert taken is not None
    return taken


def _tally(letter: dict[str, Any], time_zone: str) -> tuple[dict[str, Any], ...]:
    columns = CountedColumns(
        letter["direction"],
        letter["status"],
        letter["kind"],
        letter.get("addressee_kind"),
        letter.get("channel"),
    )
    day = local_day(letter["registered_at"], time_zone)
    return tuple(tally_rows(day, letter["register_code"], changes(None, columns)))


def _in_steps(connection: Connection, registration: _Registration) -> tuple[int, str]:
    register, year = registration.register, registration.year
    key = {"counter_register": register.code, "counter_year": year}
    sequence = connection.execute(BUMP, key).scalar_one_or_none()
    if sequence is None:
        _create_counter(connection, register.code, year)
        sequence = connection.execute(BUMP, key).scalar_one()
    number = register.format_number(year, sequence)
    connection.execute(
        insert(LETTERS),
        {**registration.letter, "sequence": sequence, "registration_number": number},
    )
    row = outbox_row(registration.message)
    row["body"] = row["body"].replace(registration.pending_number, number)
    connection.execute(insert(registration.tables.outbox), row)
    add_to_tally(connection, list(registration.tally))
    return sequence, number


def _in_one_statement(
    connection: Connection, registration: _Registration, commit: bool
) -> tuple[int, str] | None:
    letter, row = registration.letter, outbox_row(registration.message)
    statement = _one_statement(
        registration.tables.outbox,
        tuple(registration.register.number_parts(registration.year)),
        tuple(letter),
        tuple(row),
        bool(registration.tally),
    )
    params = {f"letter_{name}": value for name, value in letter.items()}
    for counted in registration.tally:
        params[f"tally_{counted['dimension']}"] = counted["value"]
    if registration.tally:
        params["tally_day"] = registration.tally[0]["day"]
    params.update({f"message_{name}": value for name, value in row.items()})
    params.update(
        counter_register=registration.register.code,
        counter_year=registration.year,
        pending_number=registration.pending_number,
    )
    if commit:
        values = execute_and_commit(connection, statement, params)
        return (values[0], values[1]) if values else None
    taken = connection.execute(statement, params).first()
    return (taken.sequence, taken.registration_number) if taken else None


@functools.lru_cache(maxsize=64)
def _one_statement(
    outbox: Table,
    parts: tuple[str | int, ...],
    letter_columns: tuple[str, ...],
    message_columns: tuple[str, ...],
    counted: bool,
) -> Select:
    """The statement for one number format and year, built once so it compiles and plans once."""
    bump = NEXT_SEQUENCE.returning(COUNTERS.c.last_sequence.label("sequence")).cte("bump")
    number = _composed_number(list(parts), bump.c.sequence)
    new_letter = (
        insert(LETTERS)
        .from_select(
            [*letter_columns, "sequence", "registration_number"],
            select(
                *[
                    bindparam(f"letter_{name}", type_=LETTERS.c[name].type)
                    for name in letter_columns
                ],
                bump.c.sequence,
                number,
            ),
        )
        .returning(LETTERS.c.sequence, LETTERS.c.registration_number)
        .cte("new_letter")
    )
    columns = [name for name in message_columns if name != "body"]
    body = func.replace(
        bindparam("message_body", type_=Text),
        bindparam("pending_number", type_=Text),
        new_letter.c.registration_number,
    )
    new_message = (
        insert(outbox)
        .from_select(
            [*columns, "body"],
            select(
                *[bindparam(f"message_{name}", type_=outbox.c[name].type) for name in columns], body
            ),
        )
        .returning(outbox.c.id)
        .cte("new_message")
    )
    taken = select(new_letter.c.sequence, new_letter.c.registration_number).add_cte(new_message)
    return taken.add_cte(_tally_added(bump)) if counted else taken


def _tally_added(bump: Any) -> Any:
    """The tally's upsert for one incoming letter, each dimension's value bound by name.

    It selects from ``bump`` so that PostgreSQL runs it after the counter's row is locked:
    every registration of a register then locks the counter first and the tally rows second,
    and two of them cannot deadlock.
    """
    pairs = union_all(
        *(
            select(
                literal(dimension, String).label("dimension"),
                bindparam(f"tally_{dimension}", type_=String).label("value"),
            )
            for dimension in DIMENSIONS
        )
    ).subquery("counted")
    rows = select(
        bindparam("tally_day", type_=Date),
        bindparam("counter_register", type_=String),
        pairs.c.dimension,
        pairs.c.value,
        literal(1),
    ).select_from(pairs.join(bump, true()))
    upsert = postgresql.insert(TALLY).from_select(
        ["day", "register_code", "dimension", "value", "letters"], rows
    )
    return upsert.on_conflict_do_update(
        index_elements=[c.name for c in TALLY.primary_key],
        set_={"letters": TALLY.c.letters + 1},
    ).cte("new_tally")


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
    connection.execute(
        dialect.insert(COUNTERS).on_conflict_do_nothing(),
        {"register_code": register_code, "year": year, "last_sequence": 0},
    )
