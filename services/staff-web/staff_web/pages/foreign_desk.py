"""The foreign-relations desk: partner cities by name, agreements ending, invitations.

Partner cities are addressed by their name (``/foreign/partners/kutaisi``),
invitations by the registration number of the letter that brought them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from staff_web import desks, forms, municipality
from staff_web.api_client import ApiError, answer_or_refusal, if_match
from staff_web.i18n import LANGUAGES, field_reasons, problem_text, reason_text
from staff_web.permissions import FOREIGN_DECIDERS, FOREIGN_OFFICERS, FOREIGN_READERS
from staff_web.security import api, signed_in
from staff_web.views import page

blueprint = Blueprint("foreign_desk", __name__, url_prefix="/foreign")
# Agreements whose term ends within this many days are listed as nearing their end.
ENDING_WITHIN_DAYS = 120
TRIP_CHECKLIST = ("director_order", "tickets", "insurance", "visas")
RENEWALS = ("automatic", "manual", "none")
PLAN_KINDS = ("perspective", "annual")
PROJECT_STATUSES = ("idea", "preparing", "applied", "approved", "rejected", "running", "closed")
# The moves a trip's page offers from each status (approval is the deciders' alone).
TRIP_MOVES = {
    "planned": ("approved", "cancelled"),
    "approved": ("under_way", "cancelled"),
    "under_way": ("returned",),
    "returned": ("reported",),
}


def _partners() -> list[dict[str, Any]]:
    return sorted(api().all("foreign_relations", "/partners"), key=lambda row: row["city"])


def duplicates(partners: list[dict[str, Any]], city: str, country: str) -> list[dict[str, Any]]:
    """Partner cities already held under the same name (diacritics and case ignored)."""
    wanted = desks.slug(city)
    return [
        row
        for row in partners
        if desks.slug(row["city"]) == wanted and (not country or row["country"] == country)
    ]


@blueprint.app_template_global()
def partner_url(partner: dict[str, Any]) -> str:
    """The address of a partner city's dossier."""
    return url_for("foreign_desk.partner", name=desks.slug(partner["city"]))


@page(blueprint, "", *FOREIGN_READERS, endpoint="desk")
def _desk_page(status: int = 200, **forms: Any) -> tuple[str, int]:
    """Agreements nearing their end, invitations awaiting a decision, trips, translations
    and projects, with the forms that add them."""
    today = municipality.today()
    ending = api().all(
        "foreign_relations",
        "/agreements",
        {"ending_before": (today + timedelta(days=ENDING_WITHIN_DAYS)).isoformat()},
    )
    waiting = api().all("foreign_relations", "/invitations", {"status": "proposed"})
    partners = {row["id"]: row for row in _partners()}
    translations = [
        row
        for row in api().all("foreign_relations", "/translations")
        if row["status"] not in ("done", "cancelled")
    ]
    return render_template(
        "desks/foreign.html",
        ending=ending,
        waiting=waiting,
        partners=partners,
        within=ENDING_WITHIN_DAYS,
        trips=api().all("foreign_relations", "/trips"),
        translations=sorted(translations, key=lambda row: row["due_on"]),
        projects=api().all("foreign_relations", "/projects"),
        today=today,
        languages=LANGUAGES,
        project_statuses_all=PROJECT_STATUSES,
        department_codes=_department_codes(),
        **forms,
    ), status


def _department_codes() -> list[str]:
    return [department.code for department in municipality.profile().departments]


@blueprint.app_template_global()
def trip_url(trip: dict[str, Any]) -> str:
    """The address of a trip: its departure day and its title."""
    return url_for("foreign_desk.trip", day=trip["departs_on"], name=desks.slug(trip["title"]))


def _trip(day: str, name: str) -> dict[str, Any]:
    for row in api().all("foreign_relations", "/trips"):
        if row["departs_on"] == day and desks.slug(row["title"]) == name:
            return api().get("foreign_relations", f"/trips/{row['id']}")
    raise NotFound()


@page(blueprint, "/trips/<string:day>/<string:name>", *FOREIGN_READERS, endpoint="trip")
def _trip_page(
    day: str, name: str, problem: str | None = None, status: int = 200
) -> tuple[str, int]:
    """A trip: travellers, the checklist, per diems, the budget and the report."""
    found = _trip(day, name)
    return render_template(
        "desks/trip.html",
        trip=found,
        problem=problem,
        checklist_items=TRIP_CHECKLIST,
        moves=TRIP_MOVES.get(found["status"], ()),
    ), status


def travellers(text: str) -> list[dict[str, Any]]:
    """Travellers written one a line as ``name, position``; the first heads the trip."""
    rows: list[dict[str, Any]] = []
    for line in text.splitlines():
        name, _, position = line.partition(",")
        if name.strip():
            rows.append(
                {"name": name.strip(), "position": position.strip() or None, "head": not rows}
            )
    return rows


def _where_to(form: dict[str, str]) -> dict[str, str | None]:
    """The title, city and country a trip's or a visit's form was typed with (the country's
    two letters in capitals)."""
    return {
        "title": form["title"] or None,
        "city": form["city"] or None,
        "country": form["country"].upper() or None,
    }


@blueprint.post("/trips")
@signed_in(*FOREIGN_OFFICERS)
def plan_trip() -> Any:
    """Plan a trip: title, place, dates and travellers; the checklist starts empty."""
    form = forms.typed(
        request.form, "title", "city", "country", "departs_on", "returns_on", "members"
    )
    body = {
        **_where_to(form),
        "departs_on": form["departs_on"] or None,
        "returns_on": form["returns_on"] or None,
        "members": travellers(form["members"]),
    }
    created = answer_or_refusal((409, 422), lambda: api().post("foreign_relations", "/trips", body))
    if isinstance(created, ApiError):
        return _desk_page(trip_form=form, trip_problem=problem_text(created), status=created.status)
    return redirect(trip_url(created))


def _change_trip(day: str, name: str, change: dict[str, Any]) -> Any:
    found = _trip(day, name)
    changed = answer_or_refusal(
        (409, 412, 422),
        lambda: api().patch(
            "foreign_relations", f"/trips/{found['id']}", change, if_match(found["version"])
        ),
    )
    if isinstance(changed, ApiError):
        return _trip_page(day, name, problem_text(changed), changed.status)
    return redirect(trip_url(changed))


@blueprint.post("/trips/<string:day>/<string:name>/checklist")
@signed_in(*FOREIGN_OFFICERS)
def tick_checklist(day: str, name: str) -> Any:
    """The checklist as ticked on the form (an unticked box is not done)."""
    return _change_trip(
        day,
        name,
        {"checklist": {item: request.form.get(item) == "done" for item in TRIP_CHECKLIST}},
    )


@blueprint.post("/trips/<string:day>/<string:name>/report")
@signed_in(*FOREIGN_OFFICERS)
def write_report(day: str, name: str) -> Any:
    """The trip's report (kept as written; ``reported`` is a separate move)."""
    return _change_trip(day, name, {"report": (request.form.get("report") or "").strip() or None})


@blueprint.post("/trips/<string:day>/<string:name>/status")
@signed_in(*FOREIGN_OFFICERS, *FOREIGN_DECIDERS)
def move_trip(day: str, name: str) -> Any:
    """Move the trip on (approved, under way, returned, reported, cancelled)."""
    found = _trip(day, name)
    wanted = request.form.get("status")
    if wanted not in TRIP_MOVES.get(found["status"], ()):
        abort(400)
    moved = answer_or_refusal(
        (403, 409, 412, 422),
        lambda: api().post(
            "foreign_relations",
            f"/trips/{found['id']}/status",
            {"status": wanted, "report": found.get("report")},
            if_match(found["version"]),
        ),
    )
    if isinstance(moved, ApiError):
        return _trip_page(day, name, problem_text(moved), moved.status)
    return redirect(trip_url(moved))


@blueprint.post("/translations")
@signed_in(*FOREIGN_OFFICERS)
def order_translation() -> Any:
    """Order a translation, due in so many working days of the municipality's calendar."""
    form = forms.typed(
        request.form,
        "title",
        "source_language",
        "target_language",
        "source_text",
        "working_days",
        "translator",
        "registration_number",
    )
    body = {
        "title": form["title"],
        "source_language": form["source_language"],
        "target_language": form["target_language"],
        "source_text": form["source_text"],
        "working_days": int(form["working_days"]) if form["working_days"].isdigit() else None,
        "translator": form["translator"] or None,
        "registration_number": form["registration_number"] or None,
    }
    refusal = answer_or_refusal(
        (409, 422), lambda: api().post("foreign_relations", "/translations", body)
    )
    if isinstance(refusal, ApiError):
        return _desk_page(
            translation_form=form, translation_problem=problem_text(refusal), status=refusal.status
        )
    return redirect(url_for("foreign_desk.desk") + "#translations")


@blueprint.post("/translations/<string:day>/<string:name>/status")
@signed_in(*FOREIGN_OFFICERS)
def move_translation(day: str, name: str) -> Any:
    """Start a translation or mark it done with the translated text."""
    found = _translation(day, name)
    wanted = request.form.get("status")
    if wanted not in ("in_progress", "done", "cancelled"):
        abort(400)
    body = {
        "status": wanted,
        "translator": found.get("translator"),
        "translated_text": (request.form.get("translated_text") or "").strip() or None,
    }
    refusal = answer_or_refusal(
        (409, 412, 422),
        lambda: api().post(
            "foreign_relations",
            f"/translations/{found['id']}/status",
            body,
            if_match(found["version"]),
        ),
    )
    if isinstance(refusal, ApiError):
        return _desk_page(translation_problem=problem_text(refusal), status=refusal.status)
    return redirect(url_for("foreign_desk.desk") + "#translations")


def _translation(day: str, name: str) -> dict[str, Any]:
    for row in api().all("foreign_relations", "/translations"):
        if row["due_on"] == day and desks.slug(row["title"]) == name:
            return row
    raise NotFound()


@blueprint.app_template_global()
def translation_url(task: dict[str, Any], endpoint: str = "foreign_desk.move_translation") -> str:
    """The address of a translation task's action: its due day and its title."""
    return url_for(endpoint, day=task["due_on"], name=desks.slug(task["title"]))


@page(blueprint, "/partners", *FOREIGN_READERS, endpoint="partners")
def _list_page(
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    duplicate: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """Partner cities, searched by name without minding case or diacritics."""
    query = (request.args.get("q") or "").strip()
    rows = _partners()
    if query:
        rows = [row for row in rows if desks.folded(query) in desks.folded(row["city"])]
    return render_template(
        "desks/partners.html",
        partners=rows,
        q=query,
        form=form or {},
        errors=errors or {},
        duplicate=duplicate or [],
    ), status


@blueprint.post("/partners")
@signed_in(*FOREIGN_OFFICERS)
def create_partner() -> Any:
    """Add a partner city; a city of the same name is shown first and must be confirmed."""
    form = forms.typed(request.form, "city", "country", "relationship", "since")
    same = duplicates(_partners(), form["city"], form["country"].upper())
    if same and request.form.get("confirm_duplicate") != "yes":
        return _list_page(form, duplicate=same, status=409)
    body = {
        "city": form["city"],
        "country": form["country"].upper(),
        "relationship": form["relationship"] or "partner",
        **({"since": form["since"]} if form["since"] else {}),
    }
    created = answer_or_refusal(
        (409, 422), lambda: api().post("foreign_relations", "/partners", body)
    )
    if isinstance(created, ApiError):
        return _list_page(form, field_reasons(created), status=created.status)
    return redirect(partner_url(created))


def _partner(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The partner city the address names and any others of the same name (or 404)."""
    found = [row for row in _partners() if desks.slug(row["city"]) == name]
    if not found:
        abort(404)
    return found[0], found[1:]


@page(blueprint, "/partners/<string:name>", *FOREIGN_READERS, endpoint="partner")
def _partner_page(
    name: str,
    form: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """A partner city's dossier: agreements, cooperation plans with their measures, visits,
    invitations, projects and notes; the officer records agreements and plans here."""
    city, others = _partner(name)
    client = api()
    invitations = [
        row
        for row in client.all("foreign_relations", "/invitations", None)
        if row.get("partner_id") == city["id"]
    ]
    projects = [
        row
        for row in client.all("foreign_relations", "/projects")
        if any(desks.slug(named) == name for named in row.get("partners") or [])
    ]
    plans = [
        client.get("foreign_relations", f"/plans/{row['id']}")
        for row in client.all("foreign_relations", "/plans")
        if row.get("partner_id") == city["id"]
    ]
    return render_template(
        "desks/partner.html",
        partner=city,
        others=others,
        agreements=client.all("foreign_relations", "/agreements", {"partner_id": city["id"]}),
        visits=client.all("foreign_relations", f"/partners/{city['id']}/visits"),
        dossier=client.all("foreign_relations", f"/partners/{city['id']}/dossier"),
        invitations=invitations,
        projects=projects,
        plans=plans,
        form=form or {},
        errors=errors or {},
        renewals=RENEWALS,
        plan_kinds=PLAN_KINDS,
        partner_name=name,
        department_codes=_department_codes(),
    ), status


def _refused(name: str, prefix: str, form: dict[str, str], error: ApiError) -> tuple[str, int]:
    """The dossier again with the form as typed and the service's reasons by its fields."""
    reasons = error.field_errors or {"_schema": [problem_text(error)]}
    return _partner_page(
        name,
        form,
        {
            f"{prefix}-{key.split('.')[0]}": [reason_text(reason) for reason in values]
            for key, values in reasons.items()
        },
        error.status,
    )


# What a form of the partner city's dossier posts: the path and the body.
Posting = tuple[str, dict[str, Any]]
PartnerForm = Callable[[dict[str, Any], dict[str, str]], Posting]


def _partner_form(
    part: str, prefix: str, keys: tuple[str, ...], anchor: str
) -> Callable[[PartnerForm], PartnerForm]:
    """A form of the partner city's dossier, posted to ``/partners/<name>/<part>`` by an
    officer, its fields ``keys`` named ``<prefix>-<key>``: the decorated function (its name
    the endpoint) takes the city and the fields as typed and gives what to post; then back
    to the dossier at ``anchor``, or the dossier again with the refusal by its fields."""

    def register(build: PartnerForm) -> PartnerForm:
        @wraps(build)
        def view(name: str) -> Any:
            city, _others = _partner(name)
            form = forms.typed(request.form, *(f"{prefix}-{key}" for key in keys))
            path, body = build(city, form)
            refusal = answer_or_refusal(
                (409, 422), lambda: api().post("foreign_relations", path, body)
            )
            if isinstance(refusal, ApiError):
                return _refused(name, prefix, form, refusal)
            return redirect(url_for("foreign_desk.partner", name=name) + anchor)

        rule = f"/partners/<string:name>/{part}"
        blueprint.add_url_rule(
            rule, build.__name__, signed_in(*FOREIGN_OFFICERS)(view), methods=["POST"]
        )
        return build

    return register


@_partner_form(
    "agreements",
    "agreement",
    ("title", "signed_on", "starts_on", "ends_on", "renewal", "parties", "areas"),
    "#agreements",
)
def create_agreement(city: dict[str, Any], form: dict[str, str]) -> Posting:
    """Record an agreement with the partner city (its term, renewal, parties, areas)."""
    return "/agreements", {
        "partner_id": city["id"],
        "title": form["agreement-title"],
        "starts_on": form["agreement-starts_on"],
        "renewal": form["agreement-renewal"] or "manual",
        "signed_on": form["agreement-signed_on"] or None,
        "ends_on": form["agreement-ends_on"] or None,
        "parties": _listed(form["agreement-parties"]),
        "areas": _listed(form["agreement-areas"]),
    }


def _listed(text: str) -> list[str]:
    """Names typed one a comma."""
    return [part.strip() for part in text.split(",") if part.strip()]


@_partner_form("plans", "plan", ("title", "kind", "first_year", "last_year"), "#plans")
def create_plan(city: dict[str, Any], form: dict[str, str]) -> Posting:
    """Start a perspective or annual cooperation plan with the partner city."""
    return "/plans", {
        "partner_id": city["id"],
        "title": form["plan-title"],
        "kind": form["plan-kind"] or "annual",
        "first_year": form["plan-first_year"],
        "last_year": form["plan-last_year"] or form["plan-first_year"],
    }


@_partner_form("plan-items", "item", ("plan", "title", "department_code", "target_date"), "#plans")
def add_plan_item(city: dict[str, Any], form: dict[str, str]) -> Posting:
    """Add a measure to one of the partner city's plans (the department carries it out)."""
    plans = {
        row["id"]
        for row in api().all("foreign_relations", "/plans")
        if row.get("partner_id") == city["id"]
    }
    if form["item-plan"] not in plans:
        abort(404)
    return f"/plans/{form['item-plan']}/items", {
        "title": form["item-title"],
        "department_code": form["item-department_code"],
        "target_date": form["item-target_date"] or None,
    }


def _invitation(number: str) -> dict[str, Any]:
    for row in api().all("foreign_relations", "/invitations", None):
        if row.get("registration_number") == number:
            return row
    raise NotFound()


def _visit_of(invitation: dict[str, Any]) -> dict[str, Any] | None:
    """The incoming visit started from ``invitation``, if any."""
    return next(
        (
            row
            for row in api().all("foreign_relations", "/visits", None)
            if row.get("invitation_id") == invitation["id"]
        ),
        None,
    )


@page(blueprint, "/invitations/<path:number>", *FOREIGN_READERS, endpoint="invitation")
def _invitation_page(
    number: str,
    problem: str | None = None,
    status: int = 200,
    visit_form: dict[str, str] | None = None,
    visit_errors: dict[str, list[str]] | None = None,
) -> tuple[str, int]:
    """An invitation by its letter's registration number: evaluation and decision."""
    found = _invitation(number)
    visit = _visit_of(found) if found["status"] == "approved" else None
    form = visit_form or {
        "title": found.get("title") or "",
        "city": found.get("city") or "",
        "country": found.get("country") or "",
        "language": found.get("language") or "",
        "arrives_at": _day_input(found.get("starts_on"), "10:00"),
        "departs_at": _day_input(found.get("ends_on"), "18:00"),
    }
    return render_template(
        "desks/invitation.html",
        invitation=found,
        problem=problem,
        visit=visit,
        visit_form=form,
        visit_errors=visit_errors or {},
        languages=LANGUAGES,
        arrival_week=(
            desks.local_day(visit["arrives_at"], municipality.zone()).isoformat() if visit else None
        ),
    ), status


def _day_input(day: str | None, clock: str) -> str:
    return f"{day}T{clock}" if day else ""


def delegates(text: str) -> list[dict[str, Any]]:
    """Delegates written one a line as ``name, position, e-mail, language``; the first heads
    the delegation (all but the name may be left out)."""
    rows: list[dict[str, Any]] = []
    for line in text.splitlines():
        name, role, email, language = ([part.strip() for part in line.split(",")] + [""] * 3)[:4]
        if name:
            rows.append(
                {
                    "name": name,
                    "role": role or None,
                    "email": email or None,
                    "language": language.lower() or None,
                    "head": not rows,
                }
            )
    return rows


@blueprint.post("/invitations/<path:number>/visit")
@signed_in(*FOREIGN_OFFICERS)
def start_visit(number: str) -> Any:
    """Start the incoming visit the approved invitation's letter asked for: its dates, the
    delegation; the mayor's office approves it next."""
    found = _invitation(number)
    form = forms.typed(
        request.form,
        "title",
        "city",
        "country",
        "arrives_at",
        "departs_at",
        "purpose",
        "language",
        "members",
    )
    errors: dict[str, list[str]] = {}
    zone = municipality.zone()
    moments = {}
    for key in ("arrives_at", "departs_at"):
        moment = desks.parse_local(form[key], zone)
        if moment is None:
            errors[key] = [gettext("This is not a valid date and time.")]
        else:
            moments[key] = moment.isoformat()
    if errors:
        return _invitation_page(
            number, gettext("Please correct the marked fields."), 422, form, errors
        )
    body = {
        "invitation_id": found["id"],
        "partner_id": found.get("partner_id"),
        **_where_to(form),
        "purpose": form["purpose"] or None,
        "language": form["language"] or None,
        "members": delegates(form["members"]),
        **moments,
    }
    try:
        api().post("foreign_relations", "/visits", body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        fields = {
            key.split(".")[0]: [reason_text(r) for r in values]
            for key, values in error.field_errors.items()
        }
        return _invitation_page(number, problem_text(error), error.status, form, fields)
    return redirect(url_for("foreign_desk.invitation", number=number) + "#visit")


@blueprint.post("/invitations/<path:number>/visit/decision")
@signed_in(*FOREIGN_DECIDERS)
def decide_visit(number: str) -> Any:
    """Approve (protocol gets the draft event with the delegation) or decline the visit."""
    found = _invitation(number)
    choice = request.form.get("decision")
    visit = _visit_of(found)
    if choice not in ("approve", "decline") or visit is None:
        abort(400)
    note = (request.form.get("visit_note") or "").strip() or None
    return _send_from_invitation(
        found,
        api().post,
        f"/visits/{visit['id']}/{choice}",
        {"note": note},
        visit["version"],
        "#visit",
    )


@blueprint.post("/invitations/<path:number>/evaluation")
@signed_in(*FOREIGN_OFFICERS)
def evaluate(number: str) -> Any:
    """The officer's evaluation: worth going, recommendation, proposed head."""
    found = _invitation(number)
    worth = request.form.get("worth_going")
    body = {
        "worth_going": {"yes": True, "no": False}.get(worth or ""),
        "recommendation": (request.form.get("recommendation") or "").strip() or None,
        "proposed_head": (request.form.get("proposed_head") or "").strip() or None,
    }
    return _send_from_invitation(
        found, api().put, f"/invitations/{found['id']}/evaluation", body, found["version"]
    )


@blueprint.post("/invitations/<path:number>/decision")
@signed_in(*FOREIGN_DECIDERS)
def decide(number: str) -> Any:
    """Approve or decline the invitation."""
    found = _invitation(number)
    choice = request.form.get("decision")
    if choice not in ("approve", "decline"):
        abort(400)
    note = (request.form.get("note") or "").strip() or None
    return _send_from_invitation(
        found, api().post, f"/invitations/{found['id']}/{choice}", {"note": note}, found["version"]
    )


def _send_from_invitation(
    found: dict[str, Any],
    send: Callable[..., Any],
    path: str,
    body: dict[str, Any],
    version: object,
    anchor: str = "",
) -> Any:
    """A change sent from the invitation's page (to the invitation or its visit) with the
    version the person read: back to the page, or the page again with the refusal."""
    refusal = answer_or_refusal(
        (409, 412, 422), lambda: send("foreign_relations", path, body, if_match(version))
    )
    if isinstance(refusal, ApiError):
        return _invitation_page(found["registration_number"], problem_text(refusal), refusal.status)
    return redirect(
        url_for("foreign_desk.invitation", number=found["registration_number"]) + anchor
    )


@blueprint.app_template_global()
def project_url(project: dict[str, Any]) -> str:
    """The address of an international project: its title."""
    return url_for("foreign_desk.project", name=desks.slug(project["title"]))


def project_form() -> dict[str, str]:
    """The project form's fields as typed."""
    return forms.typed(
        request.form,
        "title",
        "programme",
        "partners",
        "budget",
        "currency",
        "department_code",
        "status",
    )


def project_body(form: dict[str, str]) -> dict[str, Any]:
    """What the project form sends: partners one a comma, the budget as typed."""
    return {
        "title": form["title"],
        "programme": form["programme"],
        "partners": [name.strip() for name in form["partners"].split(",") if name.strip()],
        "budget": form["budget"] or None,
        "currency": form["currency"].upper() or "EUR",
        "department_code": form["department_code"],
        "status": form["status"] or "idea",
    }


@blueprint.post("/projects")
@signed_in(*FOREIGN_OFFICERS)
def create_project() -> Any:
    """Record an international project (its deadlines are added by the API)."""
    form = project_form()
    created = answer_or_refusal(
        (409, 422), lambda: api().post("foreign_relations", "/projects", project_body(form))
    )
    if isinstance(created, ApiError):
        return _desk_page(
            project_form=form, project_problem=problem_text(created), status=created.status
        )
    return redirect(project_url(created))


def _project(name: str) -> dict[str, Any]:
    for row in api().all("foreign_relations", "/projects"):
        if desks.slug(row["title"]) == name:
            return api().get("foreign_relations", f"/projects/{row['id']}")
    raise NotFound()


@page(blueprint, "/projects/<string:name>", *FOREIGN_READERS, endpoint="project")
def _project_page(
    name: str,
    form: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """An international project with its deadlines, and its form for the officer."""
    found = _project(name)
    shown = form or {
        **found,
        "partners": ", ".join(found.get("partners") or []),
        "budget": found.get("budget") or "",
    }
    return render_template(
        "desks/project.html",
        project=found,
        form=shown,
        problem=problem,
        statuses=PROJECT_STATUSES,
        department_codes=_department_codes(),
    ), status


@blueprint.post("/projects/<string:name>")
@signed_in(*FOREIGN_OFFICERS)
def update_project(name: str) -> Any:
    """Change a project (title, programme, partners, budget, department, status)."""
    found, form = _project(name), project_form()
    changed = answer_or_refusal(
        (409, 412, 422),
        lambda: api().patch(
            "foreign_relations",
            f"/projects/{found['id']}",
            project_body(form),
            if_match(found["version"]),
        ),
    )
    if isinstance(changed, ApiError):
        return _project_page(name, form, problem_text(changed), changed.status)
    return redirect(project_url(changed))
