"""Partners' proposals over HTTP: received, referred, answered."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from chancery.http import if_match, use_case
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from foreign_relations.http.answers import created_once, listed_page, versioned_row
from foreign_relations.http.schemas import StatusQuery
from foreign_relations.http.schemas import proposals as schemas
from foreign_relations.permissions import CREATORS, OFFICER, READERS
from foreign_relations.usecases.proposals import Proposals

proposals = Resource(
    "proposals",
    __name__,
    "Foreign partners' proposals referred to committees and departments.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:proposal_id>"

PROPOSAL_OUT = schemas.ProposalOut()
_proposals = use_case("proposals", Proposals)


@proposals.listing(StatusQuery, schemas.ProposalOut)
def list_proposals(query: dict[str, Any]) -> Any:
    """Partners' proposals, newest first."""
    return listed_page(_proposals().proposals, query)


@proposals.creation(schemas.ProposalIn, schemas.ProposalOut, roles=CREATORS)
def receive_proposal(data: dict[str, Any]) -> Response:
    """Record a partner's proposal."""
    return created_once(_proposals().receive_proposal, data, PROPOSAL_OUT, "/proposals")


@proposals.reading(ONE, schemas.ProposalOut, marks=(versioned_read,))
def read_proposal(proposal_id: Any) -> Response:
    """One proposal with its referral and answer."""
    return versioned_row(PROPOSAL_OUT, _proposals().proposal(str(proposal_id)))


@proposals.action(f"{ONE}/refer", schemas.ReferIn, schemas.ProposalOut, roles=OFFICER)
def refer_proposal(data: dict[str, Any], proposal_id: Any) -> Response:
    """Pass the proposal to a council committee or a department."""
    return versioned_row(
        PROPOSAL_OUT,
        _proposals().refer(
            str(proposal_id),
            data["referred_to"],
            data["department_code"],
            g.correlation_id,
            if_match(),
        ),
    )


@proposals.action(f"{ONE}/answer", schemas.AnswerIn, schemas.ProposalOut, roles=OFFICER)
def answer_proposal(data: dict[str, Any], proposal_id: Any) -> Response:
    """Record the committee's or department's answer."""
    return versioned_row(
        PROPOSAL_OUT, _proposals().answer(str(proposal_id), data["answer"], if_match())
    )
