"""Database: engines, the unit of work, and the tables every service shares.

PostgreSQL in real mode, SQLite files in the embedded mode. Each service has
its own metadata (``make_base``) to which :func:`platform_tables` adds the
outbox, inbox, idempotency and audit tables, so one migration tree per
service creates them alongside its own tables.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from psycopg import RawCursor
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeDecorator

from chancery.errors import NotFound

if TYPE_CHECKING:
    from chancery.messages.envelope import Envelope

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONDocument = JSON().with_variant(JSONB(), "postgresql")
M = TypeVar("M")
Q = TypeVar("Q", bound="Select[Any]")


def new_id() -> str:
    """A new random identifier (UUID4 text) for rows and messages."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored in UTC; SQLite gives them back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_base() -> type[DeclarativeBase]:
    """A declarative base with its own metadata (one per service)."""

    class Base(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    return Base


@dataclass(frozen=True)
class PlatformTables:
    """The tables the shared mechanisms use inside a service's database."""

    outbox: Table
    inbox: Table
    idempotency: Table
    audit: Table
    audit_subjects: Table


def platform_tables(metadata: MetaData) -> PlatformTables:
    """Add the outbox, inbox, idempotency-key and audit tables to ``metadata``."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("exchange", String(100), nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("message_type", String(100), nullable=False),
        Column("body", Text, nullable=False),
        Column("headers", JSONDocument, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("published_at", UTCDateTime),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        # The relay polls unsent rows (never a cursor): a partial index keeps that cheap.
        Index(
            "ix_outbox_unsent",
            "created_at",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("message_id", String(36), primary_key=True),
        Column("message_type", String(100), nullable=False),
        Column("handled_at", UTCDateTime, nullable=False),
    )
    idempotency = Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response", JSONDocument, nullable=False),
        Column("headers", JSONDocument, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    )
    # A hash chain (chancery.audit): record_access gives each row its id, the
    # row's position in the chain, under the chain's lock.
    audit = Table(
        "audit_log",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", UTCDateTime, nullable=False),
        Column("actor", String(200), nullable=False),
        Column("roles", String(200), nullable=False),
        Column("action", String(50), nullable=False),
        Column("object_type", String(50), nullable=False),
        Column("object_id", String(100), nullable=False),
        Column("trace_id", String(32)),
        Column("person", String(200)),
        Column("outcome", String(20), nullable=False, server_default="allowed"),
        Column("prev_hash", String(64), nullable=False),
        Column("row_hash", String(64), nullable=False),
        # An access to many people's data at once (an export): how many data subjects
        # and the SHA-256 over them, sealed in the row's hash; they are in audit_subjects.
        Column("subjects", Integer),
        Column("subjects_hash", String(64)),
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_person", "person"),
        Index("ix_audit_log_at", "at"),
    )
    # The data subjects of one audit row that covers many (chancery.audit.record_export):
    # their keys, sorted, one a line; one row per export, not one per subject, because
    # the export waits for it before its first line.
    audit_subjects = Table(
        "audit_subjects",
        metadata,
        Column("audit_id", Integer, primary_key=True, autoincrement=False),
        Column("data_subjects", Text, nullable=False),
    )
    return PlatformTables(
        outbox=outbox,
        inbox=inbox,
        idempotency=idempotency,
        audit=audit,
        audit_subjects=audit_subjects,
    )


# How long a transaction waits for an SQLite file's write lock before giving up.
SQLITE_LOCK_SECONDS = 30.0


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own lazy BEGIN is switched off; the "begin" listener
    # issues BEGIN IMMEDIATE once the transaction's turn has come (WriterQueue).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers outside a transaction (the sqlite3 shell, a backup) read
    # while a transaction writes; the busy timeout is what another process waits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_LOCK_SECONDS * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class WriterQueue:
    """First come, first served turns at one SQLite file's write lock, within a process.

    SQLite's own busy handler makes a waiting transaction sleep and try
    again (1 ms growing to 100 ms), so a thread that commits and at once
    begins again (a worker draining a backlog, a request of several
    transactions) wins every time, and a waiting request starved until its
    busy timeout gave "database is locked". Here each transaction takes a
    ticket and is woken when its turn comes, so a wait is bounded by the
    transactions queued before it.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._taken = False

    def acquire(self, timeout: float) -> bool:
        """Wait for this caller's turn; False after ``timeout`` seconds."""
        with self._mutex:
            if not self._taken and not self._waiting:
                self._taken = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over while the wait timed out
                return True
            self._waiting.remove(turn)
            return False

    def release(self) -> None:
        """End this turn: hand the lock straight to the longest waiting caller, if any."""
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._taken = False


_WRITER_QUEUES: dict[str, WriterQueue] = {}
_WRITER_QUEUES_MUTEX = threading.Lock()
_HOLDS_TURN = "chancery.writer_turn"


def _writer_queue(database: str) -> WriterQueue:
    """The process's one queue for the SQLite file ``database`` (every engine on it shares it)."""
    key = str(Path(database).resolve())
    with _WRITER_QUEUES_MUTEX:
        return _WRITER_QUEUES.setdefault(key, WriterQueue())


def _queue_transactions(engine: Engine, queue: WriterQueue) -> None:
    """Begin every transaction with BEGIN IMMEDIATE once its turn has come; end the turn after."""

    def begin(conn: Any) -> None:
        if not queue.acquire(SQLITE_LOCK_SECONDS):
            raise OperationalError(
                "BEGIN IMMEDIATE",
                None,
                sqlite3.OperationalError(
                    f"database is locked (no turn at the write lock in {SQLITE_LOCK_SECONDS:.0f} s)"
                ),
            )
        conn.info[_HOLDS_TURN] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            end(conn)
            raise

    def end(conn: Any) -> None:
        # "commit" fires just before COMMIT runs: the next transaction's BEGIN
        # IMMEDIATE may wait those few milliseconds on SQLite's busy handler.
        try:
            info = conn.info
        except SQLAlchemyError:  # an invalidated connection: "checkin" ends the turn
            return
        end_turn(info)

    def end_turn(info: dict[Any, Any]) -> None:
        if info.pop(_HOLDS_TURN, False):
            queue.release()

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end)
    event.listen(engine, "rollback", end)
    # A connection going back to the pool never keeps a turn (nothing may lock up for good).
    event.listen(engine, "checkin", lambda _dbapi, record: end_turn(record.info))


# A pooled PostgreSQL connection that rested longer than this is pinged before use; one
# handed back a moment ago is used at once (a ping on every checkout was one more round
# trip on top of a registration's three: BEGIN, its statement, COMMIT; decision 67).
PING_AFTER_IDLE_SECONDS = 1.0


def make_engine(
    url: str, pool_size: int = 5, ping_after_idle: float = PING_AFTER_IDLE_SECONDS
) -> Engine:
    """An engine for ``url``: SQLite files get WAL and fair turns at the write lock,
    PostgreSQL a pool whose connections are pinged after resting ``ping_after_idle`` s.

    Statement parameters never appear in an error's text (``hide_parameters``):
    they are names, addresses and subjects, and errors end up in logs.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_LOCK_SECONDS},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        database = engine.url.database
        if database and database != ":memory:":
            _queue_transactions(engine, _writer_queue(database))
        else:
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, hide_parameters=True)
    _ping_after_rest(engine, ping_after_idle)
    return engine


def _ping_after_rest(engine: Engine, idle_seconds: float) -> None:
    """Ping a connection leaving the pool if it rested ``idle_seconds`` or longer.

    A connection the database dropped (a restart, a fail-over, an idle
    timeout) while it rested is found here and replaced before a request meets
    it. One in use a moment ago is not pinged: if the database went away in
    that moment, the request using it fails as a request in flight would
    (503, ``Retry-After``), and SQLAlchemy then replaces every connection the
    pool held before the failure.
    """

    @event.listens_for(engine, "checkin")
    def rested_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["rested_from"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_rested(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        rested_from = record.info.get("rested_from")
        if rested_from is None or time.monotonic() - rested_from < idle_seconds:
            return  # fresh from connecting, or back from a request a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool discards this connection and checks out another (or connects anew).
            raise DisconnectionError("a rested connection no longer answers") from exc


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached or is busy, not that a request is bad.

    Connection-level errors (``OperationalError``, ``DisconnectionError``, an
    invalidated connection) and an exhausted pool: worth retrying later.
    """
    if isinstance(error, OperationalError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def describe_error(error: BaseException) -> str:
    """``str(error)``, except that a database error keeps no value of the row it was about.

    Drivers put the offending values into their messages (PostgreSQL's
    ``DETAIL: Failing row contains (...)``, ``invalid input syntax ... "value"``),
    so a database error is described by its class, SQLSTATE and the names of
    the constraint, table and column; a connection failure keeps its first
    line (host and port). Use it wherever an error's text reaches a log.
    """
    driver_error = error.orig if isinstance(error, DBAPIError) else error
    sqlstate = getattr(driver_error, "sqlstate", None)
    if sqlstate:
        diag = getattr(driver_error, "diag", None)
        names = [
            f"{what} {getattr(diag, f'{what}_name', None)}"
            for what in ("constraint", "table", "column")
            if getattr(diag, f"{what}_name", None)
        ]
        return f"{type(driver_error).__name__} (SQLSTATE {sqlstate})" + (
            f" on {', '.join(names)}" if names else ""
        )
    if isinstance(error, StatementError):
        # A connection failure (no SQLSTATE) or SQLite, whose messages name
        # constraints and columns, never values; the statement is left out.
        first_line = str(driver_error).strip().splitlines()[:1]
        return f"{type(driver_error).__name__}: {first_line[0] if first_line else ''}"
    return str(error)


def execute_and_commit(
    connection: Connection, statement: ClauseElement, parameters: dict[str, Any]
) -> tuple[Any, ...] | None:
    """Run ``statement`` and commit its transaction in one round trip; its first row's values.

    PostgreSQL only. The statement and ``COMMIT`` (and ``BEGIN``, if nothing
    ran in the transaction yet) go to the server together in psycopg's
    pipeline mode, so whatever lock the statement takes is held for the
    statement and the commit's flush alone, not also for the answer's way back
    to Python and a second request's way to the server. The transaction ends
    here: the caller's later :meth:`UnitOfWork.commit` has nothing left to do,
    so nothing may be written after this in the same unit of work. Errors are
    SQLAlchemy's, as if ``connection.execute`` had raised them (a dropped
    connection is invalidated, so the pool replaces it). ``statement`` is
    compiled once, for every column of an INSERT, and kept: build it once (its
    parameters ``bindparam`` s) and pass the same object each time.
    """
    numbered = _numbered(statement, connection.dialect)
    values = bound_values(numbered.compiled, parameters)
    driver = cast(Any, connection.connection.driver_connection)  # psycopg's Connection
    cursor = RawCursor(driver)
    try:
        with driver.pipeline():
            cursor.execute(numbered.sql, [values[name] for name in numbered.names])
            driver.commit()
        row = cursor.fetchone()
        return tuple(row) if row is not None else None
    except connection.dialect.loaded_dbapi.Error as error:
        raise driver_error(connection, error, numbered.compiled.string, cursor) from error
    finally:
        cursor.close()


# SQLAlchemy's psycopg placeholders (``%(name)s``) and its escaped percent sign (``%%``).
_PYFORMAT = re.compile(r"%\(([^)]+)\)s|%%")


@dataclass(frozen=True)
class _Numbered:
    """A statement compiled once, with PostgreSQL's own ``$n`` placeholders.

    psycopg rewrites ``%(name)s`` placeholders into ``$n`` on every execution, and
    caches the rewrite only for statements of at most 50 parameters and 4,096
    characters: a registration's one statement has more (about 0.4 ms of Python
    each time). Rewritten once here, the statement goes through psycopg's raw
    cursor, which sends it as it is. ``names`` are the parameters in ``$n`` order.
    """

    compiled: SQLCompiler
    sql: str
    names: tuple[str, ...]


@functools.lru_cache(maxsize=64)
def _numbered(statement: ClauseElement, dialect: Dialect) -> _Numbered:
    """``statement`` compiled once (SQLAlchemy's own cache is for its own execution)."""
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("execute_and_commit takes no expanding (IN) parameters")
    names: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _Numbered(compiled, _PYFORMAT.sub(placeholder, compiled.string), tuple(names))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist (no-op for SQLite)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return
    admin = create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            ).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    finally:
        admin.dispose()


class UnitOfWork:
    """One database transaction: the state change and the messages it causes.

    Use as a context manager; leaving without :meth:`commit` rolls back.
    :meth:`emit` writes a message to the outbox in the same transaction, so
    the message exists if and only if the change committed.
    """

    def __init__(
        self, session_factory: Callable[[], Session], tables: PlatformTables, producer: str
    ) -> None:
        self._session_factory = session_factory
        self.tables = tables
        self.producer = producer
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(self, *exc: object) -> None:
        # close() rolls back anything uncommitted; unlike rollback() it leaves
        # loaded objects readable (detached, not expired) for the caller.
        self.session.close()

    def emit(
        self,
        message_type: str,
        version: int,
        payload: dict[str, Any],
        correlation_id: str,
        causation_id: str | None = None,
    ) -> Envelope:
        """Check a message against its contract and queue it for publishing on commit."""
        from chancery.messages.outbox import add_message

        return add_message(
            self.session,
            self.tables.outbox,
            self.producer,
            message_type,
            version,
            payload,
            correlation_id,
            causation_id,
        )

    def emit_prepared(self, envelope: Envelope) -> None:
        """Queue an already prepared message (see ``prepare_message``) for publishing."""
        from chancery.messages.outbox import write_to_outbox

        write_to_outbox(self.session, self.tables.outbox, envelope)

    def commit(self) -> None:
        """Commit the transaction."""
        self.session.commit()

    def rollback(self) -> None:
        """Roll the transaction back."""
        self.session.rollback()


class Transactions:
    """The transaction idiom of every use case: ``with self.transaction() as uow: ...``.

    A use-case class derives from it with its service's unit-of-work factory
    (:meth:`chancery.runtime.ServiceWiring.unit_of_work`); the block commits
    when it ends without error and rolls back otherwise.
    """

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """A unit of work committed when the block ends without error."""
        with self._uow() as uow:
            yield uow
            uow.commit()

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        """A unit of work for reads (nothing is committed)."""
        with self._uow() as uow:
            yield uow


def existing(session: Session, model: type[M], key: Any, missing: str, *, lock: bool = False) -> M:
    """The ``model`` row under ``key``; ``lock`` holds it for the transaction (FOR UPDATE).

    Raises :class:`chancery.errors.NotFound` with ``missing`` (e.g. "No rule 7.")
    when there is none: the 404 of a use case that acts on one thing.
    """
    row = session.get(model, key, with_for_update=lock)
    if row is None:
        raise NotFound(missing)
    return row


def where_equal(query: Q, *given: tuple[Any, Any]) -> Q:
    """``query`` kept to the rows whose column equals its value, for each ``(column, value)``
    pair given a value: a list filter the reader left empty (``None``, ``""``) keeps all."""
    for column, value in given:
        if value:
            query = query.where(column == value)
    return query


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory that keeps loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def bound_values(compiled: SQLCompiler, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """What SQLAlchemy's execution would send for ``parameters``: its bind processors
    applied (JSONB, UTC times), for a statement sent to the driver directly."""
    processors = cast(dict[str, Any], compiled._bind_processors)
    return {
        name: processors[name](value) if name in processors else value
        for name, value in compiled.construct_params(dict(parameters)).items()
    }


def driver_error(
    connection: Connection, error: Exception, statement: str | None, cursor: Any
) -> StatementError:
    """SQLAlchemy's own error for a driver's ``error`` on a statement sent directly, as
    ``connection.execute`` would raise it; a dropped connection is invalidated first, so
    the pool replaces it."""
    driver = connection.connection.driver_connection
    gone = connection.dialect.is_disconnect(cast(Any, error), driver, cursor)
    if gone:
        connection.invalidate(error)
    wrapped: StatementError = DBAPIError.instance(
        statement,
        None,
        error,
        connection.dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=gone,
        dialect=connection.dialect,
    )
    return wrapped
