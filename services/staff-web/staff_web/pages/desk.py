"""The department desk: the department's letters, my tasks, executors and reply drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from staff_web.api_client import ApiError
from staff_web.i18n import reason_text
from staff_web.security import api, current_person, signed_in
from staff_web.work import circuit_rounds, due_state

blueprint = Blueprint("desk", __name__, url_prefix="/desk")
DEPARTMENT_PEOPLE = ("department_staff", "department_head")
ASSIGNERS = ("department_head",)


def today() -> Any:
    """The municipality's today (due dates are its days)."""
    zone = ZoneInfo(current_app.extensions["staff_web.profile"].time_zone)
    return datetime.now(zone).date()


def _with_due_state(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    day = today()
    return [{**row, "due_state": due_state(row.get("due_date"), day, row.get("status"))}
            for row in rows]


def _numbered(tasks: list[dict[str, Any]], numbers: dict[str, str]) -> list[dict[str, Any]]:
    """A letter's task named by the letter's registration number (never its id)."""
    return [{**task, "registration_number": task.get("registration_number")
             or numbers.get(task.get("letter_id") or "")} for task in tasks]


def directory_of(department: str | None) -> tuple[list[dict[str, Any]], bool]:
    """The department's active members, and whether the directory could be read at all."""
    try:
        return api().staff_directory(department), True
    except ApiError as error:
        if error.status in (403, 404):
            return [], False
        raise


@blueprint.get("")
@signed_in(*DEPARTMENT_PEOPLE)
def desk() -> str:
    """The department's letters (own and copies), my tasks, and for a head who does what."""
    person = current_person()
    letters = _with_due_state(api().department_letters(person.department))
    numbers = {letter["id"]: letter["registration_number"] for letter in letters}
    mine = _numbered(_with_due_state(api().assignments(executor=person.subject)), numbers)
    team = sorted(_numbered(_with_due_state(api().assignments(department=person.department)),
                            numbers), key=lambda task: task.get("executor") or "") \
        if person.has_any(*ASSIGNERS) else []
    names = {m["subject"]: m.get("name") or m["subject"]
             for m in directory_of(person.department)[0]}
    return render_template("desk/desk.html", letters=letters, mine=mine, team=team,
                           names=names)


def _page(number: str, errors: dict[str, list[str]] | None = None, status: int = 200,
          done: str | None = None) -> tuple[str, int]:
    person = current_person()
    letter = api().letter_by_number(number)
    workflow = api().workflow_letter(letter["id"])
    members, directory_ok = directory_of(workflow.get("department_code")) \
        if person.has_any(*ASSIGNERS) else ([], False)
    rounds = circuit_rounds(workflow.get("history") or [])
    return render_template(
        "desk/letter.html", letter=letter, workflow=workflow,
        due=due_state(workflow.get("due_date"), today(), workflow.get("status")),
        rounds=rounds, members=members, directory_ok=directory_ok,
        may_assign=person.has_any(*ASSIGNERS)
        and person.department == workflow.get("department_code"),
        may_draft=workflow.get("status") in ("routed", "in_progress")
        and person.department == workflow.get("department_code"),
        errors=errors or {}, done=done or request.args.get("done")), status


@blueprint.get("/letters/<string:number>")
@signed_in(*DEPARTMENT_PEOPLE)
def letter(number: str) -> tuple[str, int]:
    """One letter's work: executor, reply draft, the endorsement circuit's progress."""
    return _page(number)


def _refused(number: str, prefix: str, error: ApiError) -> tuple[str, int]:
    if error.status not in (403, 409, 422):
        raise error
    reasons = error.field_errors or {"_schema": [error.detail or error.title]}
    return _page(number, {f"{prefix}.{k}": [reason_text(r) for r in v]
                          for k, v in reasons.items()}, status=error.status)


@blueprint.post("/letters/<string:number>/assign")
@signed_in(*ASSIGNERS)
def assign(number: str) -> Any:
    """Name or change the executor, an active member of the department."""
    letter = api().letter_by_number(number)
    executor = (request.form.get("executor") or "").strip()
    if not executor:
        return _page(number, {"assign.executor": [gettext("This field is required.")]}, 422)
    try:
        api().assign_executor(letter["id"], executor)
    except ApiError as error:
        return _refused(number, "assign", error)
    return redirect(url_for("desk.letter", number=number, done="assigned"))


@blueprint.post("/letters/<string:number>/draft")
@signed_in(*DEPARTMENT_PEOPLE)
def draft(number: str) -> Any:
    """Send the reply draft (typed, or a file attached to the letter) for endorsement."""
    letter = api().letter_by_number(number)
    summary = (request.form.get("summary") or "").strip()
    upload = request.files.get("draft_file")
    try:
        if upload and upload.filename:
            api().upload("intake", f"/letters/{letter['id']}/attachments",
                         [(upload.filename, upload.stream,
                           upload.mimetype or "application/octet-stream")])
            summary = "\n\n".join(filter(None, (summary, gettext(
                "The draft is attached to the letter: %(file)s", file=upload.filename))))
        api().submit_reply(letter["id"], (request.form.get("subject") or "").strip(),
                           summary, request.form.get("language") or letter["language"])
    except ApiError as error:
        return _refused(number, "draft", error)
    return redirect(url_for("desk.letter", number=number, done="submitted"))
