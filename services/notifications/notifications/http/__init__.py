"""Notifications' HTTP edge: one module per resource, each a blueprint whose views parse,
call one use case and answer."""

from __future__ import annotations

from notifications.http.deliveries import deliveries
from notifications.http.directory import directory
from notifications.http.feed import feed
from notifications.http.notifications import notifications
from notifications.http.templates import templates

BLUEPRINTS = tuple(
    resource.blueprint for resource in (notifications, deliveries, feed, templates, directory)
)
"""What the web app mounts, in the document's order."""
