"""Tables (the protocol book, the mayor's reports) as CSV (UTF-8 with a byte-order mark)
and XLSX; any file handed to the reader as a download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from flask import Response

BOM = "\ufeff"


def download(content: bytes | str, mimetype: str, filename: str) -> Response:
    """``content`` as a file the browser saves as ``filename`` (ASCII: a slug, a number)."""
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> bytes:
    """CSV text with a BOM, so spreadsheet programs read the diacritics right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> bytes:
    """One worksheet with a bold header row and a filter on it; numbers stay numbers."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, header, bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        worksheet.write_row(count, 0, list(row))
    worksheet.autofilter(0, 0, max(count, 1), len(header) - 1)
    worksheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
