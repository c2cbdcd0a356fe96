"""People's rights desk for the data protection officer (decision 60).

Start a request about a person (access or erasure), follow which of the five
services have answered, read their parts, export them as JSON or a printable
document, and read the record of processing activities. Everything comes
from intake, which owns the requests; the pages never guess what a service
holds.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from staff_web import forms
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.exports import download
from staff_web.i18n import reason_text
from staff_web.permissions import DATA_PROTECTION
from staff_web.security import api, signed_in

blueprint = Blueprint("people", __name__, url_prefix="/people-rights")
PERSON_FIELDS = ("name", "email", "phone")


def _requests_page(
    values: dict[str, str], errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    listed = api().get("intake", "/personal-data-requests", {"limit": 50})["items"]
    return render_template(
        "people/requests.html", requests=listed, values=values, errors=errors or {}
    ), status


@blueprint.get("")
@signed_in(*DATA_PROTECTION)
def requests_list() -> tuple[str, int]:
    """The latest requests and the form that starts one."""
    return _requests_page({"action": "access"})


@blueprint.post("")
@signed_in(*DATA_PROTECTION)
def start() -> Any:
    """Start a request; on a refusal the form again with the service's reasons."""
    values = forms.typed(request.form, "action", *PERSON_FIELDS)
    person = {key: values[key] or None for key in PERSON_FIELDS}
    started = answer_or_refusal(
        (422,),
        lambda: api().post(
            "intake", "/personal-data-requests", {"action": values["action"], "person": person}
        ),
    )
    if isinstance(started, ApiError):
        errors = {
            name.removeprefix("person."): [reason_text(reason) for reason in reasons]
            for name, reasons in started.field_errors.items()
        }
        return _requests_page(values, errors, status=422)
    return redirect(url_for("people.request_page", number=started["number"]))


@blueprint.get("/<int:number>")
@signed_in(*DATA_PROTECTION)
def request_page(number: int) -> str:
    """One request: who has answered, who is outstanding, each service's part."""
    found = api().get("intake", f"/personal-data-requests/{number}")
    template = "people/answers.html" if request.headers.get("HX-Request") else "people/request.html"
    return render_template(template, request=found, reason_text=reason_text)


@blueprint.get("/<int:number>.json")
@signed_in(*DATA_PROTECTION)
def export_json(number: int) -> Response:
    """The request and its answers, machine-readable, as a download."""
    found = api().get("intake", f"/personal-data-requests/{number}")
    return download(
        json.dumps(found, ensure_ascii=False, indent=2),
        "application/json",
        f"personal-data-request-{number}.json",
    )


@blueprint.get("/<int:number>/document")
@signed_in(*DATA_PROTECTION)
def printable(number: int) -> Response:
    """The printable document for the person, as intake prints it."""
    return Response(
        api().get_text("intake", f"/personal-data-requests/{number}/document.html"),
        mimetype="text/html",
    )


@blueprint.get("/processing")
@signed_in(*DATA_PROTECTION)
def processing() -> str:
    """The record of processing activities (GDPR Art. 30)."""
    return render_template(
        "people/processing.html", record=api().get("intake", "/processing-activities")
    )


@blueprint.get("/processing/document")
@signed_in(*DATA_PROTECTION)
def processing_printable() -> Response:
    """The record of processing activities as intake prints it."""
    return Response(
        api().get_text("intake", "/processing-activities/document.html"), mimetype="text/html"
    )
