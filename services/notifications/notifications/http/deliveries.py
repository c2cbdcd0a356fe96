"""``/deliveries``: who was told what, on which channel, and did it arrive."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import page_request, page_response, paged_response
from chancery.http.security import principal, require
from notifications.http.schemas.deliveries import DeliveryOut, DeliveryQuery
from notifications.permissions import READERS
from notifications.usecases.deliveries import Deliveries, DeliveryFilters

deliveries = Blueprint(
    "deliveries",
    __name__,
    url_prefix="/deliveries",
    description="Who was told what, on which channel, and did it arrive.",
)
_deliveries = use_case("deliveries", Deliveries)


@deliveries.route("", methods=["GET"])
@personal_data("delivery")
@require(*READERS)
@deliveries.arguments(DeliveryQuery(), location="query", unknown=RAISE)
@paged_response(deliveries, DeliveryOut)
def list_deliveries(query: dict[str, Any]) -> Any:
    """Deliveries newest first, by recipient, cause, kind, channel, state and period
    (``from`` inclusive, ``to`` exclusive); the recipients listed are audited as read."""
    asked = page_request(query)
    return page_response(_deliveries().search(DeliveryFilters(**query), principal(), asked), asked)
