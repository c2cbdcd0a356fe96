"""CSV exports that a spreadsheet opens as data, never as formulas.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is taken for a formula by spreadsheet programs (CSV or formula injection: a
citizen's subject ``=HYPERLINK(...)`` would run on the registrar's
computer). Such a text cell is written with a leading apostrophe, which the
spreadsheet shows as text. Numbers and dates are not text a citizen typed
and are written as they are. Every export of every service writes through
:func:`csv_text` or :func:`csv_lines`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """One cell's text: empty for None, text that could be a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV document (header first) line by line, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _with_header(header, rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV document (header first) as one text."""
    return "".join(csv_lines(header, rows))


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Any]]
                 ) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows
