"""The protocol desk: the events calendar and an event's page, addressed by date and name."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext, lazy_gettext
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from staff_web import desks
from staff_web.api_client import ApiError
from staff_web.i18n import reason_text
from staff_web.security import api, signed_in

blueprint = Blueprint("protocol_desk", __name__, url_prefix="/protocol")
OFFICERS = ("protocol_officer",)
READERS = ("protocol_officer", "mayor_office")
APPROVERS = ("mayor_office",)
CATEGORIES = ("meal", "hotel", "transport", "tickets", "interpreter", "cultural",
              "business_meeting", "ceremony", "press", "other")
COST_CATEGORIES = ("meals", "accommodation", "transport", "tickets", "interpretation", "gifts",
                   "cultural_programme", "venue", "other")
CATEGORY_LABELS = {
    "meal": lazy_gettext("Meal"), "hotel": lazy_gettext("Hotel"),
    "transport": lazy_gettext("Transport"), "tickets": lazy_gettext("Tickets"),
    "interpreter": lazy_gettext("Interpreter"), "cultural": lazy_gettext("Cultural programme"),
    "business_meeting": lazy_gettext("Meeting"), "ceremony": lazy_gettext("Ceremony"),
    "press": lazy_gettext("Press"), "other": lazy_gettext("Other"),
}


STATUS_LABELS = {
    "draft": lazy_gettext("Draft"), "planned": lazy_gettext("Planned"),
    "confirmed": lazy_gettext("Confirmed"), "held": lazy_gettext("Held"),
    "reported": lazy_gettext("Reported on"), "cancelled": lazy_gettext("Cancelled"),
}


@blueprint.app_template_global()
def event_status_label(code: str) -> str:
    """An event's state in the reader's language."""
    return str(STATUS_LABELS.get(code, code))


@blueprint.app_template_global()
def category_label(code: str) -> str:
    """A programme item's kind in the reader's language."""
    return str(CATEGORY_LABELS.get(code, code))


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.extensions["staff_web.profile"].time_zone)


def _first_language() -> str:
    return current_app.extensions["staff_web.profile"].languages[0]


def _today() -> date:
    return datetime.now(_zone()).date()


def _events_between(first: date, last: date) -> list[dict[str, Any]]:
    # The service filters by UTC day; a day either side, then the municipality's days.
    rows = api().all("protocol_events", "/events", {
        "starts_from": (first - timedelta(days=1)).isoformat(),
        "starts_before": (last + timedelta(days=2)).isoformat()})
    zone = _zone()
    return [row for row in rows if first <= desks.local_day(row["starts_at"], zone) <= last]


def event_address(event: dict[str, Any]) -> dict[str, str]:
    """The URL parts that name an event: its local date and its name."""
    return {"day": desks.local_day(event["starts_at"], _zone()).isoformat(),
            "name": desks.event_slug(event, _first_language())}


def _event(day: str, name: str) -> dict[str, Any]:
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    for event in _events_between(wanted, wanted):
        if desks.event_slug(event, _first_language()) == name:
            return event
    raise NotFound()


@blueprint.app_template_global()
def event_url(event: dict[str, Any], endpoint: str = "protocol_desk.event", **extra: Any) -> str:
    """The address of an event's page (or of another page of the event)."""
    return url_for(endpoint, **event_address(event), **extra)


@blueprint.app_template_filter("title")
def title_filter(titles: dict[str, str] | None) -> str:
    """A multilingual title in the reader's language."""
    return desks.title_in(titles or {}, [str(get_locale()), _first_language(), "en"])


@blueprint.get("/events")
@signed_in(*READERS)
def calendar() -> str:
    """The events of a month (``?month=2027-05``) or of a week (``?week=2027-05-03``)."""
    today = _today()
    if request.args.get("week"):
        days = desks.week_of(desks.parse_day(request.args["week"], today))
        events = desks.by_day(_events_between(days[0], days[-1]), "starts_at", _zone())
        return render_template("desks/calendar_week.html", days=days, events=events,
                               previous=(days[0] - timedelta(days=7)).isoformat(),
                               following=(days[0] + timedelta(days=7)).isoformat(),
                               month=f"{days[0].year:04d}-{days[0].month:02d}")
    year, month = desks.parse_month(request.args.get("month"), today)
    weeks = desks.month_weeks(year, month)
    days = [day for week in weeks for day in week if day]
    events = desks.by_day(_events_between(days[0], days[-1]), "starts_at", _zone())
    return render_template("desks/calendar_month.html", weeks=weeks, events=events,
                           month_start=date(year, month, 1), today=today,
                           previous=desks.shift_month(year, month, -1),
                           following=desks.shift_month(year, month, 1))


def _event_page(event: dict[str, Any], errors: dict[str, list[str]] | None = None,
                clashes: list[dict[str, Any]] | None = None, status: int = 200
                ) -> tuple[str, int]:
    client = api()
    event_id = event["id"]
    programme = client.all("protocol_events", f"/events/{event_id}/programme")
    participants = client.all("protocol_events", f"/events/{event_id}/participants")
    order = client.all("protocol_events", f"/events/{event_id}/order")
    accreditations = client.all("protocol_events", f"/events/{event_id}/accreditations")
    expenses = client.all("protocol_events", f"/events/{event_id}/expenses")
    resources = {row["id"]: row for row in client.all("protocol_events", "/resources")}
    ranks = client.all("protocol_events", "/precedence")["ranks"]
    seating = Markup(desks.seating_svg(order["seating"], gettext("Seating plan")))
    return render_template(
        "desks/event.html", event=event, programme=programme, participants=participants,
        order=order, seating=seating, accreditations=accreditations, expenses=expenses,
        flagged=desks.over_budget_lines(expenses), resources=resources, ranks=ranks,
        categories=CATEGORIES, cost_categories=COST_CATEGORIES, errors=errors or {},
        clashes=clashes or [],
        form=request.form if request.method == "POST" else {}), status


@blueprint.get("/events/<string:day>/<string:name>")
@signed_in(*READERS)
def event(day: str, name: str) -> tuple[str, int]:
    """An event: programme, bookings, precedence and seating, press, expenses."""
    return _event_page(_event(day, name))


def _reasons(error: ApiError) -> dict[str, list[str]]:
    reasons = error.field_errors or {"_schema": [error.detail or error.title]}
    return {key: [reason_text(reason) for reason in values] for key, values in reasons.items()}


@blueprint.post("/events/<string:day>/<string:name>/programme")
@signed_in(*OFFICERS)
def add_item(day: str, name: str) -> Any:
    """Add a programme item, booking the chosen room, vehicle or interpreter with it."""
    found = _event(day, name)
    zone = _zone()
    starts = desks.parse_local(request.form.get("starts_at", ""), zone)
    ends = desks.parse_local(request.form.get("ends_at", ""), zone)
    if starts is None or ends is None:
        field = "starts_at" if starts is None else "ends_at"
        return _event_page(found, {field: [gettext("This is not a valid date and time.")]},
                           status=422)
    resource = request.form.get("resource_id") or ""
    body = {"category": request.form.get("category", ""),
            "title": {str(get_locale()): (request.form.get("title") or "").strip()},
            "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "place": (request.form.get("place") or "").strip() or None,
            "resource_ids": [resource] if resource else []}
    try:
        api().post("protocol_events", f"/events/{found['id']}/programme", body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        clashes = [item for item in error.errors if item.get("starts_at")]
        return _event_page(found, _reasons(error), clashes, status=error.status)
    return redirect(event_url(found) + "#programme")


@blueprint.post("/events/<string:day>/<string:name>/participants")
@signed_in(*OFFICERS)
def add_participant(day: str, name: str) -> Any:
    """Add a participant; the order of precedence and the seating follow."""
    found = _event(day, name)
    body = {"kind": request.form.get("kind", "guest"),
            "name": (request.form.get("name") or "").strip(),
            "role": (request.form.get("role") or "").strip() or None,
            "organisation": (request.form.get("organisation") or "").strip() or None,
            "rank": request.form.get("rank") or None,
            "host": request.form.get("host") == "on",
            "guest_of_honour": request.form.get("guest_of_honour") == "on"}
    try:
        api().post("protocol_events", f"/events/{found['id']}/participants", body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return _event_page(found, _reasons(error), status=error.status)
    return redirect(event_url(found) + "#seating")


@blueprint.post("/events/<string:day>/<string:name>/resources")
@signed_in(*OFFICERS)
def add_resource(day: str, name: str) -> Any:
    """Add a room, vehicle or interpreter that programme items can book."""
    found = _event(day, name)
    body = {"kind": request.form.get("kind", "room"),
            "name": (request.form.get("resource_name") or "").strip()}
    try:
        api().post("protocol_events", "/resources", body)
    except ApiError as error:
        if error.status != 422:
            raise
        return _event_page(found, _reasons(error), status=error.status)
    return redirect(event_url(found) + "#programme")


@blueprint.post("/events/<string:day>/<string:name>/expenses")
@signed_in(*OFFICERS)
def plan_expense(day: str, name: str) -> Any:
    """Set a category's budget or plan a cost line against it."""
    found = _event(day, name)
    category = request.form.get("category", "")
    amount = (request.form.get("amount") or "").strip().replace(",", ".")
    client = api()
    try:
        if request.form.get("what") == "budget":
            expenses = client.all("protocol_events", f"/events/{found['id']}/expenses")
            lines = {line["category"]: line["amount"] for line in expenses["budget"]}
            client.put("protocol_events", f"/events/{found['id']}/budget",
                       {"lines": {**lines, category: amount}})
        else:
            client.post("protocol_events", f"/events/{found['id']}/costs", {
                "category": category, "planned": amount,
                "description": (request.form.get("description") or "").strip()})
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return _event_page(found, _reasons(error), status=error.status)
    return redirect(event_url(found) + "#expenses")


@blueprint.post("/events/<string:day>/<string:name>/costs")
@signed_in(*APPROVERS)
def decide_cost(day: str, name: str) -> Any:
    """Approve or reject a proposed cost line; over the budget only when ticked so."""
    found = _event(day, name)
    cost_id = request.form.get("cost_id", "")
    if request.form.get("decision") == "approve":
        path, body = "approve", {"over_budget": request.form.get("over_budget") == "on"}
    else:
        path, body = "reject", {}
    try:
        api().post("protocol_events", f"/events/{found['id']}/costs/{cost_id}/{path}", body)
    except ApiError as error:
        if error.status not in (404, 409, 422):
            raise
        return _event_page(found, {"_schema": [error.detail or error.title]},
                           status=error.status)
    return redirect(event_url(found) + "#expenses")


@blueprint.get("/events/<string:day>/<string:name>/badges")
@signed_in(*OFFICERS)
def badges(day: str, name: str) -> str:
    """The accredited journalists' badges, one sheet to print and cut."""
    found = _event(day, name)
    rows = api().all("protocol_events", f"/events/{found['id']}/accreditations")
    return render_template("desks/badges.html", event=found,
                           badges=[row for row in rows if row.get("badge_number")])


@blueprint.get("/events/<string:day>/<string:name>/calendar.ics")
@signed_in(*READERS)
def ics(day: str, name: str) -> Response:
    """The event as an iCalendar file in the reader's language."""
    found = _event(day, name)
    text = api().get_text("protocol_events", f"/events/{found['id']}.ics",
                          {"lang": str(get_locale())})
    return Response(text, content_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{day}-{name}.ics"'})
