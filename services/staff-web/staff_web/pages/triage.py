"""Triage: letters no routing rule caught, routed by choosing a department."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext

from staff_web import municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.i18n import field_reasons
from staff_web.permissions import TRIAGERS
from staff_web.security import api, signed_in
from staff_web.views import page

blueprint = Blueprint("triage", __name__, url_prefix="/triage")


@page(blueprint, "", *TRIAGERS, endpoint="queue")
def _page(
    errors: dict[str, dict[str, list[str]]] | None = None, status: int = 200
) -> tuple[str, int]:
    """The letters waiting, oldest first, with the date they must be forwarded by."""
    # The queue is short by nature (letters wait days at most): its first, largest page.
    letters = api().get("routing", "/triage", {"limit": 200})["items"]
    departments = municipality.profile().departments
    return render_template(
        "triage.html",
        letters=letters,
        departments=departments,
        errors=errors or {},
        routed=request.args.get("routed"),
    ), status


@blueprint.post("/<uuid:letter_id>")
@signed_in(*TRIAGERS)
def route(letter_id: Any) -> Any:
    """Route one letter to the chosen department."""
    department = request.form.get("department_code", "")
    body = {
        "department_code": department,
        "reason": (request.form.get("reason") or "").strip() or gettext("Routed in triage"),
    }
    routed = answer_or_refusal(
        (409, 422), lambda: api().post("routing", f"/letters/{letter_id}/route", body)
    )
    if isinstance(routed, ApiError):
        return _page({str(letter_id): field_reasons(routed)}, status=routed.status)
    return redirect(url_for("triage.queue", routed=routed["registration_number"]))
