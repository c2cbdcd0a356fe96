"""The foreign-relations desk: partner cities by name, agreements ending, invitations.

Partner cities are addressed by their name (``/foreign/partners/kutaisi``),
invitations by the registration number of the letter that brought them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import NotFound

from staff_web import desks
from staff_web.api_client import ApiError
from staff_web.i18n import reason_text
from staff_web.security import api, signed_in

blueprint = Blueprint("foreign_desk", __name__, url_prefix="/foreign")
OFFICERS = ("foreign_relations_officer",)
READERS = ("foreign_relations_officer", "mayor", "mayor_office", "director")
DECIDERS = ("mayor", "mayor_office", "director")
# Agreements whose term ends within this many days are listed as nearing their end.
ENDING_WITHIN_DAYS = 120


def _today() -> Any:
    zone = ZoneInfo(current_app.extensions["staff_web.profile"].time_zone)
    return datetime.now(zone).date()


def _partners() -> list[dict[str, Any]]:
    return sorted(api().all("foreign_relations", "/partners"), key=lambda row: row["city"])


def duplicates(partners: list[dict[str, Any]], city: str, country: str) -> list[dict[str, Any]]:
    """Partner cities already held under the same name (diacritics and case ignored)."""
    wanted = desks.slug(city)
    return [row for row in partners
            if desks.slug(row["city"]) == wanted and (not country or row["country"] == country)]


@blueprint.app_template_global()
def partner_url(partner: dict[str, Any]) -> str:
    """The address of a partner city's dossier."""
    return url_for("foreign_desk.partner", name=desks.slug(partner["city"]))


@blueprint.get("")
@signed_in(*READERS)
def desk() -> str:
    """Agreements nearing their end and invitations awaiting a decision."""
    today = _today()
    ending = api().all("foreign_relations", "/agreements", {
        "ending_before": (today + timedelta(days=ENDING_WITHIN_DAYS)).isoformat()})
    waiting = api().all("foreign_relations", "/invitations", {"status": "proposed"})
    partners = {row["id"]: row for row in _partners()}
    translations = [row for row in api().all("foreign_relations", "/translations")
                    if row["status"] not in ("done", "cancelled")]
    return render_template("desks/foreign.html", ending=ending, waiting=waiting,
                           partners=partners, within=ENDING_WITHIN_DAYS,
                           trips=api().all("foreign_relations", "/trips"),
                           translations=sorted(translations, key=lambda row: row["due_on"]),
                           projects=api().all("foreign_relations", "/projects"), today=today)


@blueprint.app_template_global()
def trip_url(trip: dict[str, Any]) -> str:
    """The address of a trip: its departure day and its title."""
    return url_for("foreign_desk.trip", day=trip["departs_on"], name=desks.slug(trip["title"]))


@blueprint.get("/trips/<string:day>/<string:name>")
@signed_in(*READERS)
def trip(day: str, name: str) -> str:
    """A trip: travellers, the checklist, per diems, the budget and the report."""
    for row in api().all("foreign_relations", "/trips"):
        if row["departs_on"] == day and desks.slug(row["title"]) == name:
            detail = api().all("foreign_relations", f"/trips/{row['id']}")
            return render_template("desks/trip.html", trip=detail)
    raise NotFound()


def _list_page(form: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None,
               duplicate: list[dict[str, Any]] | None = None, status: int = 200
               ) -> tuple[str, int]:
    query = (request.args.get("q") or "").strip()
    rows = _partners()
    if query:
        rows = [row for row in rows if desks.folded(query) in desks.folded(row["city"])]
    return render_template("desks/partners.html", partners=rows, q=query, form=form or {},
                           errors=errors or {}, duplicate=duplicate or []), status


@blueprint.get("/partners")
@signed_in(*READERS)
def partners() -> tuple[str, int]:
    """Partner cities, searched by name without minding case or diacritics."""
    return _list_page()


@blueprint.post("/partners")
@signed_in(*OFFICERS)
def create_partner() -> Any:
    """Add a partner city; a city of the same name is shown first and must be confirmed."""
    form = {key: (request.form.get(key) or "").strip()
            for key in ("city", "country", "relationship", "since")}
    same = duplicates(_partners(), form["city"], form["country"].upper())
    if same and request.form.get("confirm_duplicate") != "yes":
        return _list_page(form, duplicate=same, status=409)
    body = {"city": form["city"], "country": form["country"].upper(),
            "relationship": form["relationship"] or "partner",
            **({"since": form["since"]} if form["since"] else {})}
    try:
        created = api().post("foreign_relations", "/partners", body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        reasons = error.field_errors or {"_schema": [error.detail or error.title]}
        return _list_page(form, {k: [reason_text(r) for r in v] for k, v in reasons.items()},
                          status=error.status)
    return redirect(partner_url(created))


@blueprint.get("/partners/<string:name>")
@signed_in(*READERS)
def partner(name: str) -> str:
    """A partner city's dossier: agreements, visits, invitations, projects and notes."""
    found = [row for row in _partners() if desks.slug(row["city"]) == name]
    if not found:
        abort(404)
    city = found[0]
    client = api()
    invitations = [row for row in client.all("foreign_relations", "/invitations",
                                             None)
                   if row.get("partner_id") == city["id"]]
    projects = [row for row in client.all("foreign_relations", "/projects")
                if any(desks.slug(named) == name for named in row.get("partners") or [])]
    return render_template(
        "desks/partner.html", partner=city, others=found[1:],
        agreements=client.all("foreign_relations", "/agreements", {"partner_id": city["id"]}),
        visits=client.all("foreign_relations", f"/partners/{city['id']}/visits"),
        dossier=client.all("foreign_relations", f"/partners/{city['id']}/dossier"),
        invitations=invitations, projects=projects)


def _invitation(number: str) -> dict[str, Any]:
    for row in api().all("foreign_relations", "/invitations", None):
        if row.get("registration_number") == number:
            return row
    raise NotFound()


def _invitation_page(found: dict[str, Any], problem: str | None = None, status: int = 200
                     ) -> tuple[str, int]:
    return render_template("desks/invitation.html", invitation=found, problem=problem), status


@blueprint.get("/invitations/<path:number>")
@signed_in(*READERS)
def invitation(number: str) -> tuple[str, int]:
    """An invitation by its letter's registration number: evaluation and decision."""
    return _invitation_page(_invitation(number))


@blueprint.post("/invitations/<path:number>/evaluation")
@signed_in(*OFFICERS)
def evaluate(number: str) -> Any:
    """The officer's evaluation: worth going, recommendation, proposed head."""
    found = _invitation(number)
    worth = request.form.get("worth_going")
    body = {"worth_going": {"yes": True, "no": False}.get(worth or ""),
            "recommendation": (request.form.get("recommendation") or "").strip() or None,
            "proposed_head": (request.form.get("proposed_head") or "").strip() or None}
    try:
        api().put("foreign_relations", f"/invitations/{found['id']}/evaluation", body,
                  {"If-Match": f'"{found["version"]}"'})
    except ApiError as error:
        if error.status not in (409, 412, 422):
            raise
        return _invitation_page(found, reason_text(error.detail or error.title), error.status)
    return redirect(url_for("foreign_desk.invitation", number=number))


@blueprint.post("/invitations/<path:number>/decision")
@signed_in(*DECIDERS)
def decide(number: str) -> Any:
    """Approve or decline the invitation."""
    found = _invitation(number)
    choice = request.form.get("decision")
    if choice not in ("approve", "decline"):
        abort(400)
    note = (request.form.get("note") or "").strip() or None
    try:
        api().post("foreign_relations", f"/invitations/{found['id']}/{choice}", {"note": note},
                   {"If-Match": f'"{found["version"]}"'})
    except ApiError as error:
        if error.status not in (409, 412, 422):
            raise
        return _invitation_page(found, reason_text(error.detail or error.title), error.status)
    return redirect(url_for("foreign_desk.invitation", number=number))
