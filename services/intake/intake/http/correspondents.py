"""The registry's suggestions of earlier correspondents."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from chancery.paging import Page
from intake.http.answers import PagedAnswer
from intake.http.schemas import correspondents as schemas
from intake.permissions import REGISTRY
from intake.usecases.searches import Searches

_searches = use_case("searches", Searches)


correspondents = Resource(
    "correspondents", __name__, "Earlier correspondents, for the registry's suggestions."
)


@correspondents.listing(schemas.CorrespondentQuery, schemas.CorrespondentOut, roles=REGISTRY)
def suggest_correspondents(query: dict[str, Any]) -> PagedAnswer:
    """Earlier senders whose name contains ``q``, for the registry's suggestions (audited).

    The best ``limit`` matches in one page: suggestions have no next page.
    """
    asked = page_request(query)
    found = _searches().correspondents(query["text"], asked.limit, principal())
    return page_response(Page(found, next_key=None), asked)
