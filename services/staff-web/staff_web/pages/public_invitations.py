"""Guests answer an event's invitation on the public pages, from the link it carried.

The invitation's link holds the guest's token (protocol-events keeps only its
digest); the page shows the event and the guest's answer so far. Opening it
changes nothing (mail scanners open links too): answering is a button, and a
guest may change the answer while the event is confirmed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.exceptions import BadRequest

from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.security import api, link_token

blueprint = Blueprint("public_invitations", __name__, url_prefix="/public/invitations")
ANSWERS = {
    "accepted": lazy_gettext("I will attend"),
    "declined": lazy_gettext("I cannot attend"),
    "tentative": lazy_gettext("I may attend"),
}
CLOSED = lazy_gettext("The event is no longer awaiting answers; please contact the organisers.")


def _page(token: str, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    invitation = api().get("protocol_events", f"/public/invitations/{link_token(token)}")
    return render_template(
        "public/invitation.html",
        invitation=invitation,
        token=token,
        answers=ANSWERS,
        problem=problem,
        done=request.args.get("done") in ANSWERS,
    ), status


@blueprint.get("/<string:token>")
def invitation(token: str) -> tuple[str, int]:
    """The invitation the guest's link opens: the event, their answer so far, three buttons."""
    return _page(token)


@blueprint.post("/<string:token>")
def answer(token: str) -> Any:
    """The guest's answer: accepted, declined or tentative."""
    chosen = request.form.get("answer")
    if chosen not in ANSWERS:
        raise BadRequest()
    refusal = answer_or_refusal(
        (409,),
        lambda: api().put(
            "protocol_events", f"/public/invitations/{link_token(token)}/answer", {"answer": chosen}
        ),
    )
    if isinstance(refusal, ApiError):
        return _page(token, str(CLOSED), status=409)
    return redirect(url_for("public_invitations.invitation", token=token, done=chosen))
