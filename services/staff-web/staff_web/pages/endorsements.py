"""The endorsement desk: the replies waiting for my step; approve, or return with a comment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext

from staff_web.api_client import ApiError
from staff_web.i18n import field_reasons
from staff_web.permissions import ENDORSERS
from staff_web.security import api, signed_in
from staff_web.views import page
from staff_web.work import circuit_rounds

blueprint = Blueprint("endorsements", __name__, url_prefix="/endorsements")


def _readable(call: Any) -> Any:
    """A read the endorser may not be allowed yet (routing and intake answer 403 to some)."""
    try:
        return call()
    except ApiError as error:
        if error.status in (403, 404):
            return None
        raise


def _item(endorsement: dict[str, Any]) -> dict[str, Any]:
    workflow = _readable(lambda: api().workflow_letter(endorsement["letter_id"]))
    number = endorsement.get("registration_number") or (workflow or {}).get("registration_number")
    letter = _readable(lambda: api().letter_by_number(number)) if number else None
    return {
        "endorsement": endorsement,
        "number": number,
        "workflow": workflow,
        "letter": letter,
        "decisions": endorsement.get("decisions"),
        "rounds": circuit_rounds((workflow or {}).get("history") or []),
    }


@page(blueprint, "", *ENDORSERS, endpoint="queue")
def _page(
    errors: dict[str, dict[str, list[str]]] | None = None, status: int = 200
) -> tuple[str, int]:
    """What waits for me, each with the letter, the draft and the earlier steps."""
    items = [_item(e) for e in api().pending_endorsements()]
    return render_template(
        "endorsements.html", items=items, errors=errors or {}, decided=request.args.get("decided")
    ), status


@blueprint.post("/<uuid:endorsement_id>")
@signed_in(*ENDORSERS)
def decide(endorsement_id: Any) -> Any:
    """Approve the step shown, or return the draft (a comment is required)."""
    approve = request.form.get("decision") == "approve"
    comment = (request.form.get("comment") or "").strip()
    key = str(endorsement_id)
    if not approve and not comment:
        return _page({key: {"comment": [gettext("Say why the draft goes back.")]}}, 422)
    try:
        step = int(request.form.get("step", ""))
        api().decide_endorsement(key, approve, step, comment)
    except ValueError:
        return _page({key: {"_schema": [gettext("Reload the page and decide again.")]}}, 422)
    except ApiError as error:
        if error.status not in (403, 409, 422):
            raise
        return _page({key: field_reasons(error)}, status=error.status)
    return redirect(url_for("endorsements.queue", decided="approved" if approve else "returned"))
