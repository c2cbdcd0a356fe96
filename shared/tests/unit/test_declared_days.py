"""Declared days stored per service: the latest declaration of a day wins, whatever the order
in which the messages arrive."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import Session

from chancery.declared_days import (
    CalendarSource,
    declared_days_table,
    load_declared,
    store_declared,
)
from chancery.profiles.loading import load_profile

DAY = date(2026, 3, 20)


def test_an_older_declaration_arriving_late_changes_nothing() -> None:
    metadata = MetaData()
    table = declared_days_table(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    newer, older = datetime(2026, 3, 12, 10, tzinfo=UTC), datetime(2026, 3, 11, 10, tzinfo=UTC)
    with Session(engine) as session:
        store_declared(session, table, DAY, True, "Corrected", "N2", None, "op", newer)
        store_declared(session, table, DAY, False, "Day off", "N1", None, "op", older)
        [declared] = load_declared(session, table)
        assert (declared.working, declared.reason, declared.decree) == (True, "Corrected", "N2")
        store_declared(
            session,
            table,
            DAY,
            False,
            "Day off again",
            "N3",
            None,
            "op",
            datetime(2026, 3, 13, 10, tzinfo=UTC),
        )
        source = CalendarSource(load_profile("alytus"), table)
        assert not source.current(session).is_working_day(DAY)
        assert source.base.is_working_day(DAY)
        assert load_declared(session, table, first=date(2026, 3, 21)) == ()
