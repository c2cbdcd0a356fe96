"""A letter read whole, by id or by registration number, in one round trip.

The letter with its attachments (a letter has few or none) and the letters
answering it are two SQLAlchemy Core statements, built and compiled once, sent
together with the audit chain's lock and head, since the read is audited
(:func:`chancery.audit.select_at_chain_head`, decision 0086); the rows
become the mapped classes without the ORM's loading (no identity map, no
instance state to track: nothing read here is changed in the same session).
The search text, which the reader is never shown and is the longest column, is
not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Column, Select, Table, bindparam, inspect, select
from sqlalchemy.orm import Session, configure_mappers

from chancery.audit import ChainHead, select_at_chain_head
from intake.adapters.models import Attachment, Letter

LETTERS, ATTACHMENTS = Letter.__table__, Attachment.__table__
SHOWN = [column for column in LETTERS.c if column.key != "search_text"]
"""A letter's columns but the search text: what a reader's answer is made from."""
_ATTACHED = "attachment_"
_ATTACHMENT_COLUMNS = [column.label(_ATTACHED + column.key) for column in ATTACHMENTS.c]


@dataclass(frozen=True)
class Reply:
    """A letter answering the one read: what its page links to."""

    id: str
    registration_number: str


Mapped = TypeVar("Mapped", Letter, Attachment)


def transient(cls: type[Mapped], values: Mapping[str, Any]) -> Mapped:
    """A ``cls`` holding ``values`` (column key: value), as the ORM's loading makes one: the
    values put in the instance's dict at once, where ``cls(**values)`` would set them one
    by one through the attributes' change events (4 % of a lookup's Python, decision
    0088). Nothing tracks it: it is never added to a session."""
    configure_mappers()  # as a constructor would (a flag's check once they are configured)
    instance = inspect(cls).class_manager.new_instance()
    instance.__dict__.update(values)
    return instance


def letter_of(row: Mapping[str, Any]) -> Letter:
    """The letter a row of :data:`SHOWN` columns (with any others beside them) holds."""
    return transient(Letter, shown_values(row))


def shown_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`SHOWN` columns' values of a row (with any others beside them), or of a
    letter read here (``vars(letter)``: :func:`transient` put them in its dict)."""
    return {column.key: row[column.key] for column in SHOWN}


class WholeLetter(NamedTuple):
    """A letter as its reader sees it: with the letters answering it and its attachments."""

    letter: Letter
    replies: list[Reply]
    attachments: list[Attachment]


def _reads(key: Column[Any]) -> tuple[Select[Any], Select[Any]]:
    letter = (
        select(*SHOWN, *_ATTACHMENT_COLUMNS)
        .select_from(LETTERS.outerjoin(ATTACHMENTS, ATTACHMENTS.c.letter_id == LETTERS.c.id))
        .where(key == bindparam("key"))
        .order_by(ATTACHMENTS.c.uploaded_at)
    )
    replies = (
        select(LETTERS.c.id, LETTERS.c.registration_number)
        .where(
            LETTERS.c.in_reply_to_id
            == select(LETTERS.c.id).where(key == bindparam("key")).scalar_subquery()
        )
        .order_by(LETTERS.c.registered_at)
    )
    return letter, replies


# Built once each: chancery.pipelined.select_together compiles a statement object once.
BY_ID, BY_NUMBER = _reads(LETTERS.c.id), _reads(LETTERS.c.registration_number)


def whole_letter(
    session: Session, audit: Table, reads: tuple[Select[Any], Select[Any]], key: str
) -> tuple[WholeLetter | None, ChainHead]:
    """The letter ``reads`` (:data:`BY_ID` or :data:`BY_NUMBER`) find for ``key``, or None,
    and the head of the ``audit`` chain, whose lock the transaction now holds."""
    (letter_rows, reply_rows), head = select_at_chain_head(
        session, audit, [(statement, {"key": key}) for statement in reads]
    )
    if not letter_rows:
        return None, head
    first = letter_rows[0]
    letter = letter_of(first)
    attachments = [
        transient(
            Attachment,
            {
                key[len(_ATTACHED) :]: value
                for key, value in row.items()
                if key.startswith(_ATTACHED)
            },
        )
        for row in letter_rows
        if row[_ATTACHED + "id"] is not None
    ]
    replies = [Reply(row["id"], row["registration_number"]) for row in reply_rows]
    return WholeLetter(letter, replies, attachments), head
