"""``/deliveries``: who was told what, on which channel, and did it arrive."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from notifications.http.schemas.deliveries import DeliveryOut, DeliveryQuery
from notifications.permissions import READERS
from notifications.usecases.deliveries import Deliveries, DeliveryFilters

deliveries = Resource(
    "deliveries", __name__, "Who was told what, on which channel, and did it arrive."
)
_deliveries = use_case("deliveries", Deliveries)


@deliveries.listing(DeliveryQuery, DeliveryOut, roles=READERS, marks=(personal_data("delivery"),))
def list_deliveries(query: dict[str, Any]) -> Any:
    """Deliveries newest first, by recipient, cause, kind, channel, state and period
    (``from`` inclusive, ``to`` exclusive); the recipients listed are audited as read."""
    asked = page_request(query)
    return page_response(_deliveries().search(DeliveryFilters(**query), principal(), asked), asked)
