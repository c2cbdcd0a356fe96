"""Intake's tables: the protocol book, its counters, the scans, the lookup guard and the
file plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chancery.db import NAMING_CONVENTION, JSONDocument, UTCDateTime, platform_tables

# chancery.audit.subject_key_sql of the correspondent's e-mail, else name (as
# intake.usecases.data_subject), as PostgreSQL's generated column.
PERSON_KEY_SQL = (
    "NULLIF(\"left\"(lower(btrim(regexp_replace(COALESCE(NULLIF(correspondent ->> 'email', ''), "
    "correspondent ->> 'name'), '\\s+', ' ', 'g'))), 200), '')"
)


class Base(DeclarativeBase):
    """Intake's declarative base, with its own metadata (a class, not ``make_base()``'s
    result, so that the type checker sees the mapped classes)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every model here names a ``__tablename__``, so its table is a Table (insertable,
    # updatable), not any FromClause.
    __table__: ClassVar[Table]


PLATFORM = platform_tables(Base.metadata)


class Letter(Base):
    """A correspondence item in the protocol book, incoming or outgoing."""

    __tablename__ = "letters"
    __table_args__ = (
        UniqueConstraint("register_code", "year", "sequence"),
        # Covers every column the statistics read (migration 0005_c19).
        Index(
            "ix_letters_statistics",
            "registered_at",
            "direction",
            "status",
            "kind",
            "addressee_kind",
            "channel",
        ),
        # The list's key and the export's order, so a page or the export's first row is
        # one seek (migration 0009_u19_book_indexes, decision 0064).
        Index("ix_letters_list_order", "registered_at", "sequence", "id"),
        Index("ix_letters_export_order", "year", "register_code", "sequence"),
        # The export's period, the registrar's visibility and the data subject's key, so the
        # export's list of subjects is read from the index alone (migration 0012, decision 0087).
        Index(
            "ix_letters_export_subjects", "year", "registered_at", "confidentiality", "person_key"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    direction: Mapped[str] = mapped_column(String(10))
    register_code: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    registration_number: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    channel: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    subject_folded: Mapped[str] = mapped_column(Text)
    # Subject, summary, correspondent and scan text folded (intake.searching.search_text);
    # indexed by pg_trgm on PostgreSQL and mirrored into FTS5 on SQLite (intake.adapters.search).
    search_text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str | None] = mapped_column(Text)
    addressee: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    addressee_kind: Mapped[str | None] = mapped_column(String(20), index=True)
    addressee_department_code: Mapped[str | None] = mapped_column(String(50), index=True)
    correspondent: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # The correspondent's data subject key (e-mail, else name), which the export's audit row
    # lists (decision 0087): derived by PostgreSQL as chancery.audit.subject_key_sql folds it,
    # so every writer keeps it; written by Python as chancery.audit.person_key on SQLite.
    person_key: Mapped[str | None] = mapped_column(
        String(200), Computed(PERSON_KEY_SQL, persisted=True)
    )
    confidentiality: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    department_code: Mapped[str | None] = mapped_column(String(50), index=True)
    # ",COMM,LEGAL," so "is this department copied" is a portable LIKE.
    copy_departments: Mapped[str] = mapped_column(Text, default=",")
    due_date: Mapped[date | None] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    in_reply_to_id: Mapped[str | None] = mapped_column(ForeignKey("letters.id"), index=True)
    access_code_hash: Mapped[str | None] = mapped_column(String(64))
    closing_reason: Mapped[str | None] = mapped_column(Text)
    forwarded_to: Mapped[str | None] = mapped_column(Text)
    # Why routing left the letter to the registry's triage (cleared once it is routed).
    triage_reason: Mapped[str | None] = mapped_column(Text)
    # The role routing's running endorsement circuit waits for (from its messages): that
    # approver may read the letter until the step is decided (decision 0044).
    endorser_role: Mapped[str | None] = mapped_column(String(30))
    endorser_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_reference: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict

    @property
    def copy_department_codes(self) -> list[str]:
        """Departments that got the letter for information."""
        return department_codes(self.copy_departments)


class LetterTally(Base):
    """How many incoming, not voided letters of a local day and register have one value of
    one counted dimension (decision 0065): the statistics' marginals, kept on every write."""

    __tablename__ = "letter_tally"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    register_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(30), primary_key=True)
    letters: Mapped[int] = mapped_column(Integer)


def department_codes(stored: str) -> list[str]:
    """The codes of a letter's ``copy_departments`` column (``",FIN,LAW,"``)."""
    return [code for code in stored.split(",") if code]


class RegisterCounter(Base):
    """The last number given in a register in a year: the gap-free sequence."""

    __tablename__ = "register_counters"

    register_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class Attachment(Base):
    """A scan or file attached to a letter; the bytes live outside the database."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    letter_id: Mapped[str] = mapped_column(ForeignKey("letters.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    # The worker extracts the text (PDF text layer, else OCR): pending, done or failed.
    extraction_state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    extracted_text: Mapped[str | None] = mapped_column(Text)
    extraction_error: Mapped[str | None] = mapped_column(Text)
    extracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LookupCounter(Base):
    """Wrong status-lookup codes within a window, for one key of :mod:`intake.adapters.lookups`.

    The key is a digest (of the number and the client, or of the client), so
    no client address is stored; rows whose window has ended are purged.
    """

    __tablename__ = "lookup_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class CaseFile(Base):
    """A case file of the year's file plan (nomenclature); letters are filed in it by code.

    ``retention_years`` is ``None`` for a file kept permanently; ``closed_at``
    is set at the year-end closing, after which the file takes no letters.
    """

    __tablename__ = "case_files"
    __table_args__ = (UniqueConstraint("year", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(50))
    parent_code: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    department_code: Mapped[str] = mapped_column(String(50))
    retention_years: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(Text)
    medium: Mapped[str] = mapped_column(String(20))
    # Space-separated letter kinds this file takes by default ("" = the department's general).
    kinds: Mapped[str] = mapped_column(String(300), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def kind_list(self) -> tuple[str, ...]:
        """The letter kinds the file takes by default."""
        return tuple(self.kinds.split())


class ArchiveTransfer(Base):
    """The inventory of one year's permanent and long-term files handed to the archive.

    ``items`` is the inventory as drafted (code, title, retention, letters and
    their first and last registration day), so an approved inventory no
    longer changes; ``status`` goes draft -> approved -> transferred.
    """

    __tablename__ = "archive_transfers"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drafted_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    transferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transferred_by: Mapped[str | None] = mapped_column(String(200))


class DestructionAct(Base):
    """An act listing expired temporary case files whose letters' contents are destroyed.

    ``items`` lists the files (year, code, title, retention, letters) as drawn
    up; ``approvals`` who approved in which role. Once executed the letters'
    scans and personal data are gone in every service; their numbers stay.
    """

    __tablename__ = "destruction_acts"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    as_of: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    approvals: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drafted_by: Mapped[str] = mapped_column(String(200))
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    letters_destroyed: Mapped[int | None] = mapped_column(Integer)


class PersonalDataRequest(Base):
    """A data subject's request (access or erasure) started by the data protection officer.

    ``person`` is whom it is about (name, e-mail, phone); each service's answer
    is a :class:`PersonalDataPart` (decision 60).
    """

    __tablename__ = "personal_data_requests"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    action: Mapped[str] = mapped_column(String(10))
    person: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by: Mapped[str] = mapped_column(String(200))


class PersonalDataPart(Base):
    """One service's answer to a request: its records (access) or per-record outcomes (erase)."""

    __tablename__ = "personal_data_parts"

    request_number: Mapped[int] = mapped_column(
        ForeignKey("personal_data_requests.number"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(30), primary_key=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
