"""The statistics' daily tally kept on every write of a counted column (decision 0065).

A registration adds to it in its own statement (``adapters.numbering``); every
other change of a letter goes through the ORM, and one ``before_flush``
listener on intake's sessions turns the changed columns into the tally's
deltas, so no use case has to remember it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from intake.adapters.models import Letter, LetterTally
from intake.domain.statistics import CountedColumns, changes

TALLY = LetterTally.__table__
COUNTED = ("direction", "status", "kind", "addressee_kind", "channel")
WATCHED = (*COUNTED, "registered_at", "register_code")


def local_day(instant: datetime, time_zone: str) -> date:
    """The municipality's calendar day of ``instant``."""
    return instant.astimezone(ZoneInfo(time_zone)).date()


def tally_rows(day: date, register_code: str, delta: Counter) -> list[dict[str, Any]]:
    """The tally's rows for one letter's ``delta`` (``domain.statistics.changes``)."""
    return [
        {
            "day": day,
            "register_code": register_code,
            "dimension": dimension,
            "value": value,
            "letters": count,
        }
        for (dimension, value), count in delta.items()
    ]


def add_to_tally(connection: Connection | Session, rows: list[dict[str, Any]]) -> None:
    """Add each row's ``letters`` to its tally row, creating it at that count if new."""
    if not rows:
        return
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TALLY)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[c.name for c in TALLY.primary_key],
            set_={"letters": TALLY.c.letters + statement.excluded.letters},
        ),
        rows,
    )


def follow_letter_writes(sessions: sessionmaker, time_zone: str) -> None:
    """Keep the tally on every flush of letters by ``sessions`` (intake's own factory, so
    other services sharing the process in embedded mode are not watched)."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        rows: list[dict[str, Any]] = []
        for letter in (*session.new, *session.dirty, *session.deleted):
            if isinstance(letter, Letter) and _may_count(session, letter):
                rows.extend(_deltas(session, letter, time_zone))
        add_to_tally(session, rows)

    event.listen(sessions, "before_flush", before_flush)


def _may_count(session: Session, letter: Letter) -> bool:
    """Whether the flush may change what ``letter`` counts for: it is new or deleted, or a
    counted column or its day's key changed (most flushes of a letter change neither)."""
    if letter in session.new or letter in session.deleted:
        return True
    attributes = inspect(letter).attrs
    return any(attributes[name].history.has_changes() for name in WATCHED)


def _deltas(session: Session, letter: Letter, time_zone: str) -> list[dict[str, Any]]:
    state = inspect(letter)
    before = None if letter in session.new else _columns(state, previous=True)
    after = None if letter in session.deleted else _columns(state, previous=False)
    was = _key(state, time_zone, previous=True)
    now = _key(state, time_zone, previous=False)
    if was == now:
        return tally_rows(*now, changes(before, after))
    # Moved to another day or register: out of the old row, into the new one.
    return [*tally_rows(*was, changes(before, None)), *tally_rows(*now, changes(None, after))]


def _key(state: Any, time_zone: str, *, previous: bool) -> tuple[date, str]:
    registered_at = _value(state, "registered_at", previous=previous)
    return local_day(registered_at, time_zone), _value(state, "register_code", previous=previous)


def _columns(state: Any, *, previous: bool) -> CountedColumns:
    return CountedColumns(*(_value(state, name, previous=previous) for name in COUNTED))


def _value(state: Any, name: str, *, previous: bool) -> Any:
    history = state.attrs[name].history
    if previous and history.deleted:
        return history.deleted[0]
    return state.attrs[name].value


def rebuild(connection: Connection, time_zone: str) -> None:
    """Count the tally again from the letters (after a bulk load that wrote none of it)."""
    connection.execute(TALLY.delete())
    deltas: dict[tuple[date, str], Counter] = defaultdict(Counter)
    query = select(
        Letter.registered_at, Letter.register_code, *(Letter.__table__.c[c] for c in COUNTED)
    )
    for row in connection.execute(query.execution_options(yield_per=5000)):
        key = (local_day(row.registered_at, time_zone), row.register_code)
        deltas[key].update(changes(None, CountedColumns(*row[2:])))
    rows = [row for key, delta in deltas.items() for row in tally_rows(*key, delta)]
    for start in range(0, len(rows), 5000):
        connection.execute(TALLY.insert(), rows[start : start + 5000])
