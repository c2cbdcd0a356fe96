"""``/notifications``: ask for a notification and follow its delivery."""

from __future__ import annotations

from typing import Any

from flask import request

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.openapi import idempotency_key
from chancery.http.problems import validation_problem
from chancery.http.resources import Resource
from chancery.http.security import principal
from notifications.http.schemas.deliveries import DeliveryOut
from notifications.http.schemas.notifications import (
    DELIVERIES_EXAMPLE,
    NOTIFICATION_EXAMPLE,
    NotificationIn,
)
from notifications.permissions import OPERATORS, SENDERS
from notifications.usecases.deliveries import Deliveries
from notifications.usecases.requests import Requests, colleagues_only

notifications = Resource(
    "notifications", __name__, "Ask for a notification and follow its delivery."
)
_requests = use_case("requests", Requests)
_deliveries = use_case("deliveries", Deliveries)


# The Idempotency-Key is required here and says what a repeat does: an action with its doc.
@notifications.action(
    "",
    NotificationIn,
    DeliveryOut(many=True),
    roles=SENDERS,
    status=202,
    example=NOTIFICATION_EXAMPLE,
    answer_example=DELIVERIES_EXAMPLE,
    also=(
        notifications.doc(
            **idempotency_key(
                "returns the first deliveries and delivers nothing again", required=True
            )
        ),
    ),
)
def request_notification(data: dict[str, Any]) -> Any:
    """Ask for a notification; the same Idempotency-Key never delivers twice.

    Department staff may only notify colleagues (a staff member's ``subject``)
    with kinds meant for staff; the other senders may tell anyone.
    """
    key = request.headers.get("Idempotency-Key", "")
    if not 1 <= len(key) <= 200:
        raise validation_problem(
            {"Idempotency-Key": "required, 1 to 200 characters"},
            "headers",
            "Send an Idempotency-Key header (1 to 200 characters).",
        )
    return _requests().request(
        key,
        principal().subject,
        data["recipient"],
        data["channel"],
        data["template"],
        data["language"],
        data["data"],
        colleagues=colleagues_only(principal()),
    )


@notifications.reading(
    "/<uuid:delivery_id>",
    DeliveryOut,
    roles=SENDERS,
    marks=(personal_data("delivery", "delivery_id"),),
)
def delivery_status(delivery_id: Any) -> Any:
    """Where a delivery stands: queued, sending, delivered, temporary or permanent failure."""
    return _deliveries().get(str(delivery_id), principal())


@notifications.action("/<uuid:delivery_id>/resend", None, DeliveryOut, roles=OPERATORS)
def resend(delivery_id: Any) -> Any:
    """Queue a failed delivery again after the cause was fixed (audited with its
    recipient)."""
    return _deliveries().resend(str(delivery_id), principal())
