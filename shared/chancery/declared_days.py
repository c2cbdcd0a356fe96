"""Days off and extra working days declared by government decision, stored per service.

Such decisions come during the year. Routing owns them: an operator adds one
over routing's ``/calendar/days`` API (with the reason and the decree) and
routing announces it as ``calendar.day_declared``; protocol-events and
foreign-relations keep their own copy from that message. Each service builds
the calendar of the moment, profile + stored days, for every computation
(:class:`CalendarSource`): one small query, no cache to invalidate, so a new
day counts at once and without a restart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Text, select
from sqlalchemy.orm import Session

from chancery.calendar import DayException, WorkingCalendar
from chancery.db import UTCDateTime
from chancery.profiles import Profile

__all__ = [
    "CalendarSource",
    "Declaration",
    "declared_days_table",
    "load_declared",
    "store_declaration",
    "store_declared",
]


def declared_days_table(metadata: MetaData) -> Table:
    """Add the ``calendar_days`` table (one row per declared date) to ``metadata``."""
    return Table(
        "calendar_days",
        metadata,
        Column("day", Date, primary_key=True),
        Column("working", Boolean, nullable=False),
        Column("reason", Text, nullable=False),
        Column("decree", Text),
        Column("hours_of", Integer),
        Column("declared_by", String(200), nullable=False),
        Column("declared_at", UTCDateTime, nullable=False),
    )


def load_declared(
    session: Session, table: Table, first: date | None = None, last: date | None = None
) -> tuple[DayException, ...]:
    """The stored declared days (optionally only from ``first`` to ``last``), by date."""
    query = select(table).order_by(table.c.day)
    if first is not None:
        query = query.where(table.c.day >= first)
    if last is not None:
        query = query.where(table.c.day <= last)
    return tuple(
        DayException(row.day, row.working, row.reason, row.decree, row.hours_of)
        for row in session.execute(query)
    )


def declared_rows(session: Session, table: Table) -> list[dict[str, Any]]:
    """The stored declared days as dictionaries (for the API), by date."""
    return [dict(row._mapping) for row in session.execute(select(table).order_by(table.c.day))]


def store_declared(
    session: Session,
    table: Table,
    day: date,
    working: bool,
    reason: str,
    decree: str | None,
    hours_of: int | None,
    declared_by: str,
    declared_at: datetime,
) -> None:
    """Record a declared day; a later declaration for the same date replaces the earlier one.

    A message delivered twice, or one older than the row, changes nothing: the row with
    the later ``declared_at`` wins.
    """
    values = {
        "working": working,
        "reason": reason,
        "decree": decree,
        "hours_of": hours_of,
        "declared_by": declared_by,
        "declared_at": declared_at,
    }
    known = session.execute(select(table.c.declared_at).where(table.c.day == day)).first()
    if known is None:
        session.execute(table.insert().values(day=day, **values))
    elif known.declared_at <= declared_at:
        session.execute(table.update().where(table.c.day == day).values(**values))


class Declaration(Protocol):
    """What a ``calendar.day_declared`` payload says of one day (``CalendarDayDeclaredV1``)."""

    # Read-only, as the payloads' frozen dataclasses are.
    @property
    def day(self) -> date: ...
    @property
    def working(self) -> bool: ...
    @property
    def reason(self) -> str: ...
    @property
    def decree(self) -> str | None: ...
    @property
    def hours_of(self) -> int | None: ...
    @property
    def declared_by(self) -> str: ...
    @property
    def declared_at(self) -> datetime: ...


def store_declaration(session: Session, table: Table, declared: Declaration) -> None:
    """:func:`store_declared` with a ``calendar.day_declared`` payload's fields, as the
    services that keep routing's declared days receive them."""
    store_declared(
        session,
        table,
        declared.day,
        declared.working,
        declared.reason,
        declared.decree,
        declared.hours_of,
        declared.declared_by,
        declared.declared_at,
    )


class CalendarSource:
    """The working calendar of the moment: the profile's, with the stored declared days."""

    def __init__(self, profile: Profile, table: Table) -> None:
        self.base: WorkingCalendar = profile.calendar()
        self.table = table

    def current(self, session: Session) -> WorkingCalendar:
        """The calendar with every day declared so far (read now, in ``session``)."""
        return self.base.with_exceptions(load_declared(session, self.table))
