"""The protocol book's export: written by PostgreSQL's COPY where it can (decision 72),
audited once with the set of its data subjects sealed in its row (decision 79), read from
the letters' stored keys (decision 87).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import aliased

from chancery.audit import record_export
from chancery.csvexport import copied_csv, csv_chunks, safe_cell_sql
from chancery.principal import Principal
from intake.adapters.models import Letter
from intake.adapters.repositories import LetterFilters, visible
from intake.usecases import BookQueries

EXPORT_HEADER = (
    "registration_number",
    "register",
    "direction",
    "registered_at",
    "received_at",
    "kind",
    "channel",
    "language",
    "correspondent",
    "organisation",
    "addressee",
    "subject",
    "department",
    "status",
    "due_date",
    "answered_at",
    "confidentiality",
    "in_reply_to",
    "forwarded_to",
    "file_reference",
)
# Rows fetched and written (one CSV text, one socket write) per round trip of the export's
# server-side cursor, where Python writes the CSV (SQLite).
EXPORT_CHUNK = 5000
# What the export reads: not the search text, the addressee document or the access code.
EXPORT_COLUMNS = (
    Letter.registration_number,
    Letter.register_code,
    Letter.direction,
    Letter.registered_at,
    Letter.received_at,
    Letter.kind,
    Letter.channel,
    Letter.language,
    Letter.correspondent,
    Letter.addressee_kind,
    Letter.subject,
    Letter.department_code,
    Letter.status,
    Letter.due_date,
    Letter.answered_at,
    Letter.confidentiality,
    Letter.forwarded_to,
    Letter.file_reference,
)


class Exports(BookQueries):
    """The protocol book for a period as CSV, audited with its data subjects."""

    def protocol_book_csv(
        self, start: date, end: date, principal: Principal, criteria: LetterFilters | None = None
    ) -> Iterator[str]:
        """The protocol book for a period as CSV lines (UTF-8, first line a header), streamed.

        ``criteria`` narrows it as a search does (its period and paging are ignored).
        The export is audited once, as what was asked for (period and criteria),
        with the data subjects of the letters it holds listed under that row by the
        export's own query and sealed in it, and committed before its first line
        is handed out (decisions 0072, 0079). On
        PostgreSQL the database writes the CSV (``COPY``), the reader's
        visibility and the cells' formats in its SELECT; elsewhere rows come
        from a server-side cursor in chunks and Python writes them.
        """
        filters = replace(criteria or LetterFilters(), registered_from=start, registered_to=end)
        answered = aliased(Letter)
        with self._uow() as uow:
            copied = uow.session.get_bind().dialect.name == "postgresql"
            columns = (
                self._export_cells(answered)
                if copied
                else (*EXPORT_COLUMNS, answered.registration_number.label("in_reply_to"))
            )
            # The letters are narrowed once, in the query of their data subjects' keys, which
            # leaves out the join to the answered letter: PostgreSQL removes that unused join
            # but still plans to read its column, so the keys would not come from the
            # subjects' index alone (a year of the 1M book: 177 -> 83 ms).
            keys, _ = self._matching(
                uow.session,
                self._filtered(visible(select(Letter.person_key), principal), filters),
                filters.text,
            )
            # A letter's year is the local year it was registered in, so the period's years
            # bound it too: the export reads in the order of ix_letters_export_order from its
            # first row on, without sorting the period first (decision 0064).
            keys = keys.where(Letter.year.between(start.year, end.year))
            query = keys.with_only_columns(*columns).outerjoin(
                answered, answered.id == Letter.in_reply_to_id
            )
            record_export(
                uow.session,
                uow.tables.audit,
                uow.tables.audit_subjects,
                principal,
                "protocol_book",
                _export_description(filters),
                keys,
            )
            uow.commit()
        query = query.order_by(Letter.year, Letter.register_code, Letter.sequence)
        if copied:
            return self._copied_rows(query)
        return csv_chunks(EXPORT_HEADER, self._export_rows(query))

    def _copied_rows(self, query: Select) -> Iterator[str]:
        with self._uow() as uow:
            # For this transaction: instants shown in the profile's zone, as _csv_row shows
            # them; and the rows read in the index's order from the first on. The planner
            # takes the period's year and instants for independent bounds, expects a hundredth
            # of the rows, and would sort them all before the first (a COPY is planned for
            # its whole result, unlike a cursor); nor is a stream worth compiling (JIT).
            uow.session.execute(
                select(
                    func.set_config("TimeZone", self.profile.time_zone, True),
                    func.set_config("enable_sort", "off", True),
                    # Nor sort by parts: the subjects' index (year, registered_at, ...) would
                    # else be read and its rows sorted from the year on (decision 0087).
                    func.set_config("enable_incremental_sort", "off", True),
                    func.set_config("jit", "off", True),
                )
            )
            yield from copied_csv(uow.session, query)

    def _export_rows(self, query: Select) -> Iterator[list[list[str]]]:
        with self._uow() as uow:
            result = uow.session.execute(query, execution_options={"yield_per": EXPORT_CHUNK})
            for chunk in result.partitions():
                yield [
                    [
                        *self._csv_row(row),
                        row.confidentiality,
                        row.in_reply_to or "",
                        row.forwarded_to or "",
                        row.file_reference or "",
                    ]
                    for row in chunk
                ]

    @staticmethod
    def _export_cells(answered: Any) -> tuple[ColumnElement[Any], ...]:
        """The export's cells as PostgreSQL writes them: _csv_row's texts, made safe."""

        def when(moment: Any) -> ColumnElement[str]:
            # As datetime.isoformat(timespec="minutes") in the session's time zone.
            return func.to_char(moment, 'YYYY-MM-DD"T"HH24:MITZH:TZM')

        cells = (
            Letter.registration_number,
            Letter.register_code,
            Letter.direction,
            when(Letter.registered_at),
            when(Letter.received_at),
            Letter.kind,
            Letter.channel,
            Letter.language,
            Letter.correspondent["name"].as_string(),
            Letter.correspondent["organisation"].as_string(),
            Letter.addressee_kind,
            Letter.subject,
            Letter.department_code,
            Letter.status,
            func.to_char(Letter.due_date, "YYYY-MM-DD"),
            when(Letter.answered_at),
            Letter.confidentiality,
            answered.registration_number,
            Letter.forwarded_to,
            Letter.file_reference,
        )
        return tuple(
            safe_cell_sql(cell).label(name) for cell, name in zip(cells, EXPORT_HEADER, strict=True)
        )

    def _csv_row(self, letter: Letter | Row) -> list[str]:
        def when(moment: datetime | None) -> str:
            return self._calendar.local(moment).isoformat(timespec="minutes") if moment else ""

        return [
            letter.registration_number,
            letter.register_code,
            letter.direction,
            when(letter.registered_at),
            when(letter.received_at),
            letter.kind,
            letter.channel or "",
            letter.language,
            letter.correspondent.get("name", ""),
            letter.correspondent.get("organisation") or "",
            letter.addressee_kind or "",
            letter.subject,
            letter.department_code or "",
            letter.status,
            letter.due_date.isoformat() if letter.due_date else "",
            when(letter.answered_at),
        ]


def _export_description(filters: LetterFilters) -> str:
    """What an export's audit row names: its period and the criteria that narrowed it."""
    period = f"{filters.registered_from}/{filters.registered_to}"
    criteria = [
        f"{name}={value}"
        for name, value in vars(filters).items()
        if value and name not in ("registered_from", "registered_to")
    ]
    return "?".join([period, "&".join(criteria)]) if criteria else period
