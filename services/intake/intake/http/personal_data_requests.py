"""Data subjects' requests (GDPR): started, listed, read and printed."""

from __future__ import annotations

from typing import Any

from flask import Response, g

from chancery.http import use_case
from chancery.http.paging import PageQuery, page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from chancery.personal_data import Person
from intake.adapters.people_documents import request_page
from intake.http.answers import PRINTABLE, PagedAnswer, document, first_language
from intake.http.schemas import personal_data_requests as schemas
from intake.permissions import DATA_PROTECTION
from intake.usecases.rights import PeoplesRights, RequestView

people = Resource(
    "personal-data-requests",
    __name__,
    "Data subjects' requests (GDPR): what every service holds "
    "about a person, exported; erasure where the law allows.",
)


_rights = use_case("rights", PeoplesRights)


@people.action(
    "",
    schemas.PersonalDataRequestIn,
    schemas.PersonalDataRequestOut,
    roles=DATA_PROTECTION,
    status=201,
)
def start_personal_data_request(data: dict[str, Any]) -> RequestView:
    """Start a request about a person (by name, e-mail or phone): intake answers its part at
    once, the other four services over the bus (``personal_data.requested``)."""
    return _rights().start(
        data["action"], Person.from_payload(data["person"]), principal(), g.correlation_id
    )


@people.listing(PageQuery, schemas.PersonalDataRequestOut, roles=DATA_PROTECTION)
def list_personal_data_requests(query: dict[str, Any]) -> PagedAnswer:
    """The requests, newest first, with who has answered."""
    asked = page_request(query)
    return page_response(_rights().requests(asked), asked)


@people.reading(
    "/<int(min=1, max=2147483647):number>", schemas.PersonalDataRequestOut, roles=DATA_PROTECTION
)
def read_personal_data_request(number: int) -> RequestView:
    """The request with every answer so far (the machine-readable export), which services
    have answered and which are outstanding."""
    return _rights().request(number, principal())


@document(
    people,
    "/<int(min=1, max=2147483647):number>/document.html",
    DATA_PROTECTION,
    PRINTABLE,
    "text/html",
)
def print_personal_data_request(number: int) -> Response:
    """The request and its answers as a printable page for the person."""
    language, municipality = first_language()
    return Response(
        request_page(_rights().request(number, principal()), language, municipality),
        mimetype="text/html",
    )
