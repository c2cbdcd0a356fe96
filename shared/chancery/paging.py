"""Keyset paging, the same for every list of every service (pure: no Flask, no database).

A page is read *after* the last row the client saw, never at an offset, so
page 1,000 costs what page 1 costs and rows added meanwhile do not shift
later pages. The client carries the position as an opaque ``cursor``: the
last row's sort key, JSON in base64url with a check over the key and the
list it belongs to. A cursor altered, truncated or taken from another list
(or another sort order) is refused as :class:`InvalidCursor`; the HTTP layer
answers 422 on the field ``cursor``.

The check is not a signature: a client able to forge a cursor learns and
gains nothing, since a cursor only says where to resume; the caller's
filters and clearance still decide which rows exist.

:func:`page_of_rows` pages a list already in memory (the few rows of one
record, e.g. an event's participants) with the same cursors and the same
answer; SQL lists use :mod:`chancery.http.paging`'s ``fetch_page``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar
from uuid import UUID

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# A cursor holds a few sort keys; anything longer is not one of ours.
MAX_CURSOR_LENGTH = 1000
_CHECK_LENGTH = 16

Row = TypeVar("Row")
SortKey = tuple[Any, ...]


class InvalidCursor(ValueError):
    """A cursor that is malformed, altered, or belongs to another list or sort order."""


@dataclass(frozen=True)
class PageRequest:
    """What a client asked for: how many, after which row, in which order, with a total?"""

    limit: int = DEFAULT_LIMIT
    after: SortKey | None = None
    sort: str | None = None
    with_total: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page: its rows, the key to resume after (None on the last page), the total if asked."""

    items: list[Row]
    next_key: SortKey | None
    total: int | None = None

    def map(self, convert: Callable[[Row], Any]) -> Page[Any]:
        """The same page with every row converted (e.g. to the dict a view answers)."""
        return Page([convert(item) for item in self.items], self.next_key, self.total)


def encode_cursor(scope: str, key: Sequence[Any]) -> str:
    """The opaque cursor resuming after the row whose sort key is ``key`` in list ``scope``.

    ``scope`` names the list and its order (e.g. ``"letters.list_letters -registered"``);
    a cursor decodes only with the same scope.
    """
    values = [_tagged(value) for value in key]
    document = {"k": values, "c": _check(scope, values)}
    raw = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(scope: str, cursor: str) -> SortKey:
    """The sort key a cursor of list ``scope`` resumes after; :class:`InvalidCursor` if not ours."""
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("is not a cursor of this list")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        document = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("is not a cursor of this list") from error
    if (
        not isinstance(document, dict)
        or set(document) != {"k", "c"}
        or not isinstance(document["k"], list)
    ):
        raise InvalidCursor("is not a cursor of this list")
    if document["c"] != _check(scope, document["k"]):
        raise InvalidCursor("was altered or belongs to another list or sort order")
    return tuple(_untagged(value) for value in document["k"])


def page_of_rows(
    rows: Sequence[Row],
    request: PageRequest,
    key: Callable[[Row], SortKey],
    *,
    descending: bool = False,
) -> Page[Row]:
    """A page of rows already in memory, sorted by ``key`` (unique per row), as SQL would page."""
    ordered = sorted(rows, key=key, reverse=descending)
    if request.after is not None:
        after = request.after
        ordered = [row for row in ordered if (key(row) < after if descending else key(row) > after)]
    return trimmed(
        ordered[: request.limit + 1], request, key, total=len(rows) if request.with_total else None
    )


def trimmed(
    rows: Sequence[Row],
    request: PageRequest,
    key: Callable[[Row], SortKey],
    total: int | None = None,
) -> Page[Row]:
    """The page from up to ``limit + 1`` rows read after the cursor: the extra row means more."""
    items = list(rows[: request.limit])
    more = len(rows) > request.limit
    return Page(items, key(items[-1]) if more and items else None, total)


def _check(scope: str, values: list[Any]) -> str:
    material = json.dumps([scope, values], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()[:_CHECK_LENGTH]


# JSON has no dates, UUIDs or decimals: each travels as a one-key object naming its type.
def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, UUID):
        return {"u": str(value)}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a sort key cannot hold {type(value).__name__}")


_DECODERS: dict[str, Callable[[str], Any]] = {
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "u": UUID,
    "n": Decimal,
}


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) != 1:
            raise InvalidCursor("is not a cursor of this list")
        ((tag, text),) = value.items()
        decoder = _DECODERS.get(tag)
        if decoder is None or not isinstance(text, str):
            raise InvalidCursor("is not a cursor of this list")
        try:
            return decoder(text)
        except (ValueError, InvalidOperation) as error:
            raise InvalidCursor("is not a cursor of this list") from error
    if isinstance(value, list):
        raise InvalidCursor("is not a cursor of this list")
    return value
