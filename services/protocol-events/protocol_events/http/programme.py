"""An event's programme items."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.paging import (
    PageQuery,
    answer_page,
    paged_response,
)
from chancery.http.security import principal, require
from protocol_events.http.events import events
from protocol_events.http.schemas.programme import ItemIn, ItemOut, ItemPatch
from protocol_events.permissions import EVENT_READERS, ORGANISERS
from protocol_events.usecases.programme import Programme

_programme = use_case("programme", Programme)


def _item_body(item: Any, bookings: list[Any], costs: list[Any]) -> dict[str, Any]:
    return {
        **{
            c: getattr(item, c)
            for c in (
                "id",
                "category",
                "title",
                "starts_at",
                "ends_at",
                "place",
                "responsible",
                "counterpart",
                "notes",
            )
        },
        "bookings": bookings,
        "costs": costs,
    }


@events.blueprint.route("/<uuid:event_id>/programme", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(ItemIn())
@events.blueprint.response(201, ItemOut)
def add_item(data: dict[str, Any], event_id: Any) -> Any:
    """Add a programme item and book its resources (a clash refuses the whole item)."""
    item, bookings = _programme().add_item(str(event_id), data, principal())
    return _item_body(item, bookings, [])


@events.blueprint.route("/<uuid:event_id>/programme", methods=["GET"])
@require(*EVENT_READERS)
@events.blueprint.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(events.blueprint, ItemOut)
def programme(query: dict[str, Any], event_id: Any) -> Any:
    """The programme in time order with bookings and cost lines."""
    return answer_page(
        [
            _item_body(line["item"], line["bookings"], line["costs"])
            for line in _programme().programme(str(event_id))
        ],
        query,
    )


@events.blueprint.route("/<uuid:event_id>/programme/<uuid:item_id>", methods=["PATCH"])
@require(*ORGANISERS)
@events.blueprint.arguments(ItemPatch())
@events.blueprint.response(200, ItemOut)
def edit_item(changes: dict[str, Any], event_id: Any, item_id: Any) -> Any:
    """Change a programme item (a new time takes its bookings along; a clash is a 409)."""
    line = _programme().edit_item(str(event_id), str(item_id), changes, principal())
    return _item_body(line["item"], line["bookings"], line["costs"])


@events.blueprint.route("/<uuid:event_id>/programme/<uuid:item_id>", methods=["DELETE"])
@require(*ORGANISERS)
@events.blueprint.response(204)
def remove_item(event_id: Any, item_id: Any) -> None:
    """Remove a programme item and free its resources."""
    _programme().remove_item(str(event_id), str(item_id), principal())
