"""The department desk: the department's letters, my tasks, executors and reply drafts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext

from staff_web import municipality
from staff_web.api_client import ApiError
from staff_web.i18n import field_reasons
from staff_web.permissions import ASSIGNERS, DEPARTMENT_PEOPLE
from staff_web.security import api, signed_in, signed_in_person
from staff_web.views import page
from staff_web.work import circuit_rounds, due_state, namings

blueprint = Blueprint("desk", __name__, url_prefix="/desk")


def _with_due_state(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    day = municipality.today()
    return [
        {**row, "due_state": due_state(row.get("due_date"), day, row.get("status"))} for row in rows
    ]


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
    """The department's letters (own and copies) a page at a time, my tasks (due soon and
    overdue by my own due date), and for a head who does what."""
    person = signed_in_person()
    cursor = request.args.get("cursor", "").strip() or None
    letters = api().department_letters(person.department, cursor)
    mine = _with_due_state(api().assignments(executor=person.subject))
    team = (
        sorted(
            _with_due_state(api().assignments(department=person.department)),
            key=lambda task: task.get("executor") or "",
        )
        if person.has_any(*ASSIGNERS)
        else []
    )
    names = {
        m["subject"]: m.get("name") or m["subject"] for m in directory_of(person.department)[0]
    }
    return render_template(
        "desk/desk.html",
        letters=_with_due_state(letters["items"]),
        next_cursor=letters["next_cursor"],
        cursor=cursor,
        mine=mine,
        team=team,
        names=names,
    )


@page(blueprint, "/letters/<string:number>", *DEPARTMENT_PEOPLE, endpoint="letter")
def _page(
    number: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    done: str | None = None,
) -> tuple[str, int]:
    """One letter's work: executor, reply draft, the endorsement circuit's progress."""
    person = signed_in_person()
    letter = api().letter_by_number(number)
    workflow = api().workflow_letter(letter["id"])
    members, directory_ok = (
        directory_of(workflow.get("department_code")) if person.has_any(*ASSIGNERS) else ([], False)
    )
    rounds = circuit_rounds(workflow.get("history") or [])
    assignment = workflow.get("assignment") or {}
    names = {m["subject"]: m.get("name") or m["subject"] for m in members}
    return render_template(
        "desk/letter.html",
        letter=letter,
        workflow=workflow,
        assignment=assignment,
        due=due_state(workflow.get("due_date"), municipality.today(), workflow.get("status")),
        own_due=due_state(assignment.get("due_date"), municipality.today(), workflow.get("status")),
        namings=namings(workflow.get("history") or []),
        names=names,
        form=request.form,
        rounds=rounds,
        members=members,
        directory_ok=directory_ok,
        today=municipality.today(),
        may_assign=person.has_any(*ASSIGNERS)
        and person.department == workflow.get("department_code"),
        may_draft=workflow.get("status") in ("routed", "in_progress")
        and person.department == workflow.get("department_code"),
        errors=errors or {},
        done=done or request.args.get("done"),
    ), status


def _refused(number: str, prefix: str, error: ApiError) -> tuple[str, int]:
    if error.status not in (403, 409, 422):
        raise error
    return _page(number, field_reasons(error, f"{prefix}."), status=error.status)


@blueprint.post("/letters/<string:number>/assign")
@signed_in(*ASSIGNERS)
def assign(number: str) -> Any:
    """Name or change the executor, an active member of the department, with their own due
    date (the letter's when left empty, never later) and instructions."""
    letter = api().letter_by_number(number)
    executor = (request.form.get("executor") or "").strip()
    if not executor:
        return _page(number, {"assign.executor": [gettext("This field is required.")]}, 422)
    try:
        api().assign_executor(
            letter["id"],
            executor,
            (request.form.get("due_date") or "").strip(),
            (request.form.get("instructions") or "").strip(),
        )
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
            api().upload(
                "intake",
                f"/letters/{letter['id']}/attachments",
                [(upload.filename, upload.stream, upload.mimetype or "application/octet-stream")],
            )
            summary = "\n\n".join(
                filter(
                    None,
                    (
                        summary,
                        gettext(
                            "The draft is attached to the letter: %(file)s", file=upload.filename
                        ),
                    ),
                )
            )
        api().submit_reply(
            letter["id"],
            (request.form.get("subject") or "").strip(),
            summary,
            request.form.get("language") or letter["language"],
        )
    except ApiError as error:
        return _refused(number, "draft", error)
    return redirect(url_for("desk.letter", number=number, done="submitted"))
