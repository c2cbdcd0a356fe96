"""Residents book reception hours themselves, on the public pages (no sign-in).

A resident picks an official by name, a free slot of a week, gives a name, an
e-mail address or phone number and a topic, and is sent a link that confirms
the booking; the same link gives the calendar file and the cancellation.
Addresses are what the resident knows: the official's name and the week, and
the link they were sent (never a service id). Protocol-events counts requests
per client, so each request names the resident's address the way a proxy does.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, lazy_gettext
from werkzeug.exceptions import NotFound

from staff_web import desks, forms, municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.exports import download
from staff_web.i18n import reason_text
from staff_web.reception_week import week_of_slots
from staff_web.security import api, link_token

blueprint = Blueprint("public_receptions", __name__, url_prefix="/public/receptions")
TOPIC_LIMIT = 2000
# The service's reasons for a refused booking, as a resident reads them.
REFUSALS = {
    "slot already booked": lazy_gettext(
        "This time has just been taken. Please choose another one."
    ),
    "one live booking per contact and official": lazy_gettext(
        "You already have a booking with this official that is still ahead. Cancel it with "
        "the link you were sent before booking another time."
    ),
    "expired, not pending": lazy_gettext(
        "The time for confirming has passed and the slot was released. Please book again."
    ),
    "in the past": lazy_gettext("This time has already begun. Please choose another one."),
    "not a reception slot": lazy_gettext(
        "This is not one of the official's free times. Please choose another one."
    ),
}


def _client() -> dict[str, str]:
    """The resident's address for protocol-events' per-client count."""
    return {"X-Forwarded-For": request.remote_addr or "unknown"}


@blueprint.app_template_global()
def in_language(texts: dict[str, str] | None) -> str:
    """A text given per language, in the reader's (else the municipality's, else any)."""
    texts = texts or {}
    default = municipality.profile().languages[0]
    return texts.get(str(get_locale())) or texts.get(default) or next(iter(texts.values()), "")


def _officials() -> list[dict[str, Any]]:
    return api().all("protocol_events", "/public/officials")


def _official(name: str) -> dict[str, Any]:
    for official in _officials():
        if desks.slug(official["name"]) == name:
            return official
    raise NotFound()


@blueprint.get("")
def officials() -> str:
    """Whom residents may meet in reception hours."""
    return render_template(
        "public/receptions.html",
        officials=[{**official, "slug": desks.slug(official["name"])} for official in _officials()],
    )


def _week(
    official: dict[str, Any],
    monday: date,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    week = week_of_slots(f"/public/officials/{official['id']}/slots", monday)
    # A resident books from this week on: no way back before it.
    if week["days"][0] <= desks.week_of(municipality.today())[0]:
        week["previous"] = None
    return render_template(
        "public/reception_week.html",
        official=official,
        **week,
        form=form or {},
        errors=errors or {},
        problem=problem,
    ), status


@blueprint.get("/<string:name>")
def week(name: str) -> tuple[str, int]:
    """An official's free slots of a week (``?week=2027-05-03``), from this week on."""
    wanted = max(
        desks.parse_day(request.args.get("week"), municipality.today()), municipality.today()
    )
    return _week(_official(name), wanted)


@blueprint.post("/<string:name>")
def book(name: str) -> tuple[str, int]:
    """Ask for the chosen slot; the resident is sent the link that confirms it."""
    official = _official(name)
    form = forms.typed(request.form, "starts_at", "visitor_name", "email", "phone", "topic")
    try:
        monday = max(desks.local_day(form["starts_at"], municipality.zone()), municipality.today())
    except ValueError:
        monday = municipality.today()
    body = {
        "official_id": official["id"],
        "starts_at": form["starts_at"],
        "topic": form["topic"][:TOPIC_LIMIT],
        "visitor": {
            "name": form["visitor_name"],
            "email": form["email"] or None,
            "phone": form["phone"] or None,
            "language": str(get_locale()),
        },
    }
    booking = answer_or_refusal(
        (409, 422, 429),
        lambda: api().post("protocol_events", "/public/bookings", body, headers=_client()),
    )
    if isinstance(booking, ApiError):
        return _week(official, monday, form, *_refusal(booking), status=booking.status)
    return render_template(
        "public/booking_requested.html",
        official=official,
        booking=booking,
        by_email=bool(form["email"]),
    ), 200


def _refusal(error: ApiError) -> tuple[dict[str, list[str]], str | None]:
    """The field errors and the one sentence a refused booking shows."""
    if error.status == 429:
        minutes = math.ceil((error.retry_after or 3600) / 60)
        return {}, gettext(
            "You have asked for bookings too often. Please try again in %(minutes)s minutes.",
            minutes=minutes,
        )
    reasons = [e.get("reason") or "" for e in error.errors]
    known = next((REFUSALS[r] for r in reasons if r in REFUSALS), None)
    if error.status == 409 or known is not None:
        return {}, str(
            known or gettext("This booking is not possible. Please choose another time.")
        )
    fields = {
        key.removeprefix("visitor."): [reason_text(r) for r in values]
        for key, values in error.field_errors.items()
    }
    return fields, gettext("Please correct the marked fields.")


def _booking_page(token: str, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    booking = api().get("protocol_events", f"/public/bookings/{link_token(token)}")
    return render_template(
        "public/booking.html",
        booking=booking,
        token=token,
        problem=problem,
        done=request.args.get("done"),
    ), status


@blueprint.get("/booking/<string:token>")
def booking(token: str) -> tuple[str, int]:
    """The link the resident was sent: confirm, then the calendar file and the cancellation.

    Opening it changes nothing (mail scanners open links too): confirming is a button.
    """
    return _booking_page(token)


def _act(token: str, action: str) -> Any:
    refusal = answer_or_refusal(
        (409,),
        lambda: api().post(
            "protocol_events", f"/public/bookings/{link_token(token)}/{action}", headers=_client()
        ),
    )
    if isinstance(refusal, ApiError):
        return _booking_page(token, _refusal(refusal)[1], status=409)
    return redirect(url_for("public_receptions.booking", token=token, done=action))


@blueprint.post("/booking/<string:token>/confirm")
def confirm(token: str) -> Any:
    """Confirm the held slot."""
    return _act(token, "confirm")


@blueprint.post("/booking/<string:token>/cancel")
def cancel(token: str) -> Any:
    """Cancel the booking; the slot is free for others again."""
    return _act(token, "cancel")


@blueprint.get("/booking/<string:token>/calendar.ics")
def calendar(token: str) -> Response:
    """The confirmed booking as a calendar file, in the page's language."""
    body = api().get_text(
        "protocol_events",
        f"/public/bookings/{link_token(token)}/calendar.ics",
        {"lang": str(get_locale())},
    )
    return download(body.encode("utf-8"), "text/calendar", "reception.ics")
