"""The status lookup's guard: wrong codes counted per number and client, and per client.

A lock on the number alone let anyone lock a citizen out with five wrong
guesses. Here a client that guessed wrong too often for one number is
refused that number for a while, and a client that guessed wrong too often
across numbers is refused every lookup for a while; nobody else is ever
refused. Unknown numbers are counted exactly like known ones, so the
answers (and the work done) never tell which numbers exist.

Counters live in the database (every web worker sees the same ones) and
are keyed by a digest, so neither client addresses nor numbers are stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from chancery.retention import PurgeRule
from intake.adapters.models import LookupCounter

COUNTERS = LookupCounter.__table__


@dataclass(frozen=True)
class LookupLimits:
    """Wrong codes tolerated within ``window``: per number and client, and per client."""

    per_number_and_client: int = 5
    per_client: int = 20
    window: timedelta = timedelta(minutes=15)


DEFAULT_LIMITS = LookupLimits()


@dataclass(frozen=True)
class CounterKeys:
    """The two counters a lookup touches: this number from this client, and this client."""

    number_and_client: str
    client: str

    @classmethod
    def of(cls, registration_number: str, client: str) -> CounterKeys:
        """The keys of a lookup of ``registration_number`` by ``client``."""
        return cls(
            number_and_client=_digest("number", registration_number, client),
            client=_digest("client", client),
        )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def refused_for(
    session: Session, keys: CounterKeys, limits: LookupLimits, now: datetime
) -> timedelta | None:
    """How long this lookup must wait, or None when it may go ahead."""
    limit_of = {
        keys.number_and_client: limits.per_number_and_client,
        keys.client: limits.per_client,
    }
    rows = session.execute(
        select(COUNTERS.c.key, COUNTERS.c.failures, COUNTERS.c.window_ends_at).where(
            COUNTERS.c.key.in_(limit_of), COUNTERS.c.window_ends_at > now
        )
    )
    waits = [row.window_ends_at - now for row in rows if row.failures >= limit_of[row.key]]
    return max(waits) if waits else None


def count_failure(session: Session, keys: CounterKeys, limits: LookupLimits, now: datetime) -> None:
    """Count a wrong code on both counters (one atomic upsert each; workers may race)."""
    for key in (keys.number_and_client, keys.client):
        session.execute(_increment(session, key, now, limits.window))


def _increment(session: Session, key: str, now: datetime, window: timedelta) -> Executable:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(COUNTERS).values(key=key, failures=1, window_ends_at=now + window)
    expired = COUNTERS.c.window_ends_at <= now
    return statement.on_conflict_do_update(
        index_elements=[COUNTERS.c.key],
        set_={
            "failures": case((expired, 1), else_=COUNTERS.c.failures + 1),
            "window_ends_at": case(
                (expired, statement.excluded.window_ends_at), else_=COUNTERS.c.window_ends_at
            ),
        },
    )


def forget_number(session: Session, keys: CounterKeys) -> None:
    """Clear the number's counter for this client after the right code (the client's stays)."""
    session.execute(delete(COUNTERS).where(COUNTERS.c.key == keys.number_and_client))


def ended_counters() -> PurgeRule:
    """The purge of counters whose window has ended (they refuse nobody any more)."""
    return PurgeRule(
        "lookup_counters",
        timedelta(0),
        lambda cutoff: delete(COUNTERS).where(COUNTERS.c.window_ends_at < cutoff),
    )
