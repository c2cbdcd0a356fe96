"""Notifications' HTTP adapter: parse, call a use case, answer."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint

from chancery.http.problems import Problem, field_error
from chancery.http.security import principal, require
from notifications import schemas

notifications = Blueprint("notifications", __name__, url_prefix="/notifications",
                          description="Ask for a notification and follow its delivery.")
feed = Blueprint("feed", __name__, url_prefix="/feed", description="Staff in-app notices.")
templates = Blueprint("templates", __name__, url_prefix="/templates",
                      description="Texts per kind and language, versioned, with a preview.")
directory = Blueprint("directory", __name__, description="Staff, preferences, webhooks and "
                                                         "the subscriptions to events.")

SENDERS = ("system", "registrar", "operator", "mayor_office", "department_head",
           "department_staff")
ADMINS = ("operator", "registrar", "mayor_office")


def _use(name: str) -> Any:
    return current_app.extensions[name]


@notifications.route("", methods=["POST"])
@require(*SENDERS)
@notifications.arguments(schemas.NotificationIn())
@notifications.response(202, schemas.DeliveryOut(many=True))
@notifications.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": True,
                                "schema": {"type": "string", "maxLength": 200}}])
def request_notification(data: dict[str, Any]) -> Any:
    """Ask for a notification; the same Idempotency-Key never delivers twice."""
    key = request.headers.get("Idempotency-Key", "")
    if not 1 <= len(key) <= 200:
        raise Problem(422, "Invalid request", "Send an Idempotency-Key header (1 to 200 "
                                              "characters).",
                      [field_error("Idempotency-Key", "required, 1 to 200 characters",
                                   "headers")])
    return _use("requests").request(key, principal().subject, data["recipient"],
                                    data["channel"], data["template"], data["language"],
                                    data["data"])


@notifications.route("/<uuid:delivery_id>", methods=["GET"])
@require(*SENDERS)
@notifications.response(200, schemas.DeliveryOut)
def delivery_status(delivery_id: Any) -> Any:
    """Where a delivery stands: queued, sending, delivered, temporary or permanent failure."""
    return _use("deliveries").get(str(delivery_id))


@notifications.route("/<uuid:delivery_id>/resend", methods=["POST"])
@require("operator")
@notifications.response(200, schemas.DeliveryOut)
def resend(delivery_id: Any) -> Any:
    """Queue a failed delivery again after the cause was fixed."""
    return _use("deliveries").resend(str(delivery_id))


@feed.route("", methods=["GET"])
@require()
@feed.response(200, schemas.FeedOut(many=True))
def my_feed() -> Any:
    """The caller's in-app notices, newest first (``?unread=true`` for the unread)."""
    return _use("feed").items(principal().subject, request.args.get("unread") == "true")


@feed.route("/<uuid:item_id>/read", methods=["POST"])
@require()
@feed.response(200, schemas.FeedOut)
def mark_read(item_id: Any) -> Any:
    """Mark a notice read."""
    return _use("feed").mark_read(str(item_id), principal().subject)


@templates.route("", methods=["GET"])
@require(*SENDERS)
@templates.response(200, schemas.TemplateOut(many=True))
def list_templates() -> Any:
    """The newest version of every template."""
    return _use("catalog").templates()


@templates.route("/<string:kind>/<string:language>", methods=["POST"])
@require(*ADMINS)
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
@require(*ADMINS)
@directory.response(200, schemas.StaffOut(many=True))
def list_staff() -> Any:
    """The staff directory: roles, department, how to reach each member."""
    return _use("catalog").staff()


@directory.route("/staff/<string:subject>", methods=["PUT"])
@require(*ADMINS)
@directory.arguments(schemas.StaffIn())
@directory.response(200, schemas.StaffOut)
def save_staff(data: dict[str, Any], subject: str) -> Any:
    """Add or change a staff member."""
    return _use("catalog").save_staff(subject, data, principal())


@directory.route("/preferences/<string:recipient>", methods=["GET"])
@require(*ADMINS, "system")
@directory.response(200, schemas.PreferenceOut)
def get_preference(recipient: str) -> Any:
    """A recipient's language, channel and opt-outs."""
    return _use("catalog").preference(recipient)


@directory.route("/preferences/<string:recipient>", methods=["PUT"])
@require(*ADMINS, "system")
@directory.arguments(schemas.PreferenceIn())
@directory.response(200, schemas.PreferenceOut)
def save_preference(data: dict[str, Any], recipient: str) -> Any:
    """Set a recipient's language, channel and opt-outs."""
    return _use("catalog").save_preference(recipient, data["language"], data["channel"],
                                           data["opted_out"], principal())


@directory.route("/webhooks", methods=["POST"])
@require(*ADMINS)
@directory.arguments(schemas.WebhookIn())
@directory.response(201, schemas.WebhookOut)
def add_webhook(data: dict[str, Any]) -> Any:
    """Subscribe a department system to events; the signing secret is in this answer only."""
    hook, secret = _use("catalog").add_webhook(
        data["name"], data["url"], data["kinds"], data["department"], principal(),
        receives_confidential=data["receives_confidential"],
        receives_personal_data=data["receives_personal_data"])
    return {**schemas.WebhookOut(exclude=("secret",)).dump(hook), "secret": secret}


@directory.route("/subscriptions", methods=["GET"])
@require(*ADMINS)
@directory.response(200, schemas.SubscriptionOut(many=True))
def list_subscriptions() -> Any:
    """Which events tell whom."""
    return _use("subscriptions").all()


@directory.route("/subscriptions/<string:event>", methods=["PUT"])
@require(*ADMINS)
@directory.arguments(schemas.SubscriptionIn())
@directory.response(200, schemas.SubscriptionOut)
def configure_subscription(data: dict[str, Any], event: str) -> Any:
    """Switch a subscription on or off, or force its channel."""
    return _use("subscriptions").configure(event, data["active"], data["channel"])


BLUEPRINTS = (notifications, feed, templates, directory)
