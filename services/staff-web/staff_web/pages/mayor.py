"""The mayor's office: assignments under execution control, the dashboard and the reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from staff_web import forms, municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.charts import Chart, Series
from staff_web.exports import csv_bytes, download, xlsx_bytes
from staff_web.i18n import department_name, field_reasons, reason_text
from staff_web.pages.desk import directory_of
from staff_web.permissions import ASSIGNMENT_FINISHERS, MAYOR_OFFICE
from staff_web.security import api, signed_in
from staff_web.views import page
from staff_web.vocabulary_labels import label
from staff_web.work import due_state, on_time_series

blueprint = Blueprint("mayor", __name__, url_prefix="/mayor")
STATUSES = ("open", "done", "cancelled")
LEADERSHIP_ADDRESSEES = ("mayor", "deputy_mayor", "council_chair", "director")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Table = tuple[list[str], list[list[str | int]]]


def _departments() -> list[Any]:
    return municipality.profile().departments


def _shown_status() -> str:
    asked = request.values.get("status")
    return asked if asked in STATUSES else "open"


@page(blueprint, "/assignments", *MAYOR_OFFICE, endpoint="assignments")
def _assignments_page(
    errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    """Who gave it, to whom, due when, its status and report: one page of the assignments
    of a status (a done or cancelled list only grows)."""
    shown = _shown_status()
    cursor = request.values.get("cursor", "").strip() or None
    day = municipality.today()
    found = api().assignments_page(shown, cursor)
    rows = [
        {**row, "due_state": due_state(row.get("due_date"), day, row.get("status"))}
        for row in found["items"]
    ]
    members, directory_ok = directory_of(None)
    return render_template(
        "mayor/assignments.html",
        assignments=rows,
        shown=shown,
        cursor=cursor,
        next_cursor=found["next_cursor"],
        departments=_departments(),
        members=members,
        names={m["subject"]: m.get("name") or m["subject"] for m in members},
        directory_ok=directory_ok,
        errors=errors or {},
        done=request.args.get("done"),
        form=request.form,
    ), status


def _refused(error: ApiError, prefix: str) -> tuple[str, int]:
    if error.status not in (403, 409, 422):
        raise error
    return _assignments_page(field_reasons(error, f"{prefix}."), error.status)


@blueprint.post("/assignments")
@signed_in(*MAYOR_OFFICE)
def give() -> Any:
    """Give an assignment to a department (and a person in it, when chosen)."""
    form = forms.typed(
        request.form, "title", "description", "department_code", "executor", "due_date"
    )
    try:
        api().give_assignment(
            form["title"],
            form["description"],
            form["department_code"],
            form["executor"],
            form["due_date"],
        )
    except ApiError as error:
        return _refused(error, "give")
    return redirect(url_for("mayor.assignments", done="given"))


@blueprint.post("/assignments/<uuid:assignment_id>/remind")
@signed_in(*MAYOR_OFFICE)
def remind(assignment_id: Any) -> Any:
    """Remind the executor now; htmx swaps the row's reminder cell, a plain form returns to
    the list. A second reminder within the hour is refused with the reason on the page."""
    try:
        task = api().remind_executor(str(assignment_id))
    except ApiError as error:
        if error.status != 429:
            return _refused(error, "remind")
        if request.headers.get("HX-Request"):
            # htmx swaps 2xx answers only: the refusal is the fragment, said in the cell.
            return render_template(
                "mayor/reminded.html",
                refused=True,
                task={"id": str(assignment_id), "status": "open", "executor": True},
            )
        return _assignments_page(
            {
                "remind._schema": [
                    gettext(
                        "The executor was reminded less than an hour ago; another reminder can be "
                        "sent an hour after the last one."
                    )
                ]
            },
            429,
        )
    if request.headers.get("HX-Request"):
        return render_template("mayor/reminded.html", task=task, refused=False, reminded_now=True)
    return redirect(url_for("mayor.assignments", done="reminded"))


@blueprint.post("/assignments/<uuid:assignment_id>/finish")
@signed_in(*ASSIGNMENT_FINISHERS)
def finish(assignment_id: Any) -> Any:
    """Report an assignment done (with what was done) or cancel it."""
    status = "cancelled" if request.form.get("status") == "cancelled" else "done"
    try:
        api().finish_assignment(
            str(assignment_id), status, (request.form.get("report") or "").strip()
        )
    except ApiError as error:
        return _refused(error, "finish")
    back = request.form.get("back")
    if back == "desk":
        return redirect(url_for("desk.desk"))
    return redirect(url_for("mayor.assignments", done=status))


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _department_or_none(line: dict[str, Any]) -> str:
    """The due report's department: "—" is the open work of no department."""
    code: str = line["department"]
    return department_name(code) if code != "—" else gettext("no department")


# The exports' columns: the heading and what the report's line gives for it.
Column = tuple[LazyString, Callable[[dict[str, Any]], Any]]
DUE_COLUMNS: tuple[Column, ...] = (
    (lazy_gettext("Department"), _department_or_none),
    (lazy_gettext("Letters overdue"), itemgetter("letters_overdue")),
    (lazy_gettext("Letters due soon"), itemgetter("letters_due_soon")),
    (lazy_gettext("Assignments overdue"), itemgetter("assignments_overdue")),
    (lazy_gettext("Assignments due soon"), itemgetter("assignments_due_soon")),
)
ON_TIME_COLUMNS: tuple[Column, ...] = (
    (lazy_gettext("Department"), lambda line: department_name(line["department"])),
    (lazy_gettext("Month"), itemgetter("month")),
    (lazy_gettext("Answered"), itemgetter("answered")),
    (lazy_gettext("On time"), itemgetter("on_time")),
    (lazy_gettext("Open"), itemgetter("open")),
    (lazy_gettext("Overdue"), itemgetter("overdue")),
)


def _table(lines: list[dict[str, Any]], columns: tuple[Column, ...]) -> Table:
    """A report's lines as an export's headings and rows."""
    return [str(heading) for heading, _cell in columns], [
        [cell(line) for _heading, cell in columns] for line in lines
    ]


def _on_time_lines(day: date) -> list[dict[str, Any]]:
    return api().deadline_report(_months_back(day, 5).isoformat(), day.isoformat())


def _download(table: Table, sheet: str, name: str, extension: str) -> Response:
    """The figures of one table as a file: CSV (UTF-8 with a BOM) or XLSX (numbers as numbers)."""
    header, rows = table
    if extension == "csv":
        content, mimetype = csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        content, mimetype = xlsx_bytes(sheet, header, rows), XLSX
    return download(content, mimetype, f"{name}-{municipality.today().isoformat()}.{extension}")


@blueprint.get("/dashboard")
@signed_in(*MAYOR_OFFICE)
def dashboard() -> str:
    """Overdue and due soon by department; the on-time rate per department and month."""
    day = municipality.today()
    due_lines = api().due_report()
    lines = _on_time_lines(day)
    months, rates = on_time_series(lines)
    chart = Chart(
        gettext("On-time rate per department and month, percent"),
        months,
        [Series(code, values) for code, values in rates.items()],
    ).grouped()
    return render_template(
        "mayor/dashboard.html",
        due_lines=due_lines,
        lines=lines,
        chart=Markup(chart),
        day=day,
    )


@blueprint.get("/dashboard/due.<any(csv, xlsx):extension>")
@signed_in(*MAYOR_OFFICE)
def due_export(extension: str) -> Response:
    """The dashboard's overdue and due-soon figures per department, as of today."""
    return _download(
        _table(api().due_report(), DUE_COLUMNS), gettext("Overdue and due soon"), "due", extension
    )


@blueprint.get("/dashboard/on-time.<any(csv, xlsx):extension>")
@signed_in(*MAYOR_OFFICE)
def on_time_export(extension: str) -> Response:
    """The dashboard's on-time figures per department and month (the chart's numbers)."""
    return _download(
        _table(_on_time_lines(municipality.today()), ON_TIME_COLUMNS),
        gettext("On time"),
        "on-time",
        extension,
    )


def _report_query() -> dict[str, str]:
    group = "week" if request.args.get("group") == "week" else "month"
    day = municipality.today()
    default_start = day - timedelta(weeks=8) if group == "week" else _months_back(day, 5)
    return {
        "from": request.args.get("from") or default_start.isoformat(),
        "to": request.args.get("to") or day.isoformat(),
        "group": group,
    }


def _report_rows(query: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The counts per period and addressee, or the reasons intake refused the query."""
    periods = answer_or_refusal(
        (422,), lambda: api().letter_statistics(query["from"], query["to"], query["group"])
    )
    if isinstance(periods, ApiError):
        return [], {k: [reason_text(r) for r in v] for k, v in periods.field_errors.items()}
    return [
        {
            "period": p["period"],
            "counts": [p["addressee"].get(kind, 0) for kind in LEADERSHIP_ADDRESSEES],
        }
        for p in periods
    ], {}


def _kinds() -> list[str]:
    return [str(label("addressee", k)) for k in LEADERSHIP_ADDRESSEES]


def _reports_page(
    query: dict[str, str], rows: list[dict[str, Any]], errors: dict[str, list[str]]
) -> tuple[str, int]:
    return render_template(
        "mayor/reports.html", query=query, rows=rows, errors=errors, kinds=_kinds()
    ), 422 if errors else 200


@blueprint.get("/reports")
@signed_in(*MAYOR_OFFICE)
def reports() -> tuple[str, int]:
    """Weekly or monthly: incoming letters addressed to the leadership, per period."""
    query = _report_query()
    return _reports_page(query, *_report_rows(query))


@blueprint.get("/reports.<any(csv, xlsx):extension>")
@signed_in(*MAYOR_OFFICE)
def reports_export(extension: str) -> Response | tuple[str, int]:
    """The report's figures as a file; a period intake refuses is the page with the reasons."""
    query = _report_query()
    rows, errors = _report_rows(query)
    if errors:
        return _reports_page(query, rows, errors)
    table: Table = (
        [gettext("Period"), *_kinds()],
        [[row["period"], *row["counts"]] for row in rows],
    )
    return _download(
        table,
        gettext("Letters to the leadership"),
        f"leadership-letters-{query['group']}",
        extension,
    )
