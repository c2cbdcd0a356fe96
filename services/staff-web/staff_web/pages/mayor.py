"""The mayor's office: assignments under execution control, the dashboard and the reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from staff_web.api_client import ApiError
from staff_web.charts import Series, grouped_bars
from staff_web.i18n import reason_text
from staff_web.pages.desk import directory_of, today
from staff_web.security import api, signed_in
from staff_web.vocabulary_labels import label
from staff_web.work import due_state, on_time_series

blueprint = Blueprint("mayor", __name__, url_prefix="/mayor")
OFFICE = ("mayor_office", "mayor", "deputy_mayor", "director")
LEADERSHIP_ADDRESSEES = ("mayor", "deputy_mayor", "council_chair", "director")


def _departments() -> list[Any]:
    return current_app.extensions["staff_web.profile"].departments


def _assignments_page(errors: dict[str, list[str]] | None = None, status: int = 200
                      ) -> tuple[str, int]:
    shown = request.args.get("status") or "open"
    day = today()
    rows = [{**row, "due_state": due_state(row.get("due_date"), day, row.get("status"))}
            for row in api().assignments(status=shown)]
    members, directory_ok = directory_of(None)
    return render_template("mayor/assignments.html", assignments=rows, shown=shown,
                           departments=_departments(), members=members,
                           names={m["subject"]: m.get("name") or m["subject"] for m in members},
                           directory_ok=directory_ok, errors=errors or {},
                           done=request.args.get("done"), form=request.form), status


@blueprint.get("/assignments")
@signed_in(*OFFICE)
def assignments() -> tuple[str, int]:
    """Who gave it, to whom, due when, its status and report."""
    return _assignments_page()


def _refused(error: ApiError, prefix: str) -> tuple[str, int]:
    if error.status not in (403, 409, 422):
        raise error
    reasons = error.field_errors or {"_schema": [error.detail or error.title]}
    return _assignments_page({f"{prefix}.{k}": [reason_text(r) for r in v]
                              for k, v in reasons.items()}, error.status)


@blueprint.post("/assignments")
@signed_in(*OFFICE)
def give() -> Any:
    """Give an assignment to a department (and a person in it, when chosen)."""
    form = {name: (request.form.get(name) or "").strip()
            for name in ("title", "description", "department_code", "executor", "due_date")}
    try:
        api().give_assignment(form["title"], form["description"], form["department_code"],
                              form["executor"], form["due_date"])
    except ApiError as error:
        return _refused(error, "give")
    return redirect(url_for("mayor.assignments", done="given"))


@blueprint.post("/assignments/<uuid:assignment_id>/finish")
@signed_in(*OFFICE, "department_staff", "department_head")
def finish(assignment_id: Any) -> Any:
    """Report an assignment done (with what was done) or cancel it."""
    status = "cancelled" if request.form.get("status") == "cancelled" else "done"
    try:
        api().finish_assignment(str(assignment_id), status,
                                (request.form.get("report") or "").strip())
    except ApiError as error:
        return _refused(error, "finish")
    back = request.form.get("back")
    if back == "desk":
        return redirect(url_for("desk.desk"))
    return redirect(url_for("mayor.assignments", done=status))


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, 1)


@blueprint.get("/dashboard")
@signed_in(*OFFICE)
def dashboard() -> str:
    """Overdue and due soon by department; the on-time rate per department and month."""
    day = today()
    due_lines = api().due_report()
    start = _months_back(day, 5)
    lines = api().deadline_report(start.isoformat(), day.isoformat())
    months, rates = on_time_series(lines)
    chart = grouped_bars(gettext("On-time rate per department and month, percent"), months,
                         [Series(code, values) for code, values in rates.items()])
    return render_template("mayor/dashboard.html", due_lines=due_lines, lines=lines,
                           months=months, rates=rates, chart=Markup(chart), day=day)


@blueprint.get("/reports")
@signed_in(*OFFICE)
def reports() -> tuple[str, int]:
    """Weekly or monthly: incoming letters addressed to the leadership, per period."""
    group = "week" if request.args.get("group") == "week" else "month"
    day = today()
    default_start = day - timedelta(weeks=8) if group == "week" else _months_back(day, 5)
    query = {"from": request.args.get("from") or default_start.isoformat(),
             "to": request.args.get("to") or day.isoformat(), "group": group}
    errors: dict[str, list[str]] = {}
    periods: list[dict[str, Any]] = []
    try:
        periods = api().letter_statistics(query["from"], query["to"], group)
    except ApiError as error:
        if error.status != 422:
            raise
        errors = {k: [reason_text(r) for r in v] for k, v in error.field_errors.items()}
    rows = [{"period": p["period"],
             "counts": [p["addressee"].get(kind, 0) for kind in LEADERSHIP_ADDRESSEES]}
            for p in periods]
    return render_template("mayor/reports.html", query=query, rows=rows, errors=errors,
                           kinds=[label("addressee", k) for k in LEADERSHIP_ADDRESSEES]
                           ), 422 if errors else 200
