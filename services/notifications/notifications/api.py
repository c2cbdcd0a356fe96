"""Notifications' HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http.auditing import personal_data
from chancery.http.paging import (
    PageQuery,
    answer_page,
    page_request,
    page_response,
    paged_response,
)
from chancery.http.problems import Problem, field_error
from chancery.http.security import principal, require
from notifications import schemas
from notifications.commands import OFFICE_SENDERS, colleagues_only
from notifications.delivery import DeliveryFilters

notifications = Blueprint("notifications", __name__, url_prefix="/notifications",
                          description="Ask for a notification and follow its delivery.")
feed = Blueprint("feed", __name__, url_prefix="/feed", description="Staff in-app notices.")
templates = Blueprint("templates", __name__, url_prefix="/templates",
                      description="Texts per kind and language, versioned, with a preview.")
deliveries = Blueprint("deliveries", __name__, url_prefix="/deliveries",
                       description="Who was told what, on which channel, and did it arrive.")
directory = Blueprint("directory", __name__, description="Staff, preferences, webhooks and "
                                                         "the subscriptions to events.")

SENDERS = (*OFFICE_SENDERS, "department_staff")
# Reads of the directory and subscriptions; changing them is the operators' alone.
READERS = ("operator", "registrar", "mayor_office")
PREFERENCE_KEEPERS = (*READERS, "system")


def _use(name: str) -> Any:
    return current_app.extensions[name]


@notifications.route("", methods=["POST"])
@require(*SENDERS)
@notifications.arguments(schemas.NotificationIn(), example=schemas.NOTIFICATION_EXAMPLE)
@notifications.response(202, schemas.DeliveryOut(many=True), example=schemas.DELIVERIES_EXAMPLE)
@notifications.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": True,
                                "schema": {"type": "string", "maxLength": 200}}])
def request_notification(data: dict[str, Any]) -> Any:
    """Ask for a notification; the same Idempotency-Key never delivers twice.

    Department staff may only notify colleagues (a staff member's ``subject``)
    with kinds meant for staff; the other senders may tell anyone.
    """
    key = request.headers.get("Idempotency-Key", "")
    if not 1 <= len(key) <= 200:
        raise Problem(422, "Invalid request", "Send an Idempotency-Key header (1 to 200 "
                                              "characters).",
                      [field_error("Idempotency-Key", "required, 1 to 200 characters",
                                   "headers")])
    return _use("requests").request(key, principal().subject, data["recipient"],
                                    data["channel"], data["template"], data["language"],
                                    data["data"], colleagues=colleagues_only(principal()))


@notifications.route("/<uuid:delivery_id>", methods=["GET"])
@personal_data("delivery", "delivery_id")
@require(*SENDERS)
@notifications.response(200, schemas.DeliveryOut)
def delivery_status(delivery_id: Any) -> Any:
    """Where a delivery stands: queued, sending, delivered, temporary or permanent failure."""
    return _use("deliveries").get(str(delivery_id), principal())


@deliveries.route("", methods=["GET"])
@personal_data("delivery")
@require(*READERS)
@deliveries.arguments(schemas.DeliveryQuery(), location="query", unknown=RAISE)
@paged_response(deliveries, schemas.DeliveryOut)
def list_deliveries(query: dict[str, Any]) -> Any:
    """Deliveries newest first, by recipient, cause, kind, channel, state and period
    (``from`` inclusive, ``to`` exclusive); the recipients listed are audited as read."""
    asked = page_request(query)
    return page_response(_use("deliveries").search(DeliveryFilters(**query), principal(),
                                                   asked), asked)


@notifications.route("/<uuid:delivery_id>/resend", methods=["POST"])
@require("operator")
@notifications.response(200, schemas.DeliveryOut)
def resend(delivery_id: Any) -> Any:
    """Queue a failed delivery again after the cause was fixed."""
    return _use("deliveries").resend(str(delivery_id))


@feed.route("", methods=["GET"])
@require()
@feed.arguments(schemas.FeedQuery(), location="query", unknown=RAISE)
@paged_response(feed, schemas.FeedOut)
def my_feed(query: dict[str, Any]) -> Any:
    """The caller's in-app notices, newest first (``?unread=true`` for the unread)."""
    asked = page_request(query)
    return page_response(_use("feed").page(principal().subject, query["unread"], asked),
                         asked)


@feed.route("/unread-count", methods=["GET"])
@require()
@feed.response(200, schemas.UnreadCountOut)
def unread_count() -> Any:
    """How many of the caller's notices are unread."""
    return {"unread": _use("feed").unread_count(principal().subject)}


@feed.route("/<uuid:item_id>/read", methods=["POST"])
@require()
@feed.response(200, schemas.FeedOut)
def mark_read(item_id: Any) -> Any:
    """Mark a notice read."""
    return _use("feed").mark_read(str(item_id), principal().subject)


@templates.route("", methods=["GET"])
@require(*SENDERS)
@templates.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(templates, schemas.TemplateOut)
def list_templates(query: dict[str, Any]) -> Any:
    """The newest version of every template, by kind and language."""
    return answer_page(_use("catalog").templates(), query,
                       lambda template: (template.kind, template.language))


@templates.route("/<string:kind>/<string:language>", methods=["POST"])
@require("operator")
@templates.arguments(schemas.TemplateIn())
@templates.response(201, schemas.TemplateOut)
def new_template_version(data: dict[str, Any], kind: str, language: str) -> Any:
    """Store a new version of a kind's texts in a language."""
    return _use("catalog").new_version(kind, language, data["subject"], data["text"],
                                       data["html"], principal())


@templates.route("/<string:kind>/preview", methods=["POST"])
@require(*SENDERS)
@templates.arguments(schemas.PreviewIn())
@templates.response(200, schemas.RenderedOut)
def preview(data: dict[str, Any], kind: str) -> Any:
    """Fill a template in with sample data; nothing is sent."""
    return _use("catalog").preview(kind, data["language"], data["data"])


@directory.route("/staff", methods=["GET"])
@personal_data("staff_member")
@require(*READERS)
@directory.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(directory, schemas.StaffOut)
def list_staff(query: dict[str, Any]) -> Any:
    """The staff directory: roles, department, how to reach each member."""
    return answer_page(_use("catalog").staff(principal()), query,
                       lambda member: (member.subject,))


@directory.route("/staff/<string:subject>", methods=["PUT"])
@require("operator")
@directory.arguments(schemas.StaffIn())
@directory.response(200, schemas.StaffOut)
def save_staff(data: dict[str, Any], subject: str) -> Any:
    """Add or change a staff member."""
    return _use("catalog").save_staff(subject, data, principal())


@directory.route("/preferences/<string:recipient>", methods=["GET"])
@personal_data("preference", "recipient")
@require(*PREFERENCE_KEEPERS)
@directory.response(200, schemas.PreferenceOut)
def get_preference(recipient: str) -> Any:
    """A recipient's language, channel and opt-outs."""
    return _use("catalog").preference(recipient, principal())


@directory.route("/preferences/<string:recipient>", methods=["PUT"])
@require(*PREFERENCE_KEEPERS)
@directory.arguments(schemas.PreferenceIn())
@directory.response(200, schemas.PreferenceOut)
def save_preference(data: dict[str, Any], recipient: str) -> Any:
    """Set a recipient's language, channel and opt-outs."""
    return _use("catalog").save_preference(recipient, data["language"], data["channel"],
                                           data["opted_out"], principal())


@directory.route("/webhooks", methods=["POST"])
@require("operator")
@directory.arguments(schemas.WebhookIn())
@directory.response(201, schemas.WebhookOut)
def add_webhook(data: dict[str, Any]) -> Any:
    """Subscribe a department system to events; the signing secret is in this answer only.

    The URL must be ``https`` and resolve to public addresses (or name a host on
    the operators' allow-list); deliveries are signed as Standard Webhooks say.
    """
    hook, secret = _use("catalog").add_webhook(
        data["name"], data["url"], data["kinds"], data["department"], principal(),
        receives_confidential=data["receives_confidential"],
        receives_personal_data=data["receives_personal_data"])
    return _with_secret(hook, secret)


@directory.route("/webhooks", methods=["GET"])
@require("operator")
@directory.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(directory, schemas.WebhookSummary)
def list_webhooks(query: dict[str, Any]) -> Any:
    """Every webhook subscription, without its secret, by name."""
    return answer_page(_use("catalog").webhooks(), query, lambda hook: (hook.name, hook.id))


@directory.route("/webhooks/<uuid:hook_id>/disable", methods=["POST"])
@require("operator")
@directory.response(200, schemas.WebhookSummary)
def disable_webhook(hook_id: Any) -> Any:
    """Send nothing more to this webhook; queued deliveries fail with the reason."""
    return _use("catalog").set_webhook_active(str(hook_id), False, principal())


@directory.route("/webhooks/<uuid:hook_id>/enable", methods=["POST"])
@require("operator")
@directory.response(200, schemas.WebhookSummary)
def enable_webhook(hook_id: Any) -> Any:
    """Send to this webhook again (its destination is checked anew)."""
    return _use("catalog").set_webhook_active(str(hook_id), True, principal())


@directory.route("/webhooks/<uuid:hook_id>", methods=["DELETE"])
@require("operator")
@directory.response(204)
def delete_webhook(hook_id: Any) -> Any:
    """Remove a webhook subscription; what was delivered stays in the history."""
    _use("catalog").delete_webhook(str(hook_id), principal())
    return None


@directory.route("/webhooks/<uuid:hook_id>/secret", methods=["POST"])
@require("operator")
@directory.response(200, schemas.WebhookOut)
def rotate_webhook_secret(hook_id: Any) -> Any:
    """A new signing secret, in this answer only; the old one signs too for the overlap period.

    During the overlap each delivery carries two signatures in ``webhook-signature``.
    """
    hook, secret = _use("catalog").rotate_webhook_secret(str(hook_id), principal())
    return _with_secret(hook, secret)


def _with_secret(hook: Any, secret: str) -> dict[str, Any]:
    # The model has no plaintext secret to show but this once; the response schema dumps.
    return {**{name: getattr(hook, name) for name in schemas.WebhookSummary().fields},
            "secret": secret}


@directory.route("/subscriptions", methods=["GET"])
@require(*READERS)
@directory.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(directory, schemas.SubscriptionOut)
def list_subscriptions(query: dict[str, Any]) -> Any:
    """Which events tell whom, by event."""
    return answer_page(_use("subscriptions").all(), query,
                       lambda subscription: (subscription.event, subscription.audience))


@directory.route("/subscriptions/<string:event>", methods=["PUT"])
@require("operator")
@directory.arguments(schemas.SubscriptionIn())
@directory.response(200, schemas.SubscriptionOut)
def configure_subscription(data: dict[str, Any], event: str) -> Any:
    """Switch a subscription on or off, or force its channel."""
    return _use("subscriptions").configure(event, data["active"], data["channel"])


BLUEPRINTS = (notifications, deliveries, feed, templates, directory)
