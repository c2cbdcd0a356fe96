"""Routing's HTTP views of on-time rates, handling times, what is due and overdue: parse,
call one use case, answer."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.csv_files import report_csv
from chancery.http.openapi import also_answers
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.schemas import ReportPeriodQuery
from chancery.http.security import principal
from routing.http.schemas import reports as schemas
from routing.permissions import REPORT_READERS
from routing.usecases.reports import Reports

reports = Resource("reports", __name__, "On-time rate, handling time, open and overdue letters.")
_reports = use_case("reports", Reports)


@reports.listing(
    ReportPeriodQuery,
    schemas.ReportLineOut,
    roles=REPORT_READERS,
    path="/deadlines",
    also=(also_answers("text/csv"),),
)
def deadline_report(query: dict[str, Any]) -> Any:
    """On-time rate and average handling time per department and month; open and overdue now."""
    lines = _reports().deadlines(query["start"], query["end"], principal())
    if query["format"] == "json":
        return answer_page(lines, query, lambda line: (line.department, line.month))
    return report_csv(
        lines, schemas.ReportLineOut(), f"deadlines-{query['start']}-{query['end']}.csv"
    )


@reports.listing(PageQuery, schemas.DueLineOut, roles=REPORT_READERS, path="/due")
def due_report(query: dict[str, Any]) -> Any:
    """Open letters and assignments overdue and due soon per department, as of today: the
    mayor's dashboard (counts, the same for every reader; a head sees the own line)."""
    lines = _reports().due(principal())
    return answer_page(lines, query, lambda line: (line.department,))
