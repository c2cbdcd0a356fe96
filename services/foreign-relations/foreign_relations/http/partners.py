"""Partner cities over HTTP: facts, contacts (audited), dossier, the history of visits."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, use_case
from chancery.http.auditing import personal_data
from chancery.http.openapi import versioned_read
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from foreign_relations.http.answers import created_once, listed_page, versioned_row
from foreign_relations.http.schemas import partners as schemas
from foreign_relations.permissions import OFFICER, PERSONAL_DATA_READERS, READERS
from foreign_relations.usecases.partners import Partners

partners = Resource(
    "partners",
    __name__,
    "Partner (twin) cities: facts, contacts, dossier, visits.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:partner_id>"

PARTNER_OUT = schemas.PartnerOut()
_partners = use_case("partners", Partners)


@partners.listing(schemas.PartnerQuery, schemas.PartnerOut)
def list_partners(query: dict[str, Any]) -> Any:
    """Partner cities by name, optionally of one status or country."""
    return listed_page(_partners().partners, query)


@partners.creation(
    schemas.PartnerIn,
    schemas.PartnerOut,
    roles=OFFICER,
    example=schemas.PARTNER_EXAMPLE,
    answer_example=schemas.PARTNER_OUT_EXAMPLE,
)
def create_partner(data: dict[str, Any]) -> Response:
    """Add a partner city, with its contact people."""
    return created_once(_partners().create_partner, data, PARTNER_OUT, "/partners")


@partners.reading(ONE, schemas.PartnerOut, marks=(versioned_read,))
def read_partner(partner_id: Any) -> Response:
    """One partner city (its contacts are at ``/contacts``)."""
    return versioned_row(PARTNER_OUT, _partners().partner(str(partner_id)))


@partners.change(ONE, schemas.PartnerPatch, schemas.PartnerOut)
def update_partner(data: dict[str, Any], partner_id: Any) -> Response:
    """Change a partner city (``If-Match``: its ETag)."""
    return versioned_row(PARTNER_OUT, _partners().update_partner(str(partner_id), data, if_match()))


@partners.listing(
    PageQuery,
    schemas.ContactOut,
    path=f"{ONE}/contacts",
    roles=PERSONAL_DATA_READERS,
    marks=(personal_data("partner", "partner_id"),),
)
def list_contacts(query: dict[str, Any], partner_id: Any) -> Any:
    """A partner's contact people (personal data: the read is audited)."""
    return answer_page(_partners().contacts(str(partner_id), principal()), query)


@partners.action(
    f"{ONE}/contacts", schemas.ContactIn, schemas.ContactOut, roles=OFFICER, status=201
)
def add_contact(data: dict[str, Any], partner_id: Any) -> Any:
    """Add a contact person."""
    return _partners().add_contact(str(partner_id), data)


@partners.action(
    f"{ONE}/contacts/<uuid:contact_id>", None, None, roles=OFFICER, method="DELETE", status=204
)
def remove_contact(partner_id: Any, contact_id: Any) -> None:
    """Remove a contact person."""
    _partners().remove_contact(str(partner_id), str(contact_id))


@partners.listing(PageQuery, schemas.DossierOut, path=f"{ONE}/dossier")
def read_dossier(query: dict[str, Any], partner_id: Any) -> Any:
    """The partner's information dossier, newest first."""
    return answer_page(_partners().dossier(str(partner_id)), query)


@partners.action(f"{ONE}/dossier", schemas.DossierIn, schemas.DossierOut, roles=OFFICER, status=201)
def add_to_dossier(data: dict[str, Any], partner_id: Any) -> Any:
    """Add a note or a document to the dossier."""
    return _partners().add_dossier_entry(str(partner_id), data, principal())


@partners.listing(PageQuery, schemas.HistoryOut, path=f"{ONE}/visits")
def visit_history(query: dict[str, Any], partner_id: Any) -> Any:
    """Visits both ways, newest first: trips made, visits received, records entered."""
    return answer_page(_partners().history(str(partner_id)), query)


@partners.action(
    f"{ONE}/visits", schemas.VisitRecordIn, schemas.HistoryOut, roles=OFFICER, status=201
)
def add_visit_record(data: dict[str, Any], partner_id: Any) -> dict[str, Any]:
    """Enter a past visit by hand."""
    record = _partners().add_visit_record(str(partner_id), data)
    return {
        "direction": record.direction,
        "source": "record",
        "source_id": record.id,
        "title": record.title,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
    }
