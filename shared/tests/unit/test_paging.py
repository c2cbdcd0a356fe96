"""Tests for keyset paging: cursors round-trip and refuse what is not theirs; pages in memory."""

import base64
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from chancery.paging import (
    MAX_LIMIT,
    InvalidCursor,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_of_rows,
)

SCOPE = "letters.list_letters -registered"


def test_cursor_round_trips_every_kind_of_key() -> None:
    key = (
        datetime(2026, 12, 8, 12, 45, tzinfo=UTC),
        date(2026, 12, 8),
        uuid.uuid4(),
        Decimal("12.50"),
        "Žemaitė ნინო",
        7,
        None,
    )
    assert decode_cursor(SCOPE, encode_cursor(SCOPE, key)) == key


def test_cursor_is_url_safe_without_padding() -> None:
    cursor = encode_cursor(SCOPE, ("ą" * 17, 3))
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_cursor_of_another_list_or_order_is_refused() -> None:
    cursor = encode_cursor(SCOPE, ("P-2026-00003",))
    with pytest.raises(InvalidCursor, match="another list"):
        decode_cursor("events.list_events ", cursor)
    with pytest.raises(InvalidCursor, match="another list"):
        decode_cursor("letters.list_letters registered", cursor)


def test_altered_cursor_is_refused() -> None:
    document = json.loads(base64.urlsafe_b64decode(encode_cursor(SCOPE, (5,)) + "=="))
    document["k"] = [6]
    forged = base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")
    with pytest.raises(InvalidCursor, match="altered"):
        decode_cursor(SCOPE, forged)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "!!!",
        "bm90IGpzb24",
        "W10",
        "eyJrIjoxLCJjIjoieCJ9",
        "x" * 2000,
        "%00",
        "eyJrIjpbeyJkdCI6Im5vIn1dLCJjIjoiIn0",
    ],
)
def test_malformed_cursor_is_refused_not_crashing(garbage: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(SCOPE, garbage)


def test_tagged_value_with_a_bad_date_is_refused_even_with_a_matching_check() -> None:
    import hashlib

    values = [{"dt": "not a time"}]
    check = hashlib.sha256(json.dumps([SCOPE, values], separators=(",", ":")).encode()).hexdigest()[
        :16
    ]
    raw = json.dumps({"k": values, "c": check}).encode()
    with pytest.raises(InvalidCursor):
        decode_cursor(SCOPE, base64.urlsafe_b64encode(raw).decode())


def test_limit_is_bounded() -> None:
    with pytest.raises(ValueError):
        PageRequest(limit=0)
    with pytest.raises(ValueError):
        PageRequest(limit=MAX_LIMIT + 1)


def test_pages_in_memory_walk_every_row_once_in_order() -> None:
    rows = [{"n": n} for n in [5, 3, 9, 1, 7, 2, 8]]
    seen, after = [], None
    while True:
        page = page_of_rows(rows, PageRequest(limit=3, after=after), lambda r: (r["n"],))
        seen += [row["n"] for row in page.items]
        if page.next_key is None:
            break
        after = page.next_key
    assert seen == [1, 2, 3, 5, 7, 8, 9]


def test_pages_in_memory_descending_with_total() -> None:
    rows = [{"n": n} for n in range(5)]
    first = page_of_rows(
        rows, PageRequest(limit=2, with_total=True), lambda r: (r["n"],), descending=True
    )
    assert [r["n"] for r in first.items] == [4, 3]
    assert first.total == 5
    second = page_of_rows(
        rows, PageRequest(limit=2, after=first.next_key), lambda r: (r["n"],), descending=True
    )
    assert [r["n"] for r in second.items] == [2, 1]
    assert second.total is None


def test_last_full_page_has_no_next_key() -> None:
    rows = [{"n": n} for n in range(4)]
    page = page_of_rows(rows, PageRequest(limit=4), lambda r: (r["n"],))
    assert len(page.items) == 4
    assert page.next_key is None
