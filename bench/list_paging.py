"""Deep pages cost what the first costs: keyset (``chancery.keyset``) against offset paging.

A PostgreSQL table of ``--rows`` letters-like rows (registered_at with ties, id) with the
index a list sorts by; for each depth (page 1, 100, 1,000 ...) ``--repeats`` reads of one
page of 50, newest first: by keyset after the last row of the page before (what every
Chancery list does) and, as the baseline in the same run, by ``OFFSET``.

    .venv/bin/python -m bench.list_paging --rows 200000
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, desc, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bench.common import percentile, timed
from chancery.db import make_base, make_engine
from chancery.keyset import fetch_page, order_of
from chancery.paging import PageRequest
from chancery_testing import throwaway_database

Base = make_base()
PAGE = 50


class Row(Base):
    __tablename__ = "paged_letters"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


NEWEST_FIRST = order_of(desc(Row.registered_at), desc(Row.id))


def _fill(session: Session, rows: int) -> None:
    # Ten letters share each minute: ties on the time, broken by the id.
    session.execute(
        text(
            "INSERT INTO paged_letters (id, sequence, registered_at) "
            "SELECT md5(n::text), n, timestamptz '2026-01-01 08:00+00' + (n / 10) * interval "
            "'1 minute' FROM generate_series(1, :rows) AS n"
        ),
        {"rows": rows},
    )
    session.execute(text("CREATE INDEX ON paged_letters (registered_at DESC, id DESC)"))
    session.execute(text("ANALYZE paged_letters"))
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with throwaway_database() as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            _fill(session, args.rows)
            print(
                f"{args.rows} rows, pages of {PAGE}, {args.repeats} reads each, "
                f"{datetime.now(UTC):%Y-%m-%d}"
            )
            print(f"{'page':>6} {'keyset p50':>11} {'p99':>7} {'offset p50':>11} {'p99':>7}")
            for depth in (1, 100, 1000, args.rows // PAGE - 1):
                offset = (depth - 1) * PAGE
                last = (
                    session.execute(
                        select(Row)
                        .order_by(Row.registered_at.desc(), Row.id.desc())
                        .offset(offset - 1)
                        .limit(1)
                    ).scalar()
                    if offset
                    else None
                )
                after = (last.registered_at, last.id) if last else None
                asked = PageRequest(limit=PAGE, after=after)
                keyset = timed(
                    lambda asked=asked: fetch_page(session, select(Row), NEWEST_FIRST, asked),
                    args.repeats,
                    warm_up=0,
                )
                by_offset = timed(
                    lambda offset=offset: list(
                        session.scalars(
                            select(Row)
                            .order_by(Row.registered_at.desc(), Row.id.desc())
                            .offset(offset)
                            .limit(PAGE + 1)
                        )
                    ),
                    args.repeats,
                    warm_up=0,
                )
                print(
                    f"{depth:>6} {percentile(keyset, 0.5):>9.2f}ms "
                    f"{percentile(keyset, 0.99):>5.2f}ms {percentile(by_offset, 0.5):>9.2f}ms "
                    f"{percentile(by_offset, 0.99):>5.2f}ms"
                )
        engine.dispose()


if __name__ == "__main__":
    main()
