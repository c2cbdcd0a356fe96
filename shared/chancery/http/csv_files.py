"""CSV files a view answers for download: a report's lines, a list of open data.

The cells go through :func:`chancery.csvexport.csv_text`, so a text that a
spreadsheet would take for a formula is written as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from flask import Response
from marshmallow import Schema

from chancery.csvexport import csv_text


def csv_file(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """``rows`` under ``header`` as the CSV attachment ``filename``."""
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def report_csv(lines: Iterable[Any], schema: Schema, filename: str) -> Response:
    """A report's lines (dataclasses) as the CSV attachment ``filename``: a column per field
    of ``schema``, the report's JSON line, in its order."""
    header = list(schema.fields)
    return csv_file(header, ([asdict(line)[name] for name in header] for line in lines), filename)
