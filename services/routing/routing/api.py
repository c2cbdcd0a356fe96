"""Routing's HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, current_app, g, request
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.csvexport import csv_text
from chancery.explanations import explanation_language
from chancery.http import expected_version, versioned_json
from chancery.http.auditing import personal_data
from chancery.http.openapi import also_answers, versioned_read
from chancery.http.paging import (
    PageQuery,
    answer_page,
    page_request,
    page_response,
    paged_response,
)
from chancery.http.security import principal, require
from routing import schemas
from routing.calendar_days import DeclaredDays
from routing.registry import Registry
from routing.rules import LetterFacts
from routing.services import LetterFilters, Workflow
from routing.tasks import AssignmentFilters, Tasks

letters = Blueprint("workflow", __name__, url_prefix="/letters",
                    description="The letters' workflow: routing, deadlines, executors, replies.")
triage = Blueprint("triage", __name__, url_prefix="/triage",
                   description="Letters no rule could route, waiting for the registry.")
endorsements = Blueprint("endorsements", __name__, url_prefix="/endorsements",
                         description="Replies waiting for approval (visa).")
assignments = Blueprint("assignments", __name__, url_prefix="/assignments",
                        description="Executors' work with due dates, own tasks included.")
departments = Blueprint("departments", __name__, url_prefix="/departments",
                        description="Departments and administrative units.")
rules = Blueprint("rules", __name__, url_prefix="/rules",
                  description="Ordered routing rules and their dry run.")
reports = Blueprint("reports", __name__, url_prefix="/reports",
                    description="On-time rate, handling time, open and overdue letters.")
staff = Blueprint("staff", __name__, url_prefix="/staff",
                  description="The one staff directory of the municipality's people.")
calendar = Blueprint("calendar", __name__, url_prefix="/calendar",
                     description="Days off and working days declared by government decision.")

STAFF = ("registrar", "mayor_office", "operator", "department_staff", "department_head",
         "system", "director", "deputy_mayor", "mayor", "council_chair")
LETTER_OUT = schemas.LetterOut()
DETAIL_OUT = schemas.LetterDetailOut()


def _workflow() -> Workflow:
    return current_app.extensions["workflow"]


def _registry() -> Registry:
    return current_app.extensions["registry"]


def _tasks() -> Tasks:
    return current_app.extensions["tasks"]


@letters.route("", methods=["GET"])
@personal_data("letter")
@require(*STAFF)
@letters.arguments(schemas.LetterQuery(), location="query", unknown=RAISE)
@paged_response(letters, schemas.LetterOut)
def list_letters(query: dict[str, Any]) -> Any:
    """A department's queue, an executor's letters, what is due or overdue."""
    asked = page_request(query)
    return page_response(_workflow().letters(LetterFilters(**query), principal(), asked), asked)


@letters.route("/by-number/<string:registration_number>", methods=["GET"])
@personal_data("letter", "registration_number")
@require(*STAFF)
@letters.arguments(schemas.ReadQuery(), location="query", unknown=RAISE)
@letters.response(200, schemas.LetterDetailOut)
def read_letter_by_number(query: dict[str, Any], registration_number: str) -> Response:
    """A letter found by its registration number, as ``GET /letters/{letter_id}`` (audited
    too): the number people know, from the protocol book or a reply."""
    return _letter_detail(query, _workflow().letter_id_of(registration_number))


@letters.route("/<uuid:letter_id>", methods=["GET"])
@versioned_read
@personal_data("letter", "letter_id")
@require(*STAFF)
@letters.arguments(schemas.ReadQuery(), location="query", unknown=RAISE)
@letters.response(200, schemas.LetterDetailOut)
def read_letter(query: dict[str, Any], letter_id: Any) -> Response:
    """A letter's workflow state, how its dates were computed (explained in the reader's
    language, ``?lang=`` or Accept-Language, and the letter's) and its history."""
    return _letter_detail(query, str(letter_id))


def _letter_detail(query: dict[str, Any], letter_id: str) -> Response:
    workflow = _workflow()
    row, history = workflow.letter(letter_id, principal())
    reader = explanation_language(query["lang"] or request.headers.get("Accept-Language"),
                                  workflow.profile.default_language)
    body = LETTER_OUT.dump(row)
    body["deadline"] = row.deadline
    body["forwarding"] = row.forwarding
    extension = (row.deadline or {}).get("extension")
    body["explanation"] = {
        "reader_language": reader, "letter_language": row.language,
        "answer": workflow.explained(row.deadline, reader, row.language),
        "forwarding": workflow.explained(row.forwarding, reader, row.language),
        "extension": workflow.explained(extension, reader, row.language)}
    body["history"] = schemas.HistoryOut(many=True).dump(history)
    return versioned_json(body, row.version)


@letters.route("/<uuid:letter_id>/route", methods=["POST"])
@require("registrar", "mayor_office")
@letters.arguments(schemas.RouteIn())
@letters.response(200, schemas.LetterOut)
def route_letter(data: dict[str, Any], letter_id: Any) -> Any:
    """Route a letter from triage, or re-route it, with a reason; the deadline is kept or
    recomputed as asked, and the history keeps both."""
    return _workflow().route(str(letter_id), data["department_code"],
                             data["copy_department_codes"], data["reason"],
                             data["keep_deadline"], principal(), g.correlation_id,
                             expected_version(request.headers.get("If-Match")))


@letters.route("/<uuid:letter_id>/assign", methods=["POST"])
@require("department_head", "registrar", "mayor_office")
@letters.arguments(schemas.AssignIn())
@letters.response(200, schemas.LetterOut)
def assign_letter(data: dict[str, Any], letter_id: Any) -> Any:
    """Name the executor inside the responsible department."""
    return _workflow().assign(str(letter_id), data["executor"], principal(), g.correlation_id)


@letters.route("/<uuid:letter_id>/extend", methods=["POST"])
@require("registrar", "department_head", "mayor_office")
@letters.arguments(schemas.ReasonIn())
@letters.response(200, schemas.LetterOut)
def extend_deadline(data: dict[str, Any], letter_id: Any) -> Any:
    """Extend the deadline once, as the law allows; the applicant is told why."""
    return _workflow().extend(str(letter_id), data["reason"], principal(), g.correlation_id)


@letters.route("/<uuid:letter_id>/reply", methods=["POST"])
@require("department_staff", "department_head", "registrar", "mayor_office")
@letters.arguments(schemas.ReplyIn())
@letters.response(201, schemas.EndorsementOut)
def submit_reply(data: dict[str, Any], letter_id: Any) -> Any:
    """Send the reply draft into its endorsement circuit."""
    return _workflow().submit_reply(str(letter_id), data["subject"], data["summary"],
                                    data["language"], principal(), g.correlation_id)


@letters.route("/<uuid:letter_id>/endorsements", methods=["GET"])
@personal_data("letter", "letter_id")
@require(*STAFF)
@letters.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(letters, schemas.EndorsementViewOut)
def letter_endorsements(query: dict[str, Any], letter_id: Any) -> Any:
    """The reply's endorsement rounds, oldest first, with each step's decision and comment."""
    return answer_page(_workflow().letter_endorsements(str(letter_id), principal()), query,
                       _by_request)


@letters.route("/<uuid:letter_id>/close", methods=["POST"])
@require("department_head", "registrar", "mayor_office")
@letters.response(200, schemas.LetterOut)
def close_letter(letter_id: Any) -> Any:
    """Close an answered letter."""
    return _workflow().close(str(letter_id), principal(), g.correlation_id)


@triage.route("", methods=["GET"])
@require("registrar", "mayor_office")
@triage.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(triage, schemas.LetterOut)
def list_triage(query: dict[str, Any]) -> Any:
    """Letters no rule could route, by the date they must be forwarded by."""
    asked = page_request(query)
    return page_response(_workflow().letters(LetterFilters(triage=True), principal(), asked),
                         asked)


@endorsements.route("", methods=["GET"])
@require(*STAFF)
@endorsements.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(endorsements, schemas.EndorsementViewOut)
def my_endorsements(query: dict[str, Any]) -> Any:
    """The replies waiting for a step the caller may decide, with the letter's number, the
    reply draft and the earlier steps' comments (the letter itself: ``GET /letters/<id>``)."""
    return answer_page(_workflow().pending_endorsements(principal()), query, _by_request)


@endorsements.route("/approved", methods=["GET"])
@require("registrar", "mayor_office")
@endorsements.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(endorsements, schemas.EndorsementViewOut)
def approved_replies(query: dict[str, Any]) -> Any:
    """Replies their whole circuit approved, waiting for the registry to register and send
    them at intake (``in_reply_to``); only then is the letter answered."""
    return answer_page(_workflow().approved_replies(principal()), query,
                       lambda view: (view["decided_at"], view["id"]))


@endorsements.route("/<uuid:endorsement_id>/approve", methods=["POST"])
@require("department_head", "director", "deputy_mayor", "mayor", "council_chair")
@endorsements.arguments(schemas.DecisionIn())
@endorsements.response(200, schemas.EndorsementOut)
def approve(data: dict[str, Any], endorsement_id: Any) -> Any:
    """Approve the current step; the last approval makes the letter answered."""
    return _workflow().decide_endorsement(str(endorsement_id), True, data["comment"],
                                          principal(), g.correlation_id, data["step"])


@endorsements.route("/<uuid:endorsement_id>/return", methods=["POST"])
@require("department_head", "director", "deputy_mayor", "mayor", "council_chair")
@endorsements.arguments(schemas.ReturnIn())
@endorsements.response(200, schemas.EndorsementOut)
def return_reply(data: dict[str, Any], endorsement_id: Any) -> Any:
    """Return the reply to the executor with a comment."""
    return _workflow().decide_endorsement(str(endorsement_id), False, data["comment"],
                                          principal(), g.correlation_id, data["step"])


@assignments.route("", methods=["GET"])
@personal_data("assignment")
@require(*STAFF)
@assignments.arguments(schemas.AssignmentQuery(), location="query", unknown=RAISE)
@paged_response(assignments, schemas.AssignmentOut)
def list_assignments(query: dict[str, Any]) -> Any:
    """What is due and overdue, per department and executor, by due date."""
    asked = page_request(query)
    return page_response(_tasks().list(AssignmentFilters(**query), principal(), asked), asked)


@assignments.route("", methods=["POST"])
@require("mayor", "mayor_office", "director", "deputy_mayor", "department_head")
@assignments.arguments(schemas.AssignmentIn())
@assignments.response(201, schemas.AssignmentOut)
def create_assignment(data: dict[str, Any]) -> Any:
    """Give an own task (not born from a letter) to a department or executor."""
    return _tasks().create(data["title"], data["description"], data["department_code"],
                           data["executor"], data["due_date"], principal(), g.correlation_id)


@assignments.route("/<uuid:assignment_id>/finish", methods=["POST"])
@require(*STAFF)
@assignments.arguments(schemas.AssignmentDoneIn())
@assignments.response(200, schemas.AssignmentOut)
def finish_assignment(data: dict[str, Any], assignment_id: Any) -> Any:
    """Mark an own task done (with the report on what was done) or cancelled."""
    return _tasks().finish(str(assignment_id), data["status"], data["report"], principal())


@departments.route("", methods=["GET"])
@require(*STAFF)
@departments.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(departments, schemas.DepartmentOut)
def list_departments(query: dict[str, Any]) -> Any:
    """Departments and administrative units, by code."""
    return answer_page(_registry().departments(), query, lambda department: (department.code,))


@departments.route("", methods=["POST"])
@require("registrar", "operator", "mayor_office")
@departments.arguments(schemas.NewDepartmentIn(), example=schemas.DEPARTMENT_EXAMPLE)
@departments.response(201, schemas.DepartmentOut, example=schemas.DEPARTMENT_OUT_EXAMPLE)
def create_department(data: dict[str, Any]) -> Any:
    """Add a department or administrative unit."""
    code = data.pop("code")
    return _registry().save_department(code, data, principal(), create=True)


@departments.route("/<string:code>", methods=["PATCH"])
@require("registrar", "operator", "mayor_office")
@departments.arguments(schemas.DepartmentIn())
@departments.response(200, schemas.DepartmentOut)
def update_department(data: dict[str, Any], code: str) -> Any:
    """Change a department: names, parent, contacts, head, members, active."""
    return _registry().save_department(code, data, principal(), create=False)


@rules.route("", methods=["GET"])
@require(*STAFF)
@rules.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(rules, schemas.RuleOut)
def list_rules(query: dict[str, Any]) -> Any:
    """The rules in their order."""
    return answer_page(_registry().rules(), query, lambda rule: (rule.position, rule.id))


@rules.route("", methods=["POST"])
@require("registrar", "operator", "mayor_office")
@rules.arguments(schemas.RuleIn())
@rules.response(201, schemas.RuleOut)
def create_rule(data: dict[str, Any]) -> Any:
    """Add a rule at a position."""
    return _registry().save_rule(None, data, principal())


@rules.route("/<uuid:rule_id>", methods=["PUT"])
@require("registrar", "operator", "mayor_office")
@rules.arguments(schemas.RuleIn())
@rules.response(200, schemas.RuleOut)
def replace_rule(data: dict[str, Any], rule_id: Any) -> Any:
    """Replace a rule."""
    return _registry().save_rule(str(rule_id), data, principal())


@rules.route("/<uuid:rule_id>", methods=["DELETE"])
@require("registrar", "operator", "mayor_office")
@rules.response(204)
def delete_rule(rule_id: Any) -> None:
    """Remove a rule."""
    _registry().delete_rule(str(rule_id), principal())


@rules.route("/dry-run", methods=["POST"])
@require(*STAFF)
@rules.arguments(schemas.FactsIn())
@rules.response(200, schemas.DecisionOut)
def dry_run(data: dict[str, Any]) -> dict[str, Any]:
    """Which rule would route this letter, and why (nothing is changed)."""
    decision = _workflow().dry_run(LetterFacts(**data))
    return {"rule": decision.rule_name, "department_code": decision.department,
            "copy_department_codes": list(decision.copies),
            "needs_triage": decision.needs_triage, "why": list(decision.reasons),
            "rules_not_matching": [{"rule": name, "why": why}
                                   for name, why in decision.rejected]}


@reports.route("/deadlines", methods=["GET"])
@require("registrar", "mayor_office", "mayor", "director", "department_head")
@reports.arguments(schemas.PeriodQuery(), location="query", unknown=RAISE)
@paged_response(reports, schemas.ReportLineOut)
@also_answers("text/csv")
def deadline_report(query: dict[str, Any]) -> Any:
    """On-time rate and average handling time per department and month; open and overdue now."""
    lines = current_app.extensions["reports"].deadlines(query["start"], query["end"],
                                                        principal())
    if query["format"] == "json":
        return answer_page(lines, query, lambda line: (line.department, line.month))
    header = list(schemas.ReportLineOut().fields)
    rows = [[asdict(line)[name] for name in header] for line in lines]
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="deadlines-{query["start"]}-'
                               f'{query["end"]}.csv"'})


@reports.route("/due", methods=["GET"])
@require("registrar", "mayor_office", "mayor", "director", "department_head")
@reports.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(reports, schemas.DueLineOut)
def due_report(query: dict[str, Any]) -> Any:
    """Open letters and assignments overdue and due soon per department, as of today: the
    mayor's dashboard (counts, the same for every reader; a head sees the own line)."""
    lines = current_app.extensions["reports"].due(principal())
    return answer_page(lines, query, lambda line: (line.department,))


@staff.route("", methods=["GET"])
@personal_data("staff_member")
@require(*STAFF)
@staff.arguments(schemas.StaffQuery(), location="query", unknown=RAISE)
@paged_response(staff, schemas.StaffMemberOut)
def list_staff(query: dict[str, Any]) -> Any:
    """The directory by name: a department's people (``?department=``), the active ones
    (``?active=true``) to choose an executor from, a search (``?q=`` in names, e-mail
    addresses and positions, ignoring case and diacritics)."""
    asked = page_request(query)
    return page_response(current_app.extensions["directory"].people(
        principal(), asked, query.get("department"), query.get("active"), query.get("text")),
        asked)


@staff.route("/<string:subject>", methods=["PUT"])
@require("operator", "mayor_office", "registrar")
@staff.arguments(schemas.StaffMemberIn())
@staff.response(200, schemas.StaffMemberOut)
def save_staff_member(data: dict[str, Any], subject: str) -> Any:
    """Add a person (``subject`` is the sign-in subject) or replace their entry; announced
    as ``staff.member_changed``. A person who leaves is kept with ``active: false``."""
    return current_app.extensions["directory"].save(subject, data, principal(),
                                                    g.correlation_id)


@calendar.route("/days", methods=["GET"])
@require(*STAFF)
@calendar.arguments(schemas.CalendarQuery(), location="query", unknown=RAISE)
@paged_response(calendar, schemas.DeclaredDayOut)
def list_declared_days(query: dict[str, Any]) -> Any:
    """Declared days off and working days (the profile's and the operators'), by date."""
    return answer_page(_declared_days().days(query.pop("start"), query.pop("end")), query,
                       lambda day: (day["day"],))


@calendar.route("/days", methods=["POST"])
@require("operator")
@calendar.arguments(schemas.DeclaredDayIn())
@calendar.response(201, schemas.DeclaredDayOut)
def declare_day(data: dict[str, Any]) -> Any:
    """Declare a day off (or an extra working day) by government decision, with the reason
    and the decree; every service counts it from now on, without a restart."""
    return _declared_days().declare(data, principal(), g.correlation_id)


def _by_request(view: dict[str, Any]) -> tuple[Any, ...]:
    return view["requested_at"], view["id"]


def _declared_days() -> DeclaredDays:
    return current_app.extensions["declared_days"]




BLUEPRINTS = (letters, triage, endorsements, assignments, departments, rules, reports,
              calendar, staff)
