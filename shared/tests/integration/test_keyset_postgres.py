"""Keyset pages on PostgreSQL: row values, mixed directions, a nullable key, aware times."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Date, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chancery.db import UTCDateTime, make_base, make_engine
from chancery.keyset import Ordering, fetch_page
from chancery.paging import PageRequest

pytestmark = pytest.mark.integration
Base = make_base()
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
UNDATED = date(9999, 12, 31)


class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _walk(session: Session, orderings, key_of, limit: int) -> list[Task]:
    seen, after = [], None
    while True:
        page = fetch_page(
            session, select(Task), orderings, PageRequest(limit=limit, after=after), key_of=key_of
        )
        seen += page.items
        if page.next_key is None:
            return seen
        after = page.next_key


def test_pages_walk_every_row_once_in_order(database_url):
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            for n in range(31):
                session.add(
                    Task(
                        id=str(uuid.uuid4()),
                        due=None if n % 5 == 0 else date(2026, 12, 1 + n % 7),
                        created_at=START + timedelta(minutes=n // 3),
                    )
                )
            session.commit()
            orderings = (
                Ordering(func.coalesce(Task.due, UNDATED)),
                Ordering(Task.created_at, descending=True),
                Ordering(Task.id, descending=True),
            )
            seen = _walk(
                session, orderings, lambda t: (t.due or UNDATED, t.created_at, t.id), limit=4
            )
            assert len({task.id for task in seen}) == 31
            expected = sorted(seen, key=lambda t: t.id, reverse=True)
            expected = sorted(expected, key=lambda t: t.created_at, reverse=True)
            expected = sorted(expected, key=lambda t: t.due or UNDATED)
            assert [t.id for t in seen] == [t.id for t in expected]
            newest = _walk(
                session,
                (Ordering(Task.created_at, descending=True), Ordering(Task.id, descending=True)),
                None,
                limit=7,
            )
            assert [t.created_at for t in newest] == sorted(
                (t.created_at for t in newest), reverse=True
            )
            assert len(newest) == 31
    finally:
        Base.metadata.drop_all(engine)
        engine.dispose()
