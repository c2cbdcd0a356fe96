"""The audit trail: who read or changed personal data, when, under which trace, with what outcome.

Each service's ``audit_log`` is a hash chain: a row stores the SHA-256 of
its content together with the previous row's hash, and its ``id`` is its
position in the chain. Changing, removing or reordering a row breaks the
chain from that row on, which :func:`verify_chain` (``chancery audit verify``)
finds and names. Appends are serialised so concurrent writers never fork
the chain: on PostgreSQL by a transaction-scoped advisory lock, on SQLite
by its single writer (the engine begins every transaction IMMEDIATE).

An access to many people's data at once (an export of the protocol book) is
one row, not one per person: :func:`record_export` lists its data subjects in
``audit_subjects`` (one text per export, a subject a line) and seals their
count and SHA-256 in the row, so the search by person finds the export and
verification notices a changed list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Insert,
    Integer,
    RowMapping,
    Select,
    Table,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.db import execute_and_commit
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.pipelined import select_together
from chancery.principal import Principal
from chancery.telemetry import current_trace_id

GENESIS_HASH = "0" * 64
# The key of the advisory lock serialising appends (each service has its own database).
CHAIN_LOCK_KEY = 0x63686E6361756474  # "chncaudt"
ALLOWED, REFUSED = "allowed", "refused"
# What json.dumps(..., ensure_ascii=False, separators=(",", ":")) builds on every call, built
# once: an export audits thousands of rows a second.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# What separates the data subjects of an export in its list (a key never holds one).
LINE = "\n"
# What a row says happened: who did what to which object, about whom, with what outcome.
ENTRY_COLUMNS = (
    "id",
    "at",
    "actor",
    "roles",
    "action",
    "object_type",
    "object_id",
    "person",
    "outcome",
    "trace_id",
)
# What a row's hash covers, in this order; the id fixes its place in the chain.
HASHED_COLUMNS = (*ENTRY_COLUMNS, "prev_hash")


def record_access(
    session: Session,
    table: Table,
    principal: Principal,
    action: str,
    object_type: str,
    object_ids: Iterable[str],
    people: Mapping[str, str | None] | None = None,
    outcome: str = ALLOWED,
) -> None:
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
        row = _row(
            position,
            now,
            principal,
            action,
            object_type,
            object_id,
            trace_id,
            head_hash,
            person=person_key(people.get(object_id)),
            outcome=outcome,
        )
        head_hash = row["row_hash"]
        rows.append(row)
    session.execute(insert(table), rows)


def record_export(
    session: Session,
    table: Table,
    subjects: Table,
    principal: Principal,
    object_type: str,
    object_id: str,
    keys: Select[Any],
) -> int:
    """Append one audit row for an access to many people's data, listing them; their count.

    ``keys`` selects one column, each row's data subject's key as the caller
    stored it when it wrote the row (:func:`subject_key_sql` on PostgreSQL,
    :func:`person_key` elsewhere; repeats and nulls are fine): the caller's own
    query, with its visibility and filters. The distinct keys, sorted and one a
    line, go into ``subjects`` under the row's id, and the row seals how many
    there are and :func:`subjects_hash` over them. On PostgreSQL the database
    does it in one ``INSERT ... SELECT`` (the rows never reach Python);
    elsewhere Python reads them. In the caller's transaction, under the
    chain's lock.
    """
    head_id, head_hash = _locked_head(session, table)
    audit_id = head_id + 1
    if session.get_bind().dialect.name == "postgresql":
        count, digest = _subjects_by_database(session, subjects, audit_id, keys)
    else:
        listed = sorted({key for key in session.scalars(keys) if key})
        session.execute(insert(subjects).values(audit_id=audit_id, data_subjects=LINE.join(listed)))
        count, digest = len(listed), subjects_hash(listed)
    session.execute(
        insert(table),
        [
            _row(
                audit_id,
                utcnow(),
                principal,
                "export",
                object_type,
                object_id,
                current_trace_id(),
                head_hash,
                subjects=count,
                subjects_hash=digest,
            )
        ],
    )
    return count


def _row(
    position: int,
    now: datetime,
    principal: Principal,
    action: str,
    object_type: str,
    object_id: str,
    trace_id: str | None,
    prev_hash: str,
    **more: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": position,
        "at": now,
        "actor": principal.subject[:200],
        "roles": principal.roles_text[:200],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:100],
        "person": None,
        "outcome": ALLOWED,
        "trace_id": trace_id,
        "prev_hash": prev_hash,
        **more,
    }
    row["row_hash"] = row_hash(row)
    return row


def _subjects_by_database(
    session: Session, subjects: Table, audit_id: int, stored: Select[Any]
) -> tuple[int, str]:
    # For this transaction only. A year of a large book is ~100,000 keys: with the default
    # 4 MB their sort spills to disk in batches, and the export's first line waits for it.
    # And no workers: string_agg can be computed in parts by parallel workers, whose parts
    # would join the keys out of the order they are sorted in below.
    session.execute(
        select(
            func.set_config("work_mem", "64MB", True),
            func.set_config("max_parallel_workers_per_gather", "0", True),
        )
    )
    listed = stored.subquery()
    key = next(iter(listed.c)).collate("C")
    # As subjects_hash: sorted by code point (UTF-8's byte order, collation "C"), one a
    # line. One sort both drops the repeats and orders the keys (a Unique over it), and
    # string_agg joins them in that order: half the time of a hashed DISTINCT followed by
    # string_agg's own ORDER BY, which PostgreSQL 15 sorts again (decision 0079).
    keys = (
        select(key.label("key"))
        .where(key.is_not(None), key != "")
        .distinct()
        .order_by(key)
        .subquery()
    )
    joined = func.coalesce(func.string_agg(keys.c.key, literal(LINE)), "")
    text = subjects.c.data_subjects
    lines = case(
        (text == "", 0), else_=func.length(text) - func.length(func.replace(text, LINE, "")) + 1
    )
    count, digest = session.execute(
        insert(subjects)
        .from_select(["audit_id", "data_subjects"], select(literal(audit_id, Integer), joined))
        .returning(lines, func.encode(func.sha256(func.convert_to(text, "UTF8")), "hex"))
    ).one()
    return count, digest


def subject_key_sql(person: ColumnElement[Any]) -> ColumnElement[str]:
    """:func:`person_key` in PostgreSQL: spaces collapsed, lower case, 200 characters.

    ``lower`` folds case by the database's character type (``C.UTF-8``: every
    script); it differs from Python's ``casefold`` in a few letters (``ß`` stays).
    A blank person's key is NULL, as :func:`person_key`'s is None. Immutable, so
    a table may store it as a generated column (the export reads that, decision 0087).
    """
    collapsed = func.btrim(func.regexp_replace(person, r"\s+", " ", "g"))
    return func.nullif(func.left(func.lower(collapsed), 200), "")


def subjects_hash(keys: Iterable[str]) -> str:
    """The SHA-256 (hex) of data subjects' keys: sorted by code point, one a line, UTF-8."""
    return hashlib.sha256(LINE.join(sorted(keys)).encode("utf-8")).hexdigest()


def person_key(person: str | None) -> str | None:
    """How a data subject is stored and searched: spaces collapsed, case folded, 200 chars."""
    if not person or not person.strip():
        return None
    return " ".join(person.split()).casefold()[:200]


def row_hash(row: Mapping[str, Any] | RowMapping) -> str:
    """The SHA-256 (hex) of a row's hashed columns, ``prev_hash`` included.

    A row of :func:`record_export` also seals its data subjects' count and hash
    (appended, so the rows without them hash as they always did).
    """
    values = [
        row[column].isoformat() if isinstance(row[column], datetime) else row[column]
        for column in HASHED_COLUMNS
    ]
    if row.get("subjects") is not None:
        values += [row["subjects"], row["subjects_hash"]]
    canonical = _CANONICAL.encode(values)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Serialises the chain's appends to the end of the transaction (select_at_chain_head).
_CHAIN_LOCK = select(func.pg_advisory_xact_lock(literal(CHAIN_LOCK_KEY, BigInteger)))


class ChainHead(NamedTuple):
    """The chain's last row, as the writer holding the chain's lock reads it."""

    id: int
    hash: str


def select_at_chain_head(
    session: Session, table: Table, reads: Sequence[tuple[Select[Any], Mapping[str, Any]]]
) -> tuple[list[list[dict[str, Any]]], ChainHead]:
    """The rows of ``reads``, and the chain's head with its lock taken, in one round trip.

    For a read whose audit row follows (:func:`record_read_and_commit`): on
    PostgreSQL ``reads`` (:func:`chancery.pipelined.select_together`'s), the
    advisory lock and the head go in one message, ``reads`` first, so they never
    wait for another writer's lock. The lock and the head are two statements,
    not one: a statement's snapshot is taken as it starts, so a head read in the
    statement that waited for the lock could miss the row its previous holder
    committed; pipelined, the server starts the head read once the lock is held.
    The lock is held to the end of the caller's transaction (the next writer
    then reads this transaction's rows as the head, READ COMMITTED): a caller
    that finds nothing to audit (nothing found, a refusal) rolls back at once,
    or every other writer of the chain waits for it. On SQLite the transaction,
    begun IMMEDIATE, already holds the single writer's lock.
    """
    lock: list[tuple[Select[Any], Mapping[str, Any]]]
    lock = [(_CHAIN_LOCK, {})] if session.get_bind().dialect.name == "postgresql" else []
    *found, head = select_together(session.connection(), [*reads, *lock, (_head_query(table), {})])
    last = ChainHead(head[0]["id"], head[0]["row_hash"]) if head else ChainHead(0, GENESIS_HASH)
    return found[: len(reads)], last


def _locked_head(session: Session, table: Table) -> ChainHead:
    return select_at_chain_head(session, table, [])[1]


@cache
def _head_query(table: Table) -> Select[Any]:
    # One statement object per table: select_together compiles a statement once.
    return select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)


def chain_rows(rows: Iterable[Mapping[str, Any] | RowMapping]) -> Iterator[dict[str, Any]]:
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


def verify_chain(session: Session, table: Table, subjects: Table | None = None) -> Verification:
    """Walk the chain in id order; the first row whose content or link does not hold.

    With ``subjects`` (``audit_subjects``), each row's listed data subjects
    are checked against the count and hash it seals, and none may be listed
    for a row that seals none.
    """
    previous_hash, previous_id, previous_at, count = GENESIS_HASH, None, None, 0
    listed = set() if subjects is None else set(session.scalars(select(subjects.c.audit_id)))
    rows = session.execute(
        select(table).order_by(table.c.id).execution_options(yield_per=1000)
    ).mappings()
    for row in rows:
        count += 1
        if row_hash(row) != row["row_hash"]:
            return Verification(
                count,
                BrokenRow(
                    row["id"],
                    row["at"],
                    "its content does not match its hash: it was changed after writing",
                ),
            )
        if row["prev_hash"] != previous_hash:
            after = f"row {previous_id}" if previous_id is not None else "the chain's start"
            return Verification(
                count,
                BrokenRow(
                    row["id"],
                    row["at"],
                    f"it does not follow {after}: a row before it was changed, removed or inserted",
                ),
            )
        if subjects is not None:
            wrong = _subjects_wrong(session, subjects, row, row["id"] in listed)
            listed.discard(row["id"])
            if wrong:
                return Verification(count, BrokenRow(row["id"], row["at"], wrong))
        previous_hash, previous_id, previous_at = row["row_hash"], row["id"], row["at"]
    if listed and previous_id is not None and previous_at is not None:
        return Verification(
            count,
            BrokenRow(
                previous_id,
                previous_at,
                f"data subjects are listed for row {min(listed)}, which the chain does not hold",
            ),
            previous_id,
            previous_at,
        )
    return Verification(count, None, previous_id, previous_at)


def _subjects_wrong(session: Session, subjects: Table, row: RowMapping, listed: bool) -> str | None:
    if row["subjects"] is None:
        return "data subjects were listed for it after writing: it seals none" if listed else None
    text = session.scalar(select(subjects.c.data_subjects).where(subjects.c.audit_id == row["id"]))
    if text is None:
        return "the list of data subjects it seals was removed"
    keys = text.split(LINE) if text else []
    if len(keys) != row["subjects"] or subjects_hash(keys) != row["subjects_hash"]:
        return (
            f"its {len(keys)} listed data subject(s) do not match the {row['subjects']} "
            "and the hash it seals: one was changed, added or removed"
        )
    return None


@dataclass(frozen=True)
class AuditQuery:
    """The data protection officer's filters; every one optional, periods half-open."""

    person: str | None = None
    object_id: str | None = None
    object_type: str | None = None
    actor: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def search_audit(
    session: Session,
    table: Table,
    query: AuditQuery,
    page: PageRequest,
    subjects: Table | None = None,
) -> Page[dict[str, Any]]:
    """One page of matching rows, oldest first (by keyset on the row's id).

    With ``subjects``, a person is also found among the data subjects an
    export listed (:func:`record_export`).
    """
    found = fetch_page(
        session,
        _filtered(select(table), table, query, subjects),
        (Ordering(table.c.id),),
        page,
        scalars=False,
    )
    return found.map(lambda row: dict(row._mapping))


def _filtered(
    selected: Select[Any], table: Table, query: AuditQuery, subjects: Table | None
) -> Select[Any]:
    if query.person:
        key = person_key(query.person)
        whose = table.c.person.contains(key, autoescape=True)
        if subjects is not None:
            whose = or_(
                whose,
                table.c.id.in_(
                    select(subjects.c.audit_id).where(
                        subjects.c.data_subjects.contains(key, autoescape=True)
                    )
                ),
            )
        selected = selected.where(whose)
    for column, value in (
        (table.c.object_id, query.object_id),
        (table.c.object_type, query.object_type),
        (table.c.actor, query.actor),
    ):
        if value:
            selected = selected.where(column == value)
    if query.start:
        selected = selected.where(table.c.at >= query.start)
    if query.end:
        selected = selected.where(table.c.at < query.end)
    return selected


def record_read_and_commit(
    session: Session,
    table: Table,
    head: ChainHead,
    principal: Principal,
    object_type: str,
    object_id: str,
    person: str | None,
) -> None:
    """Audit one allowed read of ``object_id`` (whose data subject is ``person``) and commit.

    ``head`` is the chain's, read with its lock by :func:`select_at_chain_head`
    in the same transaction, together with what was read. On PostgreSQL the
    row's ``INSERT`` and the ``COMMIT`` go together
    (:func:`chancery.db.execute_and_commit`): an audited read waits for the
    server twice in all, and the chain's lock is held for one reply's way back
    and the caller's check between. Nothing may be written after it in the
    same transaction.
    """
    row = _row(
        head.id + 1,
        utcnow(),
        principal,
        "read",
        object_type,
        object_id,
        current_trace_id(),
        head.hash,
        person=person_key(person),
    )
    if session.get_bind().dialect.name == "postgresql":
        execute_and_commit(session.connection(), _one_row_insert(table), row)
    else:
        session.execute(insert(table), [row])
        session.commit()


@cache
def _one_row_insert(table: Table) -> Insert:
    # One statement object per table, so execute_and_commit compiles it once (it reads
    # the statement's first row: the id).
    values: dict[str, Any] = {name: bindparam(name) for name in (*HASHED_COLUMNS, "row_hash")}
    return insert(table).values(values).returning(table.c.id)
