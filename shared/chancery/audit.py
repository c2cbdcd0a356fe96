"""The audit trail: who read or changed personal data, when, under which trace, with what outcome.

Each service's ``audit_log`` is a hash chain: a row stores the SHA-256 of
its content together with the previous row's hash, and its ``id`` is its
position in the chain. Changing, removing or reordering a row breaks the
chain from that row on, which :func:`verify_chain` (``chancery audit verify``)
finds and names. Appends are serialised so concurrent writers never fork
the chain: on PostgreSQL by a transaction-scoped advisory lock, on SQLite
by its single writer (the engine begins every transaction IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, insert, select, text
from sqlalchemy.orm import Session

from chancery.auth import Principal
from chancery.db import utcnow
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.telemetry import current_trace_id

GENESIS_HASH = "0" * 64
# The key of the advisory lock serialising appends (each service has its own database).
CHAIN_LOCK_KEY = 0x63686E6361756474  # "chncaudt"
ALLOWED, REFUSED = "allowed", "refused"
# What a row's hash covers, in this order; the id fixes its place in the chain.
HASHED_COLUMNS = ("id", "at", "actor", "roles", "action", "object_type", "object_id", "person",
                  "outcome", "trace_id", "prev_hash")


def record_access(session: Session, table: Table, principal: Principal, action: str,
                  object_type: str, object_ids: Iterable[str],
                  people: Mapping[str, str | None] | None = None,
                  outcome: str = ALLOWED) -> None:
    """Append one audit row per object to the chain, in the caller's transaction.

    ``people`` maps an object id to its data subject (an e-mail address or a
    name), by which the data protection officer finds every access to one
    person's data. ``outcome`` is ``allowed`` or ``refused`` (a 403).
    """
    object_ids = list(object_ids)
    if not object_ids:
        return
    head_id, head_hash = _locked_head(session, table)
    now, trace_id, people = utcnow(), current_trace_id(), people or {}
    rows = []
    for position, object_id in enumerate(object_ids, start=head_id + 1):
        row: dict[str, Any] = {
            "id": position, "at": now, "actor": principal.subject[:200],
            "roles": principal.roles_text[:200], "action": action, "object_type": object_type,
            "object_id": str(object_id)[:100], "person": person_key(people.get(object_id)),
            "outcome": outcome, "trace_id": trace_id, "prev_hash": head_hash}
        row["row_hash"] = head_hash = row_hash(row)
        rows.append(row)
    session.execute(insert(table), rows)


def person_key(person: str | None) -> str | None:
    """How a data subject is stored and searched: spaces collapsed, case folded, 200 chars."""
    if not person or not person.strip():
        return None
    return " ".join(person.split()).casefold()[:200]


def row_hash(row: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of a row's hashed columns, ``prev_hash`` included."""
    values = [row[column].isoformat() if isinstance(row[column], datetime) else row[column]
              for column in HASHED_COLUMNS]
    canonical = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _locked_head(session: Session, table: Table) -> tuple[int, str]:
    # The lock is held to the end of the caller's transaction, so the next
    # writer reads this transaction's rows as the head (READ COMMITTED).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    head = session.execute(select(table.c.id, table.c.row_hash)
                           .order_by(table.c.id.desc()).limit(1)).first()
    return (head.id, head.row_hash) if head else (0, GENESIS_HASH)


def chain_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """``rows`` (in id order, without hashes) with ``prev_hash`` and ``row_hash`` filled in.

    For migrations that bring existing rows into the chain.
    """
    previous = GENESIS_HASH
    for row in rows:
        chained = {**row, "prev_hash": previous}
        chained["row_hash"] = previous = row_hash(chained)
        yield chained


@dataclass(frozen=True)
class BrokenRow:
    """The first row at which the chain does not hold, and why."""

    id: int
    at: datetime
    reason: str


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_chain` found: rows checked, the first broken one, the chain's end."""

    rows: int
    broken: BrokenRow | None
    last_id: int | None = None
    last_at: datetime | None = None


def verify_chain(session: Session, table: Table) -> Verification:
    """Walk the chain in id order; the first row whose content or link does not hold."""
    previous_hash, previous_id, previous_at, count = GENESIS_HASH, None, None, 0
    rows = session.execute(select(table).order_by(table.c.id)
                           .execution_options(yield_per=1000)).mappings()
    for row in rows:
        count += 1
        if row_hash(row) != row["row_hash"]:
            return Verification(count, BrokenRow(row["id"], row["at"], "its content does not "
                                                 "match its hash: it was changed after writing"))
        if row["prev_hash"] != previous_hash:
            after = f"row {previous_id}" if previous_id is not None else "the chain's start"
            return Verification(count, BrokenRow(
                row["id"], row["at"], f"it does not follow {after}: a row before it was "
                                      "changed, removed or inserted"))
        previous_hash, previous_id, previous_at = row["row_hash"], row["id"], row["at"]
    return Verification(count, None, previous_id, previous_at)


@dataclass(frozen=True)
class AuditQuery:
    """The data protection officer's filters; every one optional, periods half-open."""

    person: str | None = None
    object_id: str | None = None
    object_type: str | None = None
    actor: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def search_audit(session: Session, table: Table, query: AuditQuery,
                 page: PageRequest) -> Page[dict[str, Any]]:
    """One page of matching rows, oldest first (by keyset on the row's id)."""
    found = fetch_page(session, _filtered(select(table), table, query),
                       (Ordering(table.c.id),), page, scalars=False)
    return found.map(lambda row: dict(row._mapping))


def _filtered(selected: Select, table: Table, query: AuditQuery) -> Select:
    if query.person:
        selected = selected.where(table.c.person.contains(person_key(query.person),
                                                          autoescape=True))
    for column, value in ((table.c.object_id, query.object_id),
                          (table.c.object_type, query.object_type),
                          (table.c.actor, query.actor)):
        if value:
            selected = selected.where(column == value)
    if query.start:
        selected = selected.where(table.c.at >= query.start)
    if query.end:
        selected = selected.where(table.c.at < query.end)
    return selected
