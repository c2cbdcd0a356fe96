"""The citizen's page: a letter's status by registration number and access code."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from staff_web import municipality
from staff_web.api_client import ApiError
from staff_web.security import api

blueprint = Blueprint("public", __name__, url_prefix="/public")
NUMBER_LIMIT = 60
CODE_LIMIT = 40


def _department_name(code: str | None, language: str) -> str | None:
    if not code:
        return None
    for department in municipality.profile().departments:
        if department.code == code:
            return department.names.get(language) or department.names.get("en") or code
    return code


@blueprint.get("/")
def start() -> str:
    """The empty lookup form."""
    return render_template("public/status.html", number="", code="", result=None, problem=None)


@blueprint.get("/status/<string:number>")
def prefilled(number: str) -> str:
    """The acknowledgement's link: the form with the number (and the e-mail's code) filled in.

    Looking up waits for the button: a GET never counts as an attempt at the code.
    """
    return render_template(
        "public/status.html",
        number=number[:NUMBER_LIMIT],
        code=request.args.get("code", "")[:CODE_LIMIT],
        result=None,
        problem=None,
    )


@blueprint.post("/status")
def look_up() -> Any:
    """Ask intake; show only what the number and code unlock."""
    number = (request.form.get("number") or "").strip()[:NUMBER_LIMIT]
    code = (request.form.get("code") or "").strip()
    problem, result, status = None, None, 200
    if not number or not code:
        problem, status = "missing", 422
    else:
        try:
            result = api().get("intake", f"/status/{number}", {"code": code})
        except ApiError as error:
            if error.status not in (404, 422, 429):
                raise
            problem = {404: "not_found", 422: "not_found", 429: "locked"}[error.status]
            status = error.status
    department = None
    if result:
        department = _department_name(result.get("department_code"), str(get_locale()))
    return render_template(
        "public/status.html",
        number=number,
        code="",
        result=result,
        problem=problem,
        department=department,
    ), status
