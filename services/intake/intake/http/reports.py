"""The protocol book's export as CSV and the statistics."""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.resources import Resource
from chancery.http.security import principal
from intake.adapters.repositories import LetterFilters
from intake.http.schemas import reports as schemas
from intake.permissions import EXPORTERS, STATISTICS_READERS
from intake.usecases.exports import Exports
from intake.usecases.statistics import Statistics

reports = Resource("reports", __name__, "Protocol book export and statistics.", url_prefix="")


_exports = use_case("exports", Exports)


_statistics = use_case("statistics", Statistics)


@reports.operation(
    "GET",
    "/protocol-book",
    EXPORTERS,
    reports.blueprint.arguments(schemas.ExportQuery(), location="query", unknown=RAISE),
    reports.doc(
        responses={
            "200": {"description": "CSV, UTF-8 with a header line", "content": {"text/csv": {}}}
        }
    ),
    marks=(personal_data("letter"),),
)
def export_protocol_book(query: dict[str, Any]) -> Response:
    """The protocol book for a period as CSV, narrowed like a search (the export is audited)."""
    start, end = query.pop("start"), query.pop("end")
    lines = _exports().protocol_book_csv(start, end, principal(), LetterFilters(**query))
    filename = f"protocol-book-{start}-{end}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@reports.reading(
    "/statistics",
    schemas.StatisticsOut,
    roles=STATISTICS_READERS,
    query=schemas.StatisticsQuery,
)
def statistics(query: dict[str, Any]) -> dict[str, Any]:
    """Incoming letters counted by kind, addressee, status and channel per week or month."""
    periods = _statistics().statistics(query["start"], query["end"], query["group"], principal())
    return {"group": query["group"], "periods": periods}
