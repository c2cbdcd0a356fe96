"""Representation expenses per period (JSON/CSV)."""

from __future__ import annotations

from typing import Any

from chancery.http.csv_files import report_csv
from chancery.http.openapi import also_answers
from chancery.http.paging import answer_page
from chancery.http.resources import Resource
from chancery.http.schemas import ReportPeriodQuery
from protocol_events.http.answers import costs_use_case
from protocol_events.http.schemas.reports import ExpenseLineOut
from protocol_events.permissions import EXPENSE_READERS

reports = Resource(
    "expense-reports",
    __name__,
    "Representation expenses per period.",
    url_prefix="/reports",
)


@reports.listing(
    ReportPeriodQuery,
    ExpenseLineOut,
    roles=EXPENSE_READERS,
    path="/expenses",
    also=(also_answers("text/csv"),),
)
def expense_report(query: dict[str, Any]) -> Any:
    """Representation expenses per event and category for events in a period (JSON or CSV)."""
    lines = costs_use_case().expense_report(query["start"], query["end"])
    if query["format"] == "json":
        return answer_page(lines, query)
    return report_csv(
        lines,
        ExpenseLineOut(),
        f"representation-expenses-{query['start']}-{query['end']}.csv",
    )
