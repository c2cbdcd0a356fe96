"""The protocol desk: the events calendar and an event's page, addressed by date and name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial, wraps
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext, lazy_gettext
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from chancery.vocabulary import COST_CATEGORIES, PROGRAMME_CATEGORIES
from staff_web import desks, municipality
from staff_web.api_client import ApiError, answer_or_refusal, if_match
from staff_web.exports import download
from staff_web.i18n import LANGUAGES, field_reasons, problem_text
from staff_web.permissions import PROTOCOL_APPROVERS, PROTOCOL_OFFICERS, PROTOCOL_READERS
from staff_web.precedence_reasons import place_reason
from staff_web.security import api, signed_in
from staff_web.vocabulary_labels import LABELS

blueprint = Blueprint("protocol_desk", __name__, url_prefix="/protocol")
CEREMONY = "ceremony"


LEVEL_LABELS = {
    "municipal": lazy_gettext("Municipal protocol"),
    "state": lazy_gettext("State protocol"),
    "diplomatic": lazy_gettext("Diplomatic protocol"),
}


# An invitation's answers, as the event's page shows and records them.
ANSWERS = ("accepted", "declined", "tentative")
ANSWER_LABELS = {
    "accepted": lazy_gettext("Accepted"),
    "declined": lazy_gettext("Declined"),
    "tentative": lazy_gettext("Tentative"),
    None: lazy_gettext("No answer yet"),
}


def answer_counts(participants: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """How many participants answered each way and how many have not, as labelled counts."""
    counts = dict.fromkeys((*ANSWERS, None), 0)
    for participant in participants:
        counts[participant.get("answer")] += 1
    return [(str(ANSWER_LABELS[answer]), count) for answer, count in counts.items()]


def _first_language() -> str:
    return municipality.profile().languages[0]


def _events_between(first: date, last: date) -> list[dict[str, Any]]:
    # The service filters by UTC day; a day either side, then the municipality's days.
    rows = api().all(
        "protocol_events",
        "/events",
        {
            "starts_from": (first - timedelta(days=1)).isoformat(),
            "starts_before": (last + timedelta(days=2)).isoformat(),
        },
    )
    zone = municipality.zone()
    return [row for row in rows if first <= desks.local_day(row["starts_at"], zone) <= last]


def event_address(event: dict[str, Any]) -> dict[str, str]:
    """The URL parts that name an event: its local date and its name."""
    return {
        "day": desks.local_day(event["starts_at"], municipality.zone()).isoformat(),
        "name": desks.event_slug(event, _first_language()),
    }


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
    values: dict[str, Any] = {**event_address(event), **extra}
    return url_for(endpoint, **values)


@blueprint.app_template_filter("title")
def title_filter(titles: dict[str, str] | None) -> str:
    """A multilingual title in the reader's language."""
    return desks.title_in(titles or {}, [str(get_locale()), _first_language(), "en"])


@blueprint.get("/events")
@signed_in(*PROTOCOL_READERS)
def calendar() -> str:
    """The events of a month (``?month=2027-05``) or of a week (``?week=2027-05-03``)."""
    today = municipality.today()
    if request.args.get("week"):
        days = desks.week_of(desks.parse_day(request.args["week"], today))
        events = desks.by_day(_events_between(days[0], days[-1]), "starts_at", municipality.zone())
        return render_template(
            "desks/calendar_week.html",
            days=days,
            events=events,
            previous=(days[0] - timedelta(days=7)).isoformat(),
            following=(days[0] + timedelta(days=7)).isoformat(),
            month=f"{days[0].year:04d}-{days[0].month:02d}",
        )
    year, month = desks.parse_month(request.args.get("month"), today)
    weeks = desks.month_weeks(year, month)
    days = [day for week in weeks for day in week if day]
    events = desks.by_day(_events_between(days[0], days[-1]), "starts_at", municipality.zone())
    return render_template(
        "desks/calendar_month.html",
        weeks=weeks,
        events=events,
        month_start=date(year, month, 1),
        today=today,
        previous=desks.shift_month(year, month, -1),
        following=desks.shift_month(year, month, 1),
    )


def _event_page(
    event: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    clashes: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    client = api()
    event_id = event["id"]
    # The event's own lists, each shown in its section under the name of its path.
    parts = {
        part: client.all("protocol_events", f"/events/{event_id}/{part}")
        for part in ("programme", "participants", "order", "accreditations", "expenses")
    }
    award = (
        client.get("protocol_events", f"/events/{event_id}/award")
        if event["kind"] == CEREMONY
        else None
    )
    language = str(get_locale())
    # The plan's seats carry their reasons too: in the reader's language, as listed.
    seats = [
        {**place, "reason": place_reason(place, language)} for place in parts["order"]["seating"]
    ]
    return render_template(
        "desks/event.html",
        event=event,
        **parts,
        seating=Markup(desks.seating_svg(seats, gettext("Seating plan"))),
        flagged=desks.over_budget_lines(parts["expenses"]),
        resources={row["id"]: row for row in client.all("protocol_events", "/resources")},
        ranks=client.all("protocol_events", "/precedence")["ranks"],
        categories=PROGRAMME_CATEGORIES,
        cost_categories=COST_CATEGORIES,
        errors=errors or {},
        clashes=clashes or [],
        award=award,
        languages=LANGUAGES,
        answers=ANSWERS,
        answer_labels=ANSWER_LABELS,
        answer_counts=answer_counts(parts["participants"]),
        local_input=_local_input,
        form=request.form if request.method == "POST" else {},
    ), status


@blueprint.get("/events/<string:day>/<string:name>")
@signed_in(*PROTOCOL_READERS)
def event(day: str, name: str) -> tuple[str, int]:
    """An event: programme, bookings, precedence and seating, press, expenses."""
    return _event_page(_event(day, name))


def _local_input(moment: str) -> str:
    return desks.local_input(moment, municipality.zone())


def _span(errors: dict[str, list[str]]) -> dict[str, str]:
    """The form's start and end as instants; a field that is no date and time is named."""
    zone = municipality.zone()
    found = {}
    for key in ("starts_at", "ends_at"):
        moment = desks.parse_local(request.form.get(key, ""), zone)
        if moment is None:
            errors[key] = [gettext("This is not a valid date and time.")]
        else:
            found[key] = moment.isoformat()
    return found


def _new_event_page(errors: dict[str, list[str]], status: int = 200) -> tuple[str, int]:
    return render_template(
        "desks/new_event.html",
        kinds=LABELS["event_kind"],
        levels=LEVEL_LABELS,
        languages=LANGUAGES,
        errors=errors,
        form=request.form,
    ), status


@blueprint.get("/events/new")
@signed_in(*PROTOCOL_OFFICERS)
def new_event() -> tuple[str, int]:
    """The form for a new event: its title per language, kind, local times and venue."""
    return _new_event_page({})


@blueprint.post("/events")
@signed_in(*PROTOCOL_OFFICERS)
def create_event() -> Any:
    """Create a draft event; its page is then addressed by its local date and title."""
    errors: dict[str, list[str]] = {}
    span = _span(errors)
    titles = {
        code: text
        for code in LANGUAGES
        if (text := (request.form.get(f"title-{code}") or "").strip())
    }
    if not titles:
        errors["title"] = [gettext("Give the title in at least one language.")]
    if errors:
        return _new_event_page(errors, 422)
    body = {
        "kind": request.form.get("kind", ""),
        "protocol_level": request.form.get("protocol_level", ""),
        "title": titles,
        "venue": (request.form.get("venue") or "").strip() or None,
        **span,
    }
    created = answer_or_refusal((422,), lambda: api().post("protocol_events", "/events", body))
    if isinstance(created, ApiError):
        return _new_event_page(field_reasons(created), created.status)
    return redirect(event_url(created))


def _if_match() -> dict[str, str]:
    """The version of the event as the person read it, sent back as its ETag."""
    version = request.form.get("version", "")
    if not version.isdigit():
        abort(400)
    return if_match(version)


# What a form of the event's page gives: the request to send, or the page again (refused
# before anything is sent).
Sending = Callable[[], Any] | tuple[str, int]


def _event_form(
    part: str,
    anchor: str,
    refusable: tuple[int, ...] = (404, 409, 422),
    fields: str | None = None,
    moves: bool = False,
    roles: tuple[str, ...] = PROTOCOL_OFFICERS,
) -> Callable[[Callable[[dict[str, Any]], Sending]], Callable[[dict[str, Any]], Sending]]:
    """A form of the event's page, posted to ``/events/<day>/<name>/<part>`` by one of
    ``roles``: the decorated function (its name the endpoint) takes the event the address
    names and gives what to send, which :func:`_send_from_event` answers with ``anchor``,
    ``refusable``, ``fields`` and ``moves``."""

    def register(
        build: Callable[[dict[str, Any]], Sending],
    ) -> Callable[[dict[str, Any]], Sending]:
        @wraps(build)
        def view(day: str, name: str) -> Any:
            found = _event(day, name)
            sending = build(found)
            if isinstance(sending, tuple):
                return sending
            return _send_from_event(found, sending, anchor, refusable, fields, moves)

        rule = f"/events/<string:day>/<string:name>/{part}"
        blueprint.add_url_rule(rule, build.__name__, signed_in(*roles)(view), methods=["POST"])
        return build

    return register


@_event_form("edit", "", (409, 412, 422), moves=True)
def edit_event(found: dict[str, Any]) -> Sending:
    """Change the event's venue and times (as read: a change made meanwhile is refused)."""
    errors: dict[str, list[str]] = {}
    span = _span(errors)
    if errors:
        return _event_page(found, errors, status=422)
    body = {"venue": (request.form.get("venue") or "").strip() or None, **span}
    return partial(api().patch, "protocol_events", f"/events/{found['id']}", body, _if_match())


@_event_form("status", "", (409, 412, 422), moves=True)
def move_event(found: dict[str, Any]) -> Sending:
    """Move the event along its life (planned, confirmed, held, ...); refusals in words."""
    body = {
        "status": request.form.get("status", ""),
        "note": (request.form.get("note") or "").strip() or None,
    }
    path = f"/events/{found['id']}/status"
    return partial(api().post, "protocol_events", path, body, _if_match())


@_event_form("nominees", "#award", (409, 422), fields="nominee-")
def nominate(found: dict[str, Any]) -> Sending:
    """Put someone forward for the ceremony's award."""
    body = {
        key: (request.form.get(key) or "").strip() or None
        for key in ("name", "organisation", "email", "language", "citation", "nominated_by")
    }
    return partial(api().post, "protocol_events", f"/events/{found['id']}/nominees", body)


@_event_form("award-decision", "#award", (409, 422), fields="decision-")
def decide_award(found: dict[str, Any]) -> Sending:
    """Record the decision granting the award to the nominees ticked."""
    body = {
        "reference": (request.form.get("reference") or "").strip(),
        "decided_on": request.form.get("decided_on", ""),
        "body": (request.form.get("body") or "").strip(),
        "awardees": request.form.getlist("awardees"),
    }
    return partial(api().put, "protocol_events", f"/events/{found['id']}/award-decision", body)


@blueprint.get("/events/<string:day>/<string:name>/certificates")
@signed_in(*PROTOCOL_OFFICERS)
def certificates(day: str, name: str) -> str:
    """The ceremony's numbered certificates, one list to print."""
    found = _event(day, name)
    if found["kind"] != CEREMONY:
        abort(404)
    award = api().get("protocol_events", f"/events/{found['id']}/award")
    return render_template("desks/certificates.html", event=found, award=award)


@_event_form("programme", "#programme", (409, 422), fields="")
def add_item(found: dict[str, Any]) -> Sending:
    """Add a programme item, booking the chosen room, vehicle or interpreter with it."""
    zone = municipality.zone()
    starts = desks.parse_local(request.form.get("starts_at", ""), zone)
    ends = desks.parse_local(request.form.get("ends_at", ""), zone)
    if starts is None or ends is None:
        field = "starts_at" if starts is None else "ends_at"
        return _event_page(
            found, {field: [gettext("This is not a valid date and time.")]}, status=422
        )
    resource = request.form.get("resource_id") or ""
    body = {
        "category": request.form.get("category", ""),
        "title": {str(get_locale()): (request.form.get("title") or "").strip()},
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat(),
        "place": (request.form.get("place") or "").strip() or None,
        "resource_ids": [resource] if resource else [],
    }
    return partial(api().post, "protocol_events", f"/events/{found['id']}/programme", body)


def _send_from_event(
    event: dict[str, Any],
    send: Callable[[], Any],
    anchor: str,
    refusable: tuple[int, ...] = (404, 409, 422),
    fields: str | None = None,
    moves: bool = False,
) -> Any:
    """A change sent from the event's page: back to the page's part ``anchor`` (at the
    event's new address if the change ``moves`` it: ``send`` answers the event changed), or
    a refusal of the ``refusable`` statuses on the page again. A booking clash is told from
    its parts (what holds which resource, when) in the reader's words, not the service's
    sentence; any other refusal by the form's fields (named ``fields`` and the service's
    field; ``""`` for the service's names) or as a whole (``None``)."""
    sent = answer_or_refusal(refusable, send)
    if isinstance(sent, ApiError):
        clashes = [item for item in sent.errors if item.get("starts_at")]
        if clashes:
            errors = {}
        elif fields is None:
            errors = {"_schema": [problem_text(sent)]}
        else:
            errors = field_reasons(sent, fields)
        return _event_page(event, errors, clashes, status=sent.status)
    return redirect(event_url(sent if moves else event) + anchor)


def _programme_item(event_id: str) -> dict[str, Any]:
    """The programme item the form names (by the id it carries), or 404."""
    wanted = (request.form.get("item") or "").strip()
    for item in api().all("protocol_events", f"/events/{event_id}/programme"):
        if item["id"] == wanted:
            return item
    raise NotFound()


@_event_form("programme/edit", "#programme", (409, 422))
def edit_item(found: dict[str, Any]) -> Sending:
    """Change a programme item's title (in the reader's language), place or times; its
    bookings move with it, a clash or a time outside the event is refused in words."""
    item = _programme_item(found["id"])
    zone = municipality.zone()
    starts = desks.parse_local(request.form.get("starts_at", ""), zone)
    ends = desks.parse_local(request.form.get("ends_at", ""), zone)
    if starts is None or ends is None:
        return _event_page(
            found, {"_schema": [gettext("This is not a valid date and time.")]}, status=422
        )
    title = (request.form.get("title") or "").strip()
    body = {
        "title": {**item["title"], str(get_locale()): title} if title else item["title"],
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat(),
        "place": (request.form.get("place") or "").strip() or None,
    }
    path = f"/events/{found['id']}/programme/{item['id']}"
    return partial(api().patch, "protocol_events", path, body)


@_event_form("programme/remove", "#programme", (404, 409))
def remove_item(found: dict[str, Any]) -> Sending:
    """Take an item off the programme, freeing what it had booked."""
    item = _programme_item(found["id"])
    path = f"/events/{found['id']}/programme/{item['id']}"
    return partial(api().delete, "protocol_events", path)


@_event_form("participants", "#seating", (409, 422), fields="")
def add_participant(found: dict[str, Any]) -> Sending:
    """Add a participant; the order of precedence and the seating follow."""
    body = {
        "kind": request.form.get("kind", "guest"),
        "name": (request.form.get("name") or "").strip(),
        "role": (request.form.get("role") or "").strip() or None,
        "organisation": (request.form.get("organisation") or "").strip() or None,
        "email": (request.form.get("email") or "").strip() or None,
        "language": request.form.get("language") or None,
        "rank": request.form.get("rank") or None,
        "host": request.form.get("host") == "on",
        "guest_of_honour": request.form.get("guest_of_honour") == "on",
    }
    return partial(api().post, "protocol_events", f"/events/{found['id']}/participants", body)


@_event_form("answers", "#answers")
def record_answer(found: dict[str, Any]) -> Sending:
    """Record an invitation's answer a participant gave by phone or e-mail."""
    answer = request.form.get("answer")
    participant = (request.form.get("participant") or "").strip()
    if answer not in ANSWERS or not participant:
        abort(400)
    path = f"/events/{found['id']}/participants/{participant}/answer"
    return partial(api().put, "protocol_events", path, {"answer": answer})


@_event_form("accreditations", "#press", (409, 422), fields="press-")
def request_accreditation(found: dict[str, Any]) -> Sending:
    """Put a journalist on the event's media list (decided separately)."""
    body = {
        key: (request.form.get(key) or "").strip() or None
        for key in ("journalist", "outlet", "email", "phone", "language")
    }
    return partial(api().post, "protocol_events", f"/events/{found['id']}/accreditations", body)


@_event_form("accreditations/decision", "#press")
def decide_accreditation(found: dict[str, Any]) -> Sending:
    """Approve (a badge number is given) or refuse a journalist's accreditation; the
    journalist is told."""
    status = request.form.get("status")
    accreditation = (request.form.get("accreditation") or "").strip()
    if status not in ("approved", "refused") or not accreditation:
        abort(400)
    path = f"/events/{found['id']}/accreditations/{accreditation}/decision"
    return partial(api().post, "protocol_events", path, {"status": status})


@_event_form("resources", "#programme", (422,), fields="")
def add_resource(_found: dict[str, Any]) -> Sending:
    """Add a room, vehicle or interpreter that programme items can book."""
    body = {
        "kind": request.form.get("kind", "room"),
        "name": (request.form.get("resource_name") or "").strip(),
    }
    return partial(api().post, "protocol_events", "/resources", body)


@_event_form("expenses", "#expenses", (409, 422), fields="")
def plan_expense(found: dict[str, Any]) -> Sending:
    """Set a category's budget or plan a cost line against it."""
    category = request.form.get("category", "")
    amount = (request.form.get("amount") or "").strip().replace(",", ".")
    client = api()

    def send() -> None:
        if request.form.get("what") == "budget":
            expenses = client.all("protocol_events", f"/events/{found['id']}/expenses")
            lines = {line["category"]: line["amount"] for line in expenses["budget"]}
            client.put(
                "protocol_events",
                f"/events/{found['id']}/budget",
                {"lines": {**lines, category: amount}},
            )
        else:
            client.post(
                "protocol_events",
                f"/events/{found['id']}/costs",
                {
                    "category": category,
                    "planned": amount,
                    "description": (request.form.get("description") or "").strip(),
                },
            )

    return send


@_event_form("costs", "#expenses", roles=PROTOCOL_APPROVERS)
def decide_cost(found: dict[str, Any]) -> Sending:
    """Approve or reject a proposed cost line; over the budget only when ticked so."""
    cost_id = request.form.get("cost_id", "")
    if request.form.get("decision") == "approve":
        decision, body = "approve", {"over_budget": request.form.get("over_budget") == "on"}
    else:
        decision, body = "reject", {}
    path = f"/events/{found['id']}/costs/{cost_id}/{decision}"
    return partial(api().post, "protocol_events", path, body)


@blueprint.get("/events/<string:day>/<string:name>/badges")
@signed_in(*PROTOCOL_OFFICERS)
def badges(day: str, name: str) -> str:
    """The accredited journalists' badges, one sheet to print and cut."""
    found = _event(day, name)
    rows = api().all("protocol_events", f"/events/{found['id']}/accreditations")
    return render_template(
        "desks/badges.html", event=found, badges=[row for row in rows if row.get("badge_number")]
    )


@blueprint.get("/events/<string:day>/<string:name>/calendar.ics")
@signed_in(*PROTOCOL_READERS)
def ics(day: str, name: str) -> Response:
    """The event as an iCalendar file in the reader's language."""
    found = _event(day, name)
    text = api().get_text(
        "protocol_events", f"/events/{found['id']}.ics", {"lang": str(get_locale())}
    )
    return download(text, "text/calendar; charset=utf-8", f"{day}-{name}.ics")
