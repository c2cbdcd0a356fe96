"""The directory: staff, preferences, webhooks and the subscriptions to events."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from notifications.adapters.models import WebhookSubscription
from notifications.http.schemas.directory import (
    PreferenceIn,
    PreferenceOut,
    StaffOut,
    SubscriptionIn,
    SubscriptionOut,
    WebhookIn,
    WebhookOut,
    WebhookSummary,
)
from notifications.permissions import OPERATORS, PREFERENCE_KEEPERS, READERS
from notifications.usecases.audiences import Audiences
from notifications.usecases.preferences import Preferences
from notifications.usecases.staff import Staff
from notifications.usecases.webhooks import Webhooks

directory = Resource(
    "directory",
    __name__,
    "Staff, preferences, webhooks and the subscriptions to events.",
    url_prefix="",
)
_staff = use_case("staff", Staff)
_preferences = use_case("preferences", Preferences)
_webhooks = use_case("webhooks", Webhooks)
_audiences = use_case("audiences", Audiences)


@directory.listing(
    PageQuery, StaffOut, roles=READERS, path="/staff", marks=(personal_data("staff_member"),)
)
def list_staff(query: dict[str, Any]) -> Any:
    """The staff directory: roles, department, how to reach each member."""
    return answer_page(_staff().all(principal()), query, lambda member: (member.subject,))


@directory.reading(
    "/preferences/<string:recipient>",
    PreferenceOut,
    roles=PREFERENCE_KEEPERS,
    marks=(personal_data("preference", "recipient"),),
)
def get_preference(recipient: str) -> Any:
    """A recipient's language, channel and opt-outs."""
    return _preferences().get(recipient, principal())


@directory.action(
    "/preferences/<string:recipient>",
    PreferenceIn,
    PreferenceOut,
    roles=PREFERENCE_KEEPERS,
    method="PUT",
)
def save_preference(data: dict[str, Any], recipient: str) -> Any:
    """Set a recipient's language, channel and opt-outs."""
    return _preferences().save(
        recipient, data["language"], data["channel"], data["opted_out"], principal()
    )


@directory.action("/webhooks", WebhookIn, WebhookOut, roles=OPERATORS, status=201)
def add_webhook(data: dict[str, Any]) -> Any:
    """Subscribe a department system to events; the signing secret is in this answer only.

    The URL must be ``https`` and resolve to public addresses (or name a host on
    the operators' allow-list); deliveries are signed as Standard Webhooks say.
    """
    hook, secret = _webhooks().add(
        data["name"],
        data["url"],
        data["kinds"],
        data["department"],
        principal(),
        receives_confidential=data["receives_confidential"],
        receives_personal_data=data["receives_personal_data"],
    )
    return _with_secret(hook, secret)


@directory.listing(PageQuery, WebhookSummary, roles=OPERATORS, path="/webhooks")
def list_webhooks(query: dict[str, Any]) -> Any:
    """Every webhook subscription, without its secret, by name."""
    return answer_page(_webhooks().all(), query, lambda hook: (hook.name, hook.id))


@directory.action("/webhooks/<uuid:hook_id>/disable", None, WebhookSummary, roles=OPERATORS)
def disable_webhook(hook_id: Any) -> Any:
    """Send nothing more to this webhook; queued deliveries fail with the reason."""
    return _webhooks().set_active(str(hook_id), False, principal())


@directory.action("/webhooks/<uuid:hook_id>/enable", None, WebhookSummary, roles=OPERATORS)
def enable_webhook(hook_id: Any) -> Any:
    """Send to this webhook again (its destination is checked anew)."""
    return _webhooks().set_active(str(hook_id), True, principal())


@directory.action(
    "/webhooks/<uuid:hook_id>", None, None, roles=OPERATORS, method="DELETE", status=204
)
def delete_webhook(hook_id: Any) -> Any:
    """Remove a webhook subscription; what was delivered stays in the history."""
    _webhooks().delete(str(hook_id), principal())
    return None


@directory.action("/webhooks/<uuid:hook_id>/secret", None, WebhookOut, roles=OPERATORS)
def rotate_webhook_secret(hook_id: Any) -> Any:
    """A new signing secret, in this answer only; the old one signs too for the overlap period.

    During the overlap each delivery carries two signatures in ``webhook-signature``.
    """
    hook, secret = _webhooks().rotate_secret(str(hook_id), principal())
    return _with_secret(hook, secret)


def _with_secret(hook: WebhookSubscription, secret: str) -> dict[str, Any]:
    # The model has no plaintext secret to show but this once; the response schema dumps.
    return {**{name: getattr(hook, name) for name in WebhookSummary().fields}, "secret": secret}


@directory.listing(PageQuery, SubscriptionOut, roles=READERS, path="/subscriptions")
def list_subscriptions(query: dict[str, Any]) -> Any:
    """Which events tell whom, by event."""
    return answer_page(
        _audiences().all(), query, lambda subscription: (subscription.event, subscription.audience)
    )


@directory.action(
    "/subscriptions/<string:event>", SubscriptionIn, SubscriptionOut, roles=OPERATORS, method="PUT"
)
def configure_subscription(data: dict[str, Any], event: str) -> Any:
    """Switch a subscription on or off, or force its channel."""
    return _audiences().configure(event, data["active"], data["channel"])
