"""Cooperation agreements over HTTP: recorded, changed, renewed."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, use_case
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from foreign_relations.http.answers import created_once, listed_page, versioned_row
from foreign_relations.http.schemas import agreements as schemas
from foreign_relations.permissions import OFFICER, READERS
from foreign_relations.usecases.agreements import Agreements

agreements = Resource(
    "agreements",
    __name__,
    "Cooperation agreements and their terms.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:agreement_id>"

AGREEMENT_OUT = schemas.AgreementOut()
_agreements = use_case("agreements", Agreements)


@agreements.listing(schemas.AgreementQuery, schemas.AgreementOut)
def list_agreements(query: dict[str, Any]) -> Any:
    """Agreements by end of term, of one partner or ending by a date."""
    return listed_page(_agreements().agreements, query)


@agreements.creation(schemas.AgreementIn, schemas.AgreementOut, roles=OFFICER)
def create_agreement(data: dict[str, Any]) -> Response:
    """Record a cooperation agreement and its first term."""
    return created_once(_agreements().create_agreement, data, AGREEMENT_OUT, "/agreements")


@agreements.reading(ONE, schemas.AgreementOut, marks=(versioned_read,))
def read_agreement(agreement_id: Any) -> Response:
    """One agreement with all its terms."""
    return versioned_row(AGREEMENT_OUT, _agreements().agreement(str(agreement_id)))


@agreements.change(ONE, schemas.AgreementPatch, schemas.AgreementOut)
def update_agreement(data: dict[str, Any], agreement_id: Any) -> Response:
    """Change an agreement's title, parties, areas, documents or renewal."""
    return versioned_row(
        AGREEMENT_OUT, _agreements().update_agreement(str(agreement_id), data, if_match())
    )


@agreements.action(f"{ONE}/renew", schemas.RenewIn, schemas.AgreementOut, roles=OFFICER)
def renew_agreement(data: dict[str, Any], agreement_id: Any) -> Response:
    """Start a new term; its end will be announced again in time."""
    return versioned_row(
        AGREEMENT_OUT,
        _agreements().renew(str(agreement_id), data["starts_on"], data["ends_on"], if_match()),
    )
