"""Keyset reads in SQL: ``WHERE (k1, k2) > (:v1, :v2) ORDER BY k1, k2 LIMIT n + 1``.

The SQL side of :mod:`chancery.paging`, for use cases (no Flask here): a deep
page costs what the first costs, since the database seeks to the last row's
key through the index instead of counting rows off. :mod:`chancery.http.paging`
answers the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, false, func, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from chancery.db import UTCDateTime
from chancery.errors import InvalidInput
from chancery.paging import InvalidCursor, Page, PageRequest, SortKey, trimmed


@dataclass(frozen=True)
class Ordering:
    """One sort key of a list: a column (unique together with the ones after it), which way."""

    column: Any
    descending: bool = False

    @property
    def name(self) -> str:
        """The attribute a row read by the list holds this key under."""
        return str(self.column.key)


def order_of(*keys: Any) -> tuple[Ordering, ...]:
    """Orderings from columns, a column wrapped in ``desc()`` sorting newest first.

    ``order_of(desc(Letter.registered_at), desc(Letter.sequence))``.
    """
    orderings = []
    for key in keys:
        modifier = getattr(key, "modifier", None)
        descending = getattr(modifier, "__name__", "") == "desc_op"
        orderings.append(Ordering(key.element if descending else key, descending))
    return tuple(orderings)


def after_key(orderings: Sequence[Ordering], key: SortKey) -> ColumnElement[bool]:
    """The keyset condition: rows strictly after ``key`` in the order of ``orderings``.

    One direction: a row-value comparison ``(k1, k2) > (:v1, :v2)`` an index serves.
    Mixed directions: ``k1 > :v1 OR (k1 = :v1 AND k2 < :v2) ...``.
    """
    if len(key) != len(orderings):
        raise InvalidCursor("is not a cursor of this list")
    for ordering, value in zip(orderings, key, strict=True):
        # An aware column's cursor holds aware instants; a naive one was made by hand and
        # would fail the query (UTCDateTime refuses it), not page it.
        if (
            isinstance(value, datetime)
            and value.tzinfo is None
            and isinstance(ordering.column.type, UTCDateTime)
        ):
            raise InvalidCursor("holds a time without its UTC offset")
    values = [
        bindparam(None, value, type_=ordering.column.type)
        for ordering, value in zip(orderings, key, strict=True)
    ]
    directions = {ordering.descending for ordering in orderings}
    if len(directions) == 1:
        columns = tuple_(*(ordering.column for ordering in orderings))
        bound = tuple_(*values)
        return columns < bound if directions == {True} else columns > bound
    condition: ColumnElement[bool] = false()
    for index in reversed(range(len(orderings))):
        ordering, value = orderings[index], values[index]
        beyond = ordering.column < value if ordering.descending else ordering.column > value
        condition = (
            or_(beyond, and_(ordering.column == value, condition))
            if index < len(orderings) - 1
            else beyond
        )
    return condition


def fetch_page(
    session: Session,
    query: Select[Any],
    orderings: Sequence[Ordering],
    page: PageRequest,
    *,
    scalars: bool = True,
    key_of: Callable[[Any], SortKey] | None = None,
) -> Page[Any]:
    """Read one page of ``query`` by keyset in the order of ``orderings``.

    ``orderings`` must end with a unique key (the id) so every row has its own
    position. Rows are ORM objects (``scalars``) or result rows; their key is
    read from the orderings' attribute names unless ``key_of`` says otherwise.
    """
    total = None
    if page.with_total:
        total = (
            session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        )
    paged = query
    if page.after is not None:
        try:
            paged = paged.where(after_key(orderings, page.after))
        except InvalidCursor as error:
            raise InvalidInput(
                "The cursor is not one of this list.", field="cursor", reason=str(error)
            ) from error
    paged = (
        paged.order_by(None)
        .order_by(
            *(
                ordering.column.desc() if ordering.descending else ordering.column.asc()
                for ordering in orderings
            )
        )
        .limit(page.limit + 1)
    )
    result = session.scalars(paged) if scalars else session.execute(paged)
    rows = list(result)
    names = [ordering.name for ordering in orderings]
    return trimmed(rows, page, key_of or (lambda row: tuple(getattr(row, n) for n in names)), total)
