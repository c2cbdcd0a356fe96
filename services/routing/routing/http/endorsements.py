"""Routing's HTTP views of the replies waiting for an endorsement step or for the
registry, and each step's decision: parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.http.schemas import endorsements as schemas
from routing.permissions import APPROVERS, ROUTERS, STAFF
from routing.usecases.endorsements import Endorsements

endorsements = Resource("endorsements", __name__, "Replies waiting for approval (visa).")
_endorsements = use_case("endorsements", Endorsements)


@endorsements.listing(PageQuery, schemas.EndorsementViewOut, roles=STAFF)
def my_endorsements(query: dict[str, Any]) -> Any:
    """The replies waiting for a step the caller may decide, with the letter's number, the
    reply draft and the earlier steps' comments (the letter itself: ``GET /letters/<id>``)."""
    return answer_page(_endorsements().pending_endorsements(principal()), query, by_request)


@endorsements.listing(PageQuery, schemas.EndorsementViewOut, roles=ROUTERS, path="/approved")
def approved_replies(query: dict[str, Any]) -> Any:
    """Replies their whole circuit approved, waiting for the registry to register and send
    them at intake (``in_reply_to``); only then is the letter answered."""
    return answer_page(
        _endorsements().approved_replies(principal()),
        query,
        lambda view: (view["decided_at"], view["id"]),
    )


@endorsements.action(
    "/<uuid:endorsement_id>/approve", schemas.DecisionIn, schemas.EndorsementOut, roles=APPROVERS
)
def approve(data: dict[str, Any], endorsement_id: Any) -> Any:
    """Approve the current step; the last approval makes the letter answered."""
    return _endorsements().decide_endorsement(
        str(endorsement_id), True, data["comment"], principal(), g.correlation_id, data["step"]
    )


@endorsements.action(
    "/<uuid:endorsement_id>/return", schemas.ReturnIn, schemas.EndorsementOut, roles=APPROVERS
)
def return_reply(data: dict[str, Any], endorsement_id: Any) -> Any:
    """Return the reply to the executor with a comment."""
    return _endorsements().decide_endorsement(
        str(endorsement_id), False, data["comment"], principal(), g.correlation_id, data["step"]
    )


def by_request(view: dict[str, Any]) -> tuple[Any, ...]:
    """An endorsement view's place in a list: by the time it was asked for."""
    return view["requested_at"], view["id"]
