"""The operator's console: every service's dead letters and outbox lag, notifications'
deliveries and templates, and the working calendar's decree days.

Services are addressed by their names (``/operator/dead-letters/foreign-relations``),
deliveries by what the operator searched for; a delivery's id travels only in a form.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext

from staff_web import forms, municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.i18n import LANGUAGES, field_reasons, reason_text
from staff_web.permissions import OPERATOR
from staff_web.security import api, signed_in

blueprint = Blueprint("operator", __name__, url_prefix="/operator")
# The services by the name people know them by, and the API client's key for each.
SERVICES = {
    "intake": "intake",
    "routing": "routing",
    "protocol-events": "protocol_events",
    "foreign-relations": "foreign_relations",
    "notifications": "notifications",
}
DELIVERY_STATES = ("queued", "sending", "delivered", "temporary_failure", "permanent_failure")
RESENDABLE = ("temporary_failure", "permanent_failure")


def _service(name: str) -> str:
    if name not in SERVICES:
        abort(404)
    return SERVICES[name]


def messaging_refusal(error: ApiError) -> str:
    """Why a service's dead letters cannot be read, in the operator's language."""
    if error.status == 409:
        return gettext(
            "This instance runs embedded, on an in-memory bus without dead-letter queues."
        )
    if error.status == 503:
        return gettext("The message broker cannot be reached.")
    return reason_text(error.detail or error.title)


def _messaging(service: str) -> dict[str, Any]:
    client = api()
    row: dict[str, Any] = {"name": service}
    try:
        row["outbox"] = client.outbox_lag(SERVICES[service])
    except ApiError as error:
        row["outbox_problem"] = reason_text(error.detail or error.title)
    try:
        row["dead_letters"] = len(client.dead_letters(SERVICES[service]))
    except ApiError as error:
        row["dead_letters_problem"] = messaging_refusal(error)
    return row


@blueprint.get("")
@signed_in(*OPERATOR)
def console() -> str:
    """Every service's outbox lag and how many dead letters wait."""
    return render_template(
        "operator/console.html", services=[_messaging(name) for name in SERVICES]
    )


def _dead_letters_page(
    service: str, replayed: int | None = None, confirm: dict[str, Any] | None = None
) -> str:
    try:
        letters, problem = api().dead_letters(_service(service)), None
    except ApiError as error:
        letters, problem = [], messaging_refusal(error)
    return render_template(
        "operator/dead_letters.html",
        service=service,
        letters=letters,
        problem=problem,
        replayed=replayed,
        confirm=confirm,
    )


@blueprint.get("/dead-letters/<string:service>")
@signed_in(*OPERATOR)
def dead_letters(service: str) -> str:
    """A service's dead letters with why each failed, and how often it was replayed."""
    replayed = request.args.get("replayed", type=int)
    return _dead_letters_page(service, replayed)


@blueprint.post("/dead-letters/<string:service>/replay")
@signed_in(*OPERATOR)
def replay(service: str) -> Any:
    """Replay one dead letter (or all) after a confirmation: the first post asks."""
    message_id = (request.form.get("message_id") or "").strip() or None
    if request.form.get("confirm") != "yes":
        return _dead_letters_page(service, confirm={"message_id": message_id})
    try:
        count = api().replay_dead_letters(_service(service), [message_id] if message_id else None)
    except ApiError as error:
        return render_template(
            "operator/dead_letters.html",
            service=service,
            letters=[],
            problem=messaging_refusal(error),
            replayed=None,
            confirm=None,
        ), error.status
    return redirect(url_for("operator.dead_letters", service=service, replayed=count))


def _delivery_filters() -> dict[str, str]:
    asked = {
        key: (request.values.get(key) or "").strip() for key in ("recipient", "cause", "status")
    }
    if asked["status"] and asked["status"] not in DELIVERY_STATES:
        asked["status"] = ""
    return asked


@blueprint.get("/deliveries")
@signed_in(*OPERATOR)
def deliveries() -> tuple[str, int]:
    """Deliveries searched by recipient, cause and state, with resend for failed ones."""
    filters, rows, errors = _delivery_filters(), [], {}
    if any(filters.values()):
        try:
            rows = api().deliveries(**filters)
        except ApiError as error:
            if error.status != 422:
                raise
            errors = {k: [reason_text(r) for r in v] for k, v in error.field_errors.items()}
    return render_template(
        "operator/deliveries.html",
        filters=filters,
        rows=rows,
        errors=errors,
        states=DELIVERY_STATES,
        resendable=RESENDABLE,
        resent=request.args.get("resent"),
    ), 422 if errors else 200


@blueprint.post("/deliveries/resend")
@signed_in(*OPERATOR)
def resend() -> Any:
    """Queue a failed delivery again; back to the same search."""
    delivery_id = (request.form.get("delivery_id") or "").strip()
    if not delivery_id:
        abort(400)
    api().resend_delivery(delivery_id)
    filters: dict[str, Any] = {key: value for key, value in _delivery_filters().items() if value}
    return redirect(url_for("operator.deliveries", resent="1", **filters))


@blueprint.get("/templates")
@signed_in(*OPERATOR)
def templates() -> str:
    """Every notice kind with the languages it is written in."""
    kinds: dict[str, list[str]] = {}
    for row in api().templates():
        kinds.setdefault(row["kind"], []).append(row["language"])
    return render_template("operator/templates.html", kinds=dict(sorted(kinds.items())))


def sample_data(variables: list[str]) -> dict[str, str]:
    """Data a preview is filled in with: each variable shows its own name."""
    return {name: f"«{name}»" for name in variables}


@blueprint.get("/templates/<string:kind>")
@signed_in(*OPERATOR)
def template_preview(kind: str) -> str:
    """A notice kind previewed in the five languages, with sample data."""
    client = api()
    written = {row["language"]: row for row in client.templates() if row["kind"] == kind}
    if not written:
        abort(404)
    previews = []
    for language in LANGUAGES:
        found = written.get(language)
        entry: dict[str, Any] = {"language": language, "template": found}
        if found:
            try:
                entry["rendered"] = client.preview_template(
                    kind, language, sample_data(found.get("variables") or [])
                )
            except ApiError as error:
                entry["problem"] = reason_text(error.detail or error.title)
        previews.append(entry)
    return render_template("operator/template.html", kind=kind, previews=previews)


def _calendar_page(
    year: int,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    days = api().declared_days(f"{year}-01-01", f"{year}-12-31")
    return render_template(
        "operator/calendar.html", year=year, days=days, form=form or {}, errors=errors or {}
    ), status


@blueprint.get("/calendar")
@signed_in(*OPERATOR)
def calendar() -> tuple[str, int]:
    """The working calendar's declared days of a year (``?year=``), and a form to declare."""
    year = request.args.get("year", type=int) or municipality.today().year
    if not 1900 <= year <= 2200:
        abort(404)
    return _calendar_page(year)


@blueprint.post("/calendar")
@signed_in(*OPERATOR)
def declare() -> Any:
    """Declare a day off or an extra working day by a government decree."""
    form = forms.typed(request.form, "day", "working", "reason", "decree")
    body = {
        "day": form["day"],
        "working": form["working"] == "yes",
        "reason": form["reason"],
        "decree": form["decree"],
    }
    declared = answer_or_refusal((409, 422), lambda: api().declare_day(body))
    if isinstance(declared, ApiError):
        year = int(form["day"][:4]) if form["day"][:4].isdigit() else municipality.today().year
        return _calendar_page(year, form, field_reasons(declared), declared.status)
    return redirect(url_for("operator.calendar", year=str(declared["day"])[:4]))
