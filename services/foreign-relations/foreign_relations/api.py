"""Foreign relations' HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, json, request
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema

from chancery.csvexport import csv_text
from chancery.http import expected_version, idempotent_request, stored_response, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import file_responses, if_match_required, versioned_read
from chancery.http.paging import (
    PageQuery,
    answer_page,
    page_request,
    page_response,
    paged_response,
)
from chancery.http.problems import Problem
from chancery.http.security import principal, require
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations import schemas
from foreign_relations.invitations import Invitations
from foreign_relations.partners import PUBLIC_FIELDS, Partners
from foreign_relations.projects import Projects
from foreign_relations.translations import Translations
from foreign_relations.travel import Travel, TripFile

partners = Blueprint("partners", __name__, url_prefix="/partners",
                     description="Partner (twin) cities: facts, contacts, dossier, visits.")
open_data = Blueprint("open-data", __name__, url_prefix="/open-data",
                      description="The public list of partner cities, without any person.")
agreements = Blueprint("agreements", __name__, url_prefix="/agreements",
                       description="Cooperation agreements and their terms.")
plans = Blueprint("plans", __name__, url_prefix="/plans",
                  description="Perspective and annual cooperation plans.")
invitations = Blueprint("invitations", __name__, url_prefix="/invitations",
                        description="Invitations from abroad: evaluation and decision.")
trips = Blueprint("trips", __name__, url_prefix="/trips",
                  description="Outgoing delegations: checklist, passports, per diems, report.")
visits = Blueprint("visits", __name__, url_prefix="/visits",
                   description="Incoming delegations' visits: request and decision.")
translations = Blueprint("translations", __name__, url_prefix="/translations",
                         description="Translation tasks for correspondence with foreign cities.")
projects = Blueprint("projects", __name__, url_prefix="/projects",
                     description="International projects and funds with their deadlines.")
proposals = Blueprint("proposals", __name__, url_prefix="/proposals",
                      description="Foreign partners' proposals referred to committees and "
                                  "departments.")

OFFICER = ("foreign_relations_officer",)
# Department systems may create invitations, visits, translations and proposals (and retry).
CREATORS = ("foreign_relations_officer", "system")
READERS = ("foreign_relations_officer", "department_staff", "department_head", "mayor",
           "mayor_office", "director", "deputy_mayor", "protocol_officer", "operator")
DECIDERS = ("mayor", "mayor_office", "director")
# Who may read people's data (contacts, travellers, delegates); every read is audited.
PERSONAL_DATA_READERS = ("foreign_relations_officer", "mayor_office", "protocol_officer",
                         "director", "mayor")
IDEMPOTENCY_DOC = {"parameters": [{
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "A retried request with the same key returns the first result and "
                   "creates nothing new."}]}

PARTNER_OUT = schemas.PartnerOut()
AGREEMENT_OUT = schemas.AgreementOut()
INVITATION_OUT = schemas.InvitationOut()
VISIT_OUT = schemas.VisitDetailOut()
TRANSLATION_OUT = schemas.TranslationOut()
PROPOSAL_OUT = schemas.ProposalOut()


def _partners() -> Partners:
    return current_app.extensions["partners"]


def _invitations() -> Invitations:
    return current_app.extensions["invitations"]


def _travel() -> Travel:
    return current_app.extensions["travel"]


def _translations() -> Translations:
    return current_app.extensions["translations"]


def _projects() -> Projects:
    return current_app.extensions["projects"]


def _if_match() -> int | None:
    return expected_version(request.headers.get("If-Match"))


def _row(schema: Schema, row: Any, status: int = 200) -> Response:
    return versioned_json(schema.dump(row), row.version, status)


def _idempotent(operation: str) -> IdempotentRequest | None:
    return idempotent_request(f"{principal().subject}:{operation}")


def _created(schema: Schema, location: str) -> Any:
    """A ``respond`` callback: the 201 answer for a created row, stored with its key."""

    def respond(row: Any) -> StoredResponse:
        return StoredResponse(201, schema.dump(row), {"Location": f"{location}/{row.id}",
                                                      "ETag": f'"{row.version}"'})

    return respond


# Partners -------------------------------------------------------------------------------

@partners.route("", methods=["GET"])
@require(*READERS)
@partners.arguments(schemas.PartnerQuery(), location="query", unknown=RAISE)
@paged_response(partners, schemas.PartnerOut)
def list_partners(query: dict[str, Any]) -> Any:
    """Partner cities by name, optionally of one status or country."""
    asked = page_request(query)
    return answer_page(_partners().partners(**query), asked)


@partners.route("", methods=["POST"])
@require(*OFFICER)
@partners.arguments(schemas.PartnerIn(), example=schemas.PARTNER_EXAMPLE)
@partners.response(201, schemas.PartnerOut, example=schemas.PARTNER_OUT_EXAMPLE)
@partners.doc(**IDEMPOTENCY_DOC)
def create_partner(data: dict[str, Any]) -> Response:
    """Add a partner city, with its contact people."""
    return stored_response(_partners().create_partner(data, _idempotent("POST /partners"),
                                              _created(PARTNER_OUT, "/partners")))


@partners.route("/<uuid:partner_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@partners.response(200, schemas.PartnerOut)
def read_partner(partner_id: Any) -> Response:
    """One partner city (its contacts are at ``/contacts``)."""
    return _row(PARTNER_OUT, _partners().partner(str(partner_id)))


@partners.route("/<uuid:partner_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@partners.arguments(schemas.PartnerPatch())
@partners.response(200, schemas.PartnerOut)
def update_partner(data: dict[str, Any], partner_id: Any) -> Response:
    """Change a partner city (``If-Match``: its ETag)."""
    return _row(PARTNER_OUT, _partners().update_partner(str(partner_id), data, _if_match()))


@partners.route("/<uuid:partner_id>/contacts", methods=["GET"])
@personal_data("partner", "partner_id")
@require(*PERSONAL_DATA_READERS)
@partners.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(partners, schemas.ContactOut)
def list_contacts(query: dict[str, Any], partner_id: Any) -> Any:
    """A partner's contact people (personal data: the read is audited)."""
    return answer_page(_partners().contacts(str(partner_id), principal()), query)


@partners.route("/<uuid:partner_id>/contacts", methods=["POST"])
@require(*OFFICER)
@partners.arguments(schemas.ContactIn())
@partners.response(201, schemas.ContactOut)
def add_contact(data: dict[str, Any], partner_id: Any) -> Any:
    """Add a contact person."""
    return _partners().add_contact(str(partner_id), data)


@partners.route("/<uuid:partner_id>/contacts/<uuid:contact_id>", methods=["DELETE"])
@require(*OFFICER)
@partners.response(204)
def remove_contact(partner_id: Any, contact_id: Any) -> None:
    """Remove a contact person."""
    _partners().remove_contact(str(partner_id), str(contact_id))


@partners.route("/<uuid:partner_id>/dossier", methods=["GET"])
@require(*READERS)
@partners.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(partners, schemas.DossierOut)
def read_dossier(query: dict[str, Any], partner_id: Any) -> Any:
    """The partner's information dossier, newest first."""
    return answer_page(_partners().dossier(str(partner_id)), query)


@partners.route("/<uuid:partner_id>/dossier", methods=["POST"])
@require(*OFFICER)
@partners.arguments(schemas.DossierIn())
@partners.response(201, schemas.DossierOut)
def add_to_dossier(data: dict[str, Any], partner_id: Any) -> Any:
    """Add a note or a document to the dossier."""
    return _partners().add_dossier_entry(str(partner_id), data, principal())


@partners.route("/<uuid:partner_id>/visits", methods=["GET"])
@require(*READERS)
@partners.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(partners, schemas.HistoryOut)
def visit_history(query: dict[str, Any], partner_id: Any) -> Any:
    """Visits both ways, newest first: trips made, visits received, records entered."""
    return answer_page(_partners().history(str(partner_id)), query)


@partners.route("/<uuid:partner_id>/visits", methods=["POST"])
@require(*OFFICER)
@partners.arguments(schemas.VisitRecordIn())
@partners.response(201, schemas.HistoryOut)
def add_visit_record(data: dict[str, Any], partner_id: Any) -> dict[str, Any]:
    """Enter a past visit by hand."""
    record = _partners().add_visit_record(str(partner_id), data)
    return {"direction": record.direction, "source": "record", "source_id": record.id,
            "title": record.title, "starts_on": record.starts_on, "ends_on": record.ends_on}


@open_data.route("/partners.json", methods=["GET"])
@open_data.response(200, schemas.PublicPartnerOut(many=True))
def partners_json() -> Any:
    """Partner cities as open data (JSON), without authentication and without people."""
    return _partners().open_data()


@open_data.route("/partners.csv", methods=["GET"])
@open_data.doc(**file_responses("The partner cities as CSV (UTF-8, a header row).",
                                "text/csv"))
def partners_csv() -> Response:
    """Partner cities as open data (CSV, UTF-8; lists separated by ``;``)."""
    rows = [[";".join(value) if isinstance(value, list) else value
             for value in partner.values()] for partner in _partners().open_data()]
    return Response(csv_text(PUBLIC_FIELDS, rows), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="partner-cities.csv"'})


# Agreements -----------------------------------------------------------------------------

@agreements.route("", methods=["GET"])
@require(*READERS)
@agreements.arguments(schemas.AgreementQuery(), location="query", unknown=RAISE)
@paged_response(agreements, schemas.AgreementOut)
def list_agreements(query: dict[str, Any]) -> Any:
    """Agreements by end of term, of one partner or ending by a date."""
    asked = page_request(query)
    return answer_page(_partners().agreements(**query), asked)


@agreements.route("", methods=["POST"])
@require(*OFFICER)
@agreements.arguments(schemas.AgreementIn())
@agreements.response(201, schemas.AgreementOut)
@agreements.doc(**IDEMPOTENCY_DOC)
def create_agreement(data: dict[str, Any]) -> Response:
    """Record a cooperation agreement and its first term."""
    return stored_response(_partners().create_agreement(data, _idempotent("POST /agreements"),
                                                _created(AGREEMENT_OUT, "/agreements")))


@agreements.route("/<uuid:agreement_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@agreements.response(200, schemas.AgreementOut)
def read_agreement(agreement_id: Any) -> Response:
    """One agreement with all its terms."""
    return _row(AGREEMENT_OUT, _partners().agreement(str(agreement_id)))


@agreements.route("/<uuid:agreement_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@agreements.arguments(schemas.AgreementPatch())
@agreements.response(200, schemas.AgreementOut)
def update_agreement(data: dict[str, Any], agreement_id: Any) -> Response:
    """Change an agreement's title, parties, areas, documents or renewal."""
    return _row(AGREEMENT_OUT, _partners().update_agreement(str(agreement_id), data,
                                                            _if_match()))


@agreements.route("/<uuid:agreement_id>/renew", methods=["POST"])
@require(*OFFICER)
@agreements.arguments(schemas.RenewIn())
@agreements.response(200, schemas.AgreementOut)
def renew_agreement(data: dict[str, Any], agreement_id: Any) -> Response:
    """Start a new term; its end will be announced again in time."""
    return _row(AGREEMENT_OUT, _partners().renew(str(agreement_id), data["starts_on"],
                                                 data["ends_on"], _if_match()))


# Plans ----------------------------------------------------------------------------------

@plans.route("", methods=["GET"])
@require(*READERS)
@plans.arguments(schemas.PlanQuery(), location="query", unknown=RAISE)
@paged_response(plans, schemas.PlanOut)
def list_plans(query: dict[str, Any]) -> Any:
    """Plans, newest first, optionally those covering a year."""
    return answer_page(_partners().plans(query.pop("year")), query)


@plans.route("", methods=["POST"])
@require(*OFFICER)
@plans.arguments(schemas.PlanIn())
@plans.response(201, schemas.PlanDetailOut)
def create_plan(data: dict[str, Any]) -> Response:
    """Start a perspective or annual plan with its items."""
    plan = _partners().create_plan(data)
    return _plan(plan.id, 201)


@plans.route("/<uuid:plan_id>", methods=["GET"])
@require(*READERS)
@plans.response(200, schemas.PlanDetailOut)
def read_plan(plan_id: Any) -> Response:
    """A plan with its items."""
    return _plan(str(plan_id))


@plans.route("/<uuid:plan_id>/items", methods=["POST"])
@require(*OFFICER)
@plans.arguments(schemas.PlanItemIn())
@plans.response(201, schemas.PlanItemOut)
def add_plan_item(data: dict[str, Any], plan_id: Any) -> Response:
    """Add a measure to a plan."""
    return _row(schemas.PlanItemOut(), _partners().add_item(str(plan_id), data), 201)


@plans.route("/<uuid:plan_id>/items/<uuid:item_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@plans.arguments(schemas.PlanItemPatch())
@plans.response(200, schemas.PlanItemOut)
def update_plan_item(data: dict[str, Any], plan_id: Any, item_id: Any) -> Response:
    """Change an item's status or target date, or link the events and trips fulfilling it."""
    return _row(schemas.PlanItemOut(), _partners().update_item(str(plan_id), str(item_id),
                                                               data, _if_match()))


def _plan(plan_id: str, status: int = 200) -> Response:
    plan, items = _partners().plan(plan_id)
    body = schemas.PlanOut().dump(plan)
    body["items"] = schemas.PlanItemOut(many=True).dump(items)
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


# Invitations ----------------------------------------------------------------------------

@invitations.route("", methods=["GET"])
@require(*READERS)
@invitations.arguments(schemas.InvitationQuery(), location="query", unknown=RAISE)
@paged_response(invitations, schemas.InvitationOut)
def list_invitations(query: dict[str, Any]) -> Any:
    """Invitations, those to answer soonest first; ``letter_number`` finds the invitation
    a letter became (``GET /invitations/by-letter/{registration_number}`` answers it alone)."""
    asked = page_request(query)
    return page_response(_invitations().invitations(principal(), asked, **query), asked)


@invitations.route("/by-letter/<string:registration_number>", methods=["GET"])
@require(*READERS)
@invitations.response(200, schemas.InvitationOut)
def read_invitation_by_letter(registration_number: str) -> Response:
    """The invitation a letter became, found by the letter's registration number, as
    ``GET /invitations/{invitation_id}`` (403 without the letter's clearance)."""
    return _row(INVITATION_OUT, _invitations().invitation_of_letter(registration_number,
                                                                    principal()))


@invitations.route("", methods=["POST"])
@require(*CREATORS)
@invitations.arguments(schemas.InvitationIn())
@invitations.response(201, schemas.InvitationOut)
@invitations.doc(**IDEMPOTENCY_DOC)
def propose_invitation(data: dict[str, Any]) -> Response:
    """Enter an invitation by hand; it awaits a decision at once."""
    return stored_response(_invitations().propose(data, g.correlation_id,
                                          _idempotent("POST /invitations"),
                                          _created(INVITATION_OUT, "/invitations")))


@invitations.route("/<uuid:invitation_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@invitations.response(200, schemas.InvitationOut)
def read_invitation(invitation_id: Any) -> Response:
    """One invitation with its evaluation and decision."""
    return _row(INVITATION_OUT, _invitations().invitation(str(invitation_id), principal()))


@invitations.route("/<uuid:invitation_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@invitations.arguments(schemas.InvitationPatch())
@invitations.response(200, schemas.InvitationOut)
def update_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Complete an undecided invitation's facts (dates, place, inviter, partner)."""
    return _row(INVITATION_OUT, _invitations().update(str(invitation_id), data, principal(),
                                                      _if_match()))


@invitations.route("/<uuid:invitation_id>/evaluation", methods=["PUT"])
@require(*OFFICER)
@invitations.arguments(schemas.EvaluationIn())
@invitations.response(200, schemas.InvitationOut)
def evaluate_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Is it worth going, the recommendation, the proposed delegation and its head."""
    return _row(INVITATION_OUT, _invitations().evaluate(str(invitation_id), data, principal(),
                                                        g.correlation_id, _if_match()))


def _decide(invitation_id: Any, status: str, data: dict[str, Any]) -> Response:
    return _row(INVITATION_OUT, _invitations().decide(str(invitation_id), status, data["note"],
                                                      principal(), g.correlation_id,
                                                      _if_match()))


@invitations.route("/<uuid:invitation_id>/approve", methods=["POST"])
@require(*DECIDERS)
@invitations.arguments(schemas.DecisionIn(), required=False)
@invitations.response(200, schemas.InvitationOut)
def approve_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Decide to go (409 naming the state when the invitation is no longer proposed)."""
    return _decide(invitation_id, "approved", data)


@invitations.route("/<uuid:invitation_id>/decline", methods=["POST"])
@require(*DECIDERS)
@invitations.arguments(schemas.DecisionIn(), required=False)
@invitations.response(200, schemas.InvitationOut)
def decline_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Decide not to go."""
    return _decide(invitation_id, "declined", data)


@invitations.route("/<uuid:invitation_id>/withdraw", methods=["POST"])
@require("foreign_relations_officer", *DECIDERS)
@invitations.arguments(schemas.DecisionIn(), required=False)
@invitations.response(200, schemas.InvitationOut)
def withdraw_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """The inviter cancelled, or the invitation was entered by mistake."""
    return _decide(invitation_id, "withdrawn", data)


# Trips ----------------------------------------------------------------------------------

def _trip_body(file: TripFile) -> dict[str, Any]:
    body = schemas.TripOut().dump(file.trip)
    body["members"] = schemas.TravellerOut(many=True).dump(file.travellers)
    body["passports"] = schemas.PassportOut(many=True).dump(file.passports)
    body["per_diem"] = schemas.PerDiemOut().dump(file.per_diem)
    body["budget_total"] = str(file.budget_total)
    body["missing"] = file.missing
    body["ready_to_leave"] = not file.missing
    return body


@trips.route("", methods=["GET"])
@require(*READERS)
@trips.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@paged_response(trips, schemas.TripOut)
def list_trips(query: dict[str, Any]) -> Any:
    """Trips, the latest departure first (without travellers)."""
    return answer_page(_travel().trips(query.pop("status")), query)


@trips.route("", methods=["POST"])
@require(*OFFICER)
@trips.arguments(schemas.TripIn())
@trips.response(201, schemas.TripDetailOut)
@trips.doc(**IDEMPOTENCY_DOC)
def plan_trip(data: dict[str, Any]) -> Response:
    """Plan a trip from an approved invitation (its place and dates are the defaults)."""

    def respond(file: TripFile) -> StoredResponse:
        return StoredResponse(201, _trip_body(file), {"Location": f"/trips/{file.trip.id}",
                                                      "ETag": f'"{file.trip.version}"'})

    return stored_response(_travel().plan_trip(data, _idempotent("POST /trips"), respond))


@trips.route("/<uuid:trip_id>", methods=["GET"])
@versioned_read
@personal_data("trip", "trip_id")
@require(*PERSONAL_DATA_READERS)
@trips.response(200, schemas.TripDetailOut)
def read_trip(trip_id: Any) -> Response:
    """A trip with travellers, passport checks, per diems and what is missing (audited)."""
    file = _travel().trip(str(trip_id), principal())
    return versioned_json(_trip_body(file), file.trip.version)


@trips.route("/<uuid:trip_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@trips.arguments(schemas.TripPatch())
@trips.response(200, schemas.TripDetailOut)
def update_trip(data: dict[str, Any], trip_id: Any) -> Response:
    """Tick the checklist, set the budget, programme, dates or travellers."""
    file = _travel().update_trip(str(trip_id), data, principal(), _if_match())
    return versioned_json(_trip_body(file), file.trip.version)


@trips.route("/<uuid:trip_id>/status", methods=["POST"])
@require("foreign_relations_officer", *DECIDERS)
@trips.arguments(schemas.TripStatusIn())
@trips.response(200, schemas.TripDetailOut)
def move_trip(data: dict[str, Any], trip_id: Any) -> Response:
    """planned → approved (director's order) → under_way → returned → reported; cancelled."""
    if data["status"] == "approved" and not principal().has_any(*DECIDERS):
        raise Problem(403, "Forbidden", "A trip is approved by the mayor, the mayor's office "
                                        "or the director.")
    file = _travel().move_trip(str(trip_id), data["status"], data["report"], _if_match())
    return versioned_json(_trip_body(file), file.trip.version)


# Visits ---------------------------------------------------------------------------------

@visits.route("", methods=["GET"])
@require(*READERS)
@visits.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@paged_response(visits, schemas.VisitOut)
def list_visits(query: dict[str, Any]) -> Any:
    """Incoming visits, the latest first (without the delegates)."""
    return answer_page(_travel().visits(query.pop("status")), query)


@visits.route("", methods=["POST"])
@require(*CREATORS)
@visits.arguments(schemas.VisitIn())
@visits.response(201, schemas.VisitDetailOut)
@visits.doc(**IDEMPOTENCY_DOC)
def request_visit(data: dict[str, Any]) -> Response:
    """Record a foreign delegation's request to visit (one member flagged as head)."""
    return stored_response(_travel().request_visit(data, _idempotent("POST /visits"),
                                           _created(VISIT_OUT, "/visits")))


@visits.route("/<uuid:visit_id>", methods=["GET"])
@versioned_read
@personal_data("visit_delegation", "visit_id")
@require(*PERSONAL_DATA_READERS)
@visits.response(200, schemas.VisitDetailOut)
def read_visit(visit_id: Any) -> Response:
    """A visit with its delegates (the read is audited)."""
    return _row(VISIT_OUT, _travel().visit(str(visit_id), principal()))


def _decide_visit(visit_id: Any, status: str, data: dict[str, Any]) -> Response:
    return _row(VISIT_OUT, _travel().decide_visit(str(visit_id), status, data["note"],
                                                  principal(), g.correlation_id, _if_match()))


@visits.route("/<uuid:visit_id>/approve", methods=["POST"])
@require(*DECIDERS)
@visits.arguments(schemas.DecisionIn(), required=False)
@visits.response(200, schemas.VisitDetailOut)
def approve_visit(data: dict[str, Any], visit_id: Any) -> Response:
    """Approve the visit; protocol is told to prepare the programme."""
    return _decide_visit(visit_id, "approved", data)


@visits.route("/<uuid:visit_id>/decline", methods=["POST"])
@require(*DECIDERS)
@visits.arguments(schemas.DecisionIn(), required=False)
@visits.response(200, schemas.VisitDetailOut)
def decline_visit(data: dict[str, Any], visit_id: Any) -> Response:
    """Decline the visit."""
    return _decide_visit(visit_id, "declined", data)


# Translations ---------------------------------------------------------------------------

@translations.route("", methods=["GET"])
@require(*READERS)
@translations.arguments(schemas.TranslationQuery(), location="query", unknown=RAISE)
@paged_response(translations, schemas.TranslationOut)
def list_translations(query: dict[str, Any]) -> Any:
    """Translation tasks by due date; a translator's queue; a letter's translations."""
    asked = page_request(query)
    return answer_page(_translations().tasks(**query), asked)


@translations.route("", methods=["POST"])
@require(*CREATORS)
@translations.arguments(schemas.TranslationIn())
@translations.response(201, schemas.TranslationOut)
@translations.doc(**IDEMPOTENCY_DOC)
def order_translation(data: dict[str, Any]) -> Response:
    """Queue a translation, due in working days of the municipality's calendar."""
    return stored_response(_translations().order(data, _idempotent("POST /translations"),
                                         _created(TRANSLATION_OUT, "/translations")))


@translations.route("/<uuid:task_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@translations.response(200, schemas.TranslationOut)
def read_translation(task_id: Any) -> Response:
    """One task with its texts and how its due date was computed."""
    return _row(TRANSLATION_OUT, _translations().task(str(task_id)))


@translations.route("/<uuid:task_id>/reply", methods=["POST"])
@require(*CREATORS)
@translations.arguments(schemas.ReplyDraftIn())
@translations.response(201, schemas.TranslationOut)
@translations.doc(**IDEMPOTENCY_DOC)
def translate_reply(data: dict[str, Any], task_id: Any) -> Response:
    """Send the reply draft back through translation, into the original's language."""
    return stored_response(_translations().reply(str(task_id), data,
                                         _idempotent(f"POST /translations/{task_id}/reply"),
                                         _created(TRANSLATION_OUT, "/translations")))


@translations.route("/<uuid:task_id>/status", methods=["POST"])
@require(*OFFICER)
@translations.arguments(schemas.TranslationStatusIn())
@translations.response(200, schemas.TranslationOut)
def move_translation(data: dict[str, Any], task_id: Any) -> Response:
    """queued → in_progress → done (with the text); or cancelled."""
    return _row(TRANSLATION_OUT, _translations().move(
        str(task_id), data["status"], data["translator"], data["translated_text"],
        principal(), _if_match()))


# Projects and proposals -----------------------------------------------------------------

def _project_body(found: tuple[Any, list[Any]]) -> dict[str, Any]:
    project, deadlines = found
    body = schemas.ProjectOut().dump(project)
    body["deadlines"] = schemas.DeadlineOut(many=True).dump(deadlines)
    return body


def _project(found: tuple[Any, list[Any]]) -> Response:
    return versioned_json(_project_body(found), found[0].version)


@projects.route("", methods=["GET"])
@require(*READERS)
@projects.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@paged_response(projects, schemas.ProjectOut)
def list_projects(query: dict[str, Any]) -> Any:
    """International projects and fund applications."""
    return answer_page(_projects().projects(query.pop("status")), query)


@projects.route("", methods=["POST"])
@require(*OFFICER)
@projects.arguments(schemas.ProjectIn())
@projects.response(201, schemas.ProjectDetailOut)
@projects.doc(**IDEMPOTENCY_DOC)
def create_project(data: dict[str, Any]) -> Response:
    """Record a project with its deadlines (each announced once, in time)."""

    def respond(found: tuple[Any, list[Any]]) -> StoredResponse:
        project = found[0]
        return StoredResponse(201, _project_body(found), {"Location": f"/projects/{project.id}",
                                                          "ETag": f'"{project.version}"'})

    return stored_response(_projects().create_project(data, _idempotent("POST /projects"), respond))


@projects.route("/<uuid:project_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@projects.response(200, schemas.ProjectDetailOut)
def read_project(project_id: Any) -> Response:
    """A project with its deadlines."""
    return _project(_projects().project(str(project_id)))


@projects.route("/<uuid:project_id>", methods=["PATCH"])
@require(*OFFICER)
@if_match_required
@projects.arguments(schemas.ProjectPatch())
@projects.response(200, schemas.ProjectDetailOut)
def update_project(data: dict[str, Any], project_id: Any) -> Response:
    """Change a project; a deadlines list replaces the old one."""
    return _project(_projects().update_project(str(project_id), data, _if_match()))


@proposals.route("", methods=["GET"])
@require(*READERS)
@proposals.arguments(schemas.StatusQuery(), location="query", unknown=RAISE)
@paged_response(proposals, schemas.ProposalOut)
def list_proposals(query: dict[str, Any]) -> Any:
    """Partners' proposals, newest first."""
    return answer_page(_projects().proposals(query.pop("status")), query)


@proposals.route("", methods=["POST"])
@require(*CREATORS)
@proposals.arguments(schemas.ProposalIn())
@proposals.response(201, schemas.ProposalOut)
@proposals.doc(**IDEMPOTENCY_DOC)
def receive_proposal(data: dict[str, Any]) -> Response:
    """Record a partner's proposal."""
    return stored_response(_projects().receive_proposal(data, _idempotent("POST /proposals"),
                                                _created(PROPOSAL_OUT, "/proposals")))


@proposals.route("/<uuid:proposal_id>", methods=["GET"])
@versioned_read
@require(*READERS)
@proposals.response(200, schemas.ProposalOut)
def read_proposal(proposal_id: Any) -> Response:
    """One proposal with its referral and answer."""
    return _row(PROPOSAL_OUT, _projects().proposal(str(proposal_id)))


@proposals.route("/<uuid:proposal_id>/refer", methods=["POST"])
@require(*OFFICER)
@proposals.arguments(schemas.ReferIn())
@proposals.response(200, schemas.ProposalOut)
def refer_proposal(data: dict[str, Any], proposal_id: Any) -> Response:
    """Pass the proposal to a council committee or a department."""
    return _row(PROPOSAL_OUT, _projects().refer(str(proposal_id), data["referred_to"],
                                                data["department_code"], g.correlation_id,
                                                _if_match()))


@proposals.route("/<uuid:proposal_id>/answer", methods=["POST"])
@require(*OFFICER)
@proposals.arguments(schemas.AnswerIn())
@proposals.response(200, schemas.ProposalOut)
def answer_proposal(data: dict[str, Any], proposal_id: Any) -> Response:
    """Record the committee's or department's answer."""
    return _row(PROPOSAL_OUT, _projects().answer(str(proposal_id), data["answer"],
                                                 _if_match()))


BLUEPRINTS = (partners, open_data, agreements, plans, invitations, trips, visits, translations,
              projects, proposals)
