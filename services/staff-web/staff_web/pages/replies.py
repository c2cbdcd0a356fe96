"""The registry desk's approved replies: register each at intake and send it.

Routing keeps an approved reply waiting (``GET /endorsements/approved``); only
when the registry registers it as an outgoing letter ``in_reply_to`` the
incoming one is the letter answered and the citizen told the reply's number
(decision 0032).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from staff_web.api_client import ApiError
from staff_web.i18n import field_reasons
from staff_web.permissions import REPLY_REGISTRARS
from staff_web.security import api, signed_in
from staff_web.views import page

blueprint = Blueprint("replies", __name__, url_prefix="/registry/replies")


@page(blueprint, "", *REPLY_REGISTRARS, endpoint="approved")
def _page(errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    """The replies their circuit approved, oldest first, waiting to be registered."""
    return render_template(
        "replies.html",
        replies=api().approved_replies(),
        errors=errors or {},
        registered=request.args.get("registered"),
        answered=request.args.get("answered"),
    ), status


@blueprint.post("/<string:number>")
@signed_in(*REPLY_REGISTRARS)
def register(number: str) -> Any:
    """Register the approved reply to letter ``number`` to its sender."""
    waiting = [
        reply for reply in api().approved_replies() if reply.get("registration_number") == number
    ]
    if not waiting:
        return redirect(url_for("replies.approved"))
    reply = waiting[0]
    try:
        incoming = api().letter_by_number(number)
        registered = api().register_reply(
            incoming, reply["reply_subject"], reply.get("reply_summary"), reply["reply_language"]
        )
    except ApiError as error:
        if error.status not in (403, 409, 422):
            raise
        reasons = field_reasons(error).values()
        return _page({number: [reason for found in reasons for reason in found]}, error.status)
    return redirect(
        url_for("replies.approved", registered=registered["registration_number"], answered=number)
    )
