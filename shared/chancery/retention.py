"""Retention: what was handed over is removed after a while, in one place for every service.

Published outbox rows, handled inbox rows and remembered idempotency
responses are the platform's own tables; each service adds the rows only it
keeps (notifications: the texts of sent notices; intake: ended lookup
counters) as more :class:`PurgeRule` s. :func:`purge` runs them all; the
worker repeats it (``purge_job``) and ``chancery purge --service S`` runs it
once for an operator. Every run logs and counts what it removed
(``chancery_purged_rows_total``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Engine,
    Table,
    delete,
    func,
    literal,
    or_,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from chancery.clock import utcnow
from chancery.config import Retention
from chancery.db import PlatformTables
from chancery.metrics import PURGED_ROWS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeRule:
    """Rows older than ``keep`` go: ``statement(cutoff)`` deletes or empties them."""

    what: str
    keep: timedelta
    statement: Callable[[datetime], Executable]


def platform_rules(tables: PlatformTables, retention: Retention) -> tuple[PurgeRule, ...]:
    """Published outbox rows, handled inbox rows and idempotency responses past their period.

    An inbox row only needs to outlive the broker's redeliveries of its
    message; an idempotency response (which may hold a citizen's access code)
    only the client's retries.
    """
    outbox, inbox, keys = tables.outbox, tables.inbox, tables.idempotency
    return (
        PurgeRule(
            "outbox",
            retention.outbox,
            lambda cutoff: delete(outbox).where(
                outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff
            ),
        ),
        PurgeRule(
            "inbox",
            retention.inbox,
            lambda cutoff: delete(inbox).where(inbox.c.handled_at < cutoff),
        ),
        PurgeRule(
            "idempotency",
            retention.idempotency,
            lambda cutoff: delete(keys).where(keys.c.created_at < cutoff),
        ),
    )


def pseudonymised(
    what: str,
    keep: timedelta,
    model: Any,
    ended: Callable[[datetime], ColumnElement[bool]],
    name: str,
    label: str,
    **emptied: Any,
) -> PurgeRule:
    """Rows of ``model`` (a declarative class) ``ended`` before the cutoff keep their facts
    but not who they were about: the ``name`` column becomes ``<label> <first 8 of the id>``
    and each ``emptied`` column its value (``None``, a placeholder text).

    Only rows that still hold something of the person are written, so a run counts the
    rows it pseudonymised, not the ones an earlier run did.
    """
    # A declarative model's table is a Table (the stubs only promise a FromClause).
    table = cast(Table, model.__table__)
    holds_something = or_(
        table.c[name].not_like(f"{label} %"),
        *[
            table.c[column].is_not(None) if value is None else table.c[column] != value
            for column, value in emptied.items()
        ],
    )
    pseudonym = literal(f"{label} ") + func.substr(table.c.id, 1, 8)
    return PurgeRule(
        what,
        keep,
        lambda cutoff: (
            update(table).where(ended(cutoff), holds_something).values({name: pseudonym, **emptied})
        ),
    )


def purge(
    engine: Engine, rules: Iterable[PurgeRule], service: str, now: datetime | None = None
) -> dict[str, int]:
    """Run every rule (each in its own transaction); return the rows each removed or emptied."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    for rule in rules:
        with Session(engine) as session, session.begin():
            result = cast(CursorResult[Any], session.execute(rule.statement(now - rule.keep)))
            counts[rule.what] = result.rowcount
        PURGED_ROWS.labels(service, rule.what).inc(counts[rule.what])
    # A run that found nothing past its time is routine (every worker runs one as it starts).
    level = logging.INFO if any(counts.values()) else logging.DEBUG
    log.log(level, "purged rows past their retention", extra={"service": service, "purged": counts})
    return counts
