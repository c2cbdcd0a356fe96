"""Routing's HTTP views of the letters no rule could route: parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import PageQuery, page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.adapters.repositories import LetterFilters
from routing.http.schemas import letters as letters_schemas
from routing.permissions import ROUTERS
from routing.usecases.letters import Letters

triage = Resource("triage", __name__, "Letters no rule could route, waiting for the registry.")
_letters = use_case("letters", Letters)


@triage.listing(PageQuery, letters_schemas.LetterOut, roles=ROUTERS)
def list_triage(query: dict[str, Any]) -> Any:
    """Letters no rule could route, by the date they must be forwarded by."""
    asked = page_request(query)
    return page_response(_letters().letters(LetterFilters(triage=True), principal(), asked), asked)
