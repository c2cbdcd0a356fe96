"""Invitations over HTTP: entered, listed, evaluated, decided."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from chancery.http import if_match, stored_response, use_case
from chancery.http.openapi import versioned_read
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from foreign_relations.http.answers import created, decided, idempotent, versioned_row
from foreign_relations.http.schemas import DecisionIn
from foreign_relations.http.schemas import invitations as schemas
from foreign_relations.permissions import CREATORS, DECIDERS, OFFICER, OFFICER_OR_DECIDERS, READERS
from foreign_relations.usecases.invitations import Invitations

invitations = Resource(
    "invitations",
    __name__,
    "Invitations from abroad: evaluation and decision.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:invitation_id>"

INVITATION_OUT = schemas.InvitationOut()
_invitations = use_case("invitations", Invitations)


@invitations.listing(schemas.InvitationQuery, schemas.InvitationOut)
def list_invitations(query: dict[str, Any]) -> Any:
    """Invitations, those to answer soonest first; ``letter_number`` finds the invitation
    a letter became (``GET /invitations/by-letter/{registration_number}`` answers it alone)."""
    asked = page_request(query)
    return page_response(_invitations().invitations(principal(), asked, **query), asked)


@invitations.reading("/by-letter/<string:registration_number>", schemas.InvitationOut)
def read_invitation_by_letter(registration_number: str) -> Response:
    """The invitation a letter became, found by the letter's registration number, as
    ``GET /invitations/{invitation_id}`` (403 without the letter's clearance)."""
    return versioned_row(
        INVITATION_OUT, _invitations().invitation_of_letter(registration_number, principal())
    )


@invitations.creation(schemas.InvitationIn, schemas.InvitationOut, roles=CREATORS)
def propose_invitation(data: dict[str, Any]) -> Response:
    """Enter an invitation by hand; it awaits a decision at once."""
    return stored_response(
        _invitations().propose(
            data,
            g.correlation_id,
            idempotent("POST /invitations"),
            created(INVITATION_OUT, "/invitations"),
        )
    )


@invitations.reading(ONE, schemas.InvitationOut, marks=(versioned_read,))
def read_invitation(invitation_id: Any) -> Response:
    """One invitation with its evaluation and decision."""
    return versioned_row(INVITATION_OUT, _invitations().invitation(str(invitation_id), principal()))


@invitations.change(ONE, schemas.InvitationPatch, schemas.InvitationOut)
def update_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Complete an undecided invitation's facts (dates, place, inviter, partner)."""
    return versioned_row(
        INVITATION_OUT, _invitations().update(str(invitation_id), data, principal(), if_match())
    )


@invitations.action(
    f"{ONE}/evaluation", schemas.EvaluationIn, schemas.InvitationOut, roles=OFFICER, method="PUT"
)
def evaluate_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Is it worth going, the recommendation, the proposed delegation and its head."""
    return versioned_row(
        INVITATION_OUT,
        _invitations().evaluate(
            str(invitation_id), data, principal(), g.correlation_id, if_match()
        ),
    )


@invitations.action(
    f"{ONE}/approve", DecisionIn, schemas.InvitationOut, roles=DECIDERS, body_required=False
)
def approve_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Decide to go (409 naming the state when the invitation is no longer proposed)."""
    return decided(INVITATION_OUT, _invitations().decide, invitation_id, "approved", data)


@invitations.action(
    f"{ONE}/decline", DecisionIn, schemas.InvitationOut, roles=DECIDERS, body_required=False
)
def decline_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """Decide not to go."""
    return decided(INVITATION_OUT, _invitations().decide, invitation_id, "declined", data)


@invitations.action(
    f"{ONE}/withdraw",
    DecisionIn,
    schemas.InvitationOut,
    roles=OFFICER_OR_DECIDERS,
    body_required=False,
)
def withdraw_invitation(data: dict[str, Any], invitation_id: Any) -> Response:
    """The inviter cancelled, or the invitation was entered by mistake."""
    return decided(INVITATION_OUT, _invitations().decide, invitation_id, "withdrawn", data)
