"""Reception hours at the desk: an official's week, booking for a caller, the visitor log.

Officials are addressed by their name, appointments by the official, the day and the
time of the slot (what the person at the desk knows), never by the services' ids.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound

from staff_web import desks, municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.i18n import problem_text, reason_text
from staff_web.permissions import DOORKEEPERS, RECEPTION_BOOKERS, RECEPTION_VIEWERS
from staff_web.reception_week import week_of_slots
from staff_web.security import api, signed_in

blueprint = Blueprint("receptions", __name__, url_prefix="/receptions")
VISIT_ACTIONS = ("arrived", "seen", "left", "no_show")


def _official(name: str) -> dict[str, Any]:
    for official in api().all("protocol_events", "/officials"):
        if desks.slug(official["name"]) == name:
            return official
    raise NotFound()


@blueprint.app_template_global()
def official_url(official: dict[str, Any], endpoint: str = "receptions.week", **extra: Any) -> str:
    """The address of an official's reception page."""
    return url_for(endpoint, name=desks.slug(official["name"]), **extra)


@blueprint.get("")
@signed_in(*RECEPTION_VIEWERS)
def officials() -> str:
    """The officials who hold reception hours."""
    rows = [row for row in api().all("protocol_events", "/officials") if row.get("active")]
    return render_template(
        "desks/officials.html", officials=rows, today=datetime.now(municipality.zone()).date()
    )


def _week_page(
    official: dict[str, Any],
    monday: date,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    booked: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "desks/official_week.html",
        official=official,
        **week_of_slots(f"/officials/{official['id']}/slots", monday),
        errors=errors or {},
        form=request.form if request.method == "POST" else {},
        booked=booked or request.args.get("booked"),
    ), status


@blueprint.get("/<string:name>")
@signed_in(*RECEPTION_VIEWERS)
def week(name: str) -> tuple[str, int]:
    """An official's week of slots (``?week=2027-05-03``), free ones bookable."""
    today = datetime.now(municipality.zone()).date()
    return _week_page(_official(name), desks.parse_day(request.args.get("week"), today))


@blueprint.post("/<string:name>")
@signed_in(*RECEPTION_BOOKERS)
def book(name: str) -> Any:
    """Book a slot for a resident who phones or comes in."""
    official = _official(name)
    starts_at = request.form.get("starts_at", "")
    try:
        monday = desks.local_day(starts_at, municipality.zone())
    except ValueError:
        abort(400)
    body = {
        "official_id": official["id"],
        "starts_at": starts_at,
        "topic": (request.form.get("topic") or "").strip(),
        "visitor": {
            "name": (request.form.get("visitor_name") or "").strip(),
            "email": (request.form.get("email") or "").strip() or None,
            "phone": (request.form.get("phone") or "").strip() or None,
            "language": request.form.get("language") or None,
        },
    }
    try:
        api().post("protocol_events", "/appointments", body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        reasons = error.field_errors or {"_schema": [error.detail or error.title]}
        errors = {
            key.removeprefix("visitor."): [reason_text(r) for r in values]
            for key, values in reasons.items()
        }
        return _week_page(official, monday, errors, status=error.status)
    stamp = desks.local_day(starts_at, municipality.zone()).isoformat()
    return redirect(official_url(official, week=stamp, booked=starts_at))


def _appointments(official: dict[str, Any], day: date) -> list[dict[str, Any]]:
    rows = api().all(
        "protocol_events", "/appointments", {"official_id": official["id"], "day": day.isoformat()}
    )
    return sorted(rows, key=lambda row: row["starts_at"])


@blueprint.get("/<string:name>/<string:day>")
@signed_in(*RECEPTION_VIEWERS)
def visitors(name: str, day: str) -> str:
    """The day's visitor log: who is booked, who arrived, was seen and left."""
    official = _official(name)
    wanted = desks.parse_day(day, datetime.now(municipality.zone()).date())
    return render_template(
        "desks/visitor_log.html",
        official=official,
        day=wanted,
        appointments=_appointments(official, wanted),
        actions=VISIT_ACTIONS,
        problem=request.args.get("problem"),
        handed=request.args.get("handed"),
    )


def _appointment(official: dict[str, Any], day: date, clock: str) -> dict[str, Any]:
    for row in _appointments(official, day):
        local = datetime.fromisoformat(row["starts_at"]).astimezone(municipality.zone())
        if local.strftime("%H:%M") == clock and row["status"] not in ("cancelled", "expired"):
            return row
    raise NotFound()


def _on_appointment(
    name: str, day: str, clock: str, step: str, body: dict[str, Any]
) -> tuple[dict[str, Any], date, str | None]:
    """Post ``body`` to the appointment's ``step`` (``visits``, ``hand-over``); the official,
    the day and what protocol-events refused, in the reader's words (None when done)."""
    official = _official(name)
    wanted = desks.parse_day(day, datetime.now(municipality.zone()).date())
    appointment = _appointment(official, wanted, clock)
    refusal = answer_or_refusal(
        (409, 422),
        lambda: api().post("protocol_events", f"/appointments/{appointment['id']}/{step}", body),
    )
    if isinstance(refusal, ApiError):
        return official, wanted, problem_text(refusal)
    return official, wanted, None


@blueprint.post("/<string:name>/<string:day>/<string:clock>/visit")
@signed_in(*DOORKEEPERS)
def log_visit(name: str, day: str, clock: str) -> Any:
    """Note arrived, seen, left or no-show for the appointment at ``clock``."""
    official, wanted, problem = _on_appointment(
        name, day, clock, "visits", {"action": request.form.get("action", "")}
    )
    return redirect(
        official_url(official, "receptions.visitors", day=wanted.isoformat(), problem=problem)
    )


@blueprint.post("/<string:name>/<string:day>/<string:clock>/hand-over")
@signed_in(*DOORKEEPERS)
def hand_over(name: str, day: str, clock: str) -> Any:
    """Hand the resident's topic to intake as a letter."""
    official, wanted, problem = _on_appointment(
        name,
        day,
        clock,
        "hand-over",
        {
            "kind": request.form.get("kind") or "application",
            "subject": (request.form.get("subject") or "").strip() or None,
        },
    )
    return redirect(
        official_url(
            official,
            "receptions.visitors",
            day=wanted.isoformat(),
            problem=problem,
            handed=None if problem else clock,
        )
    )
