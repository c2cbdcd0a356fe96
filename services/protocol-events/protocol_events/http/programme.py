"""An event's programme items."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.security import principal
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.programme import ItemIn, ItemOut, ItemPatch
from protocol_events.permissions import ORGANISERS
from protocol_events.usecases.programme import Programme

_programme = use_case("programme", Programme)

PROGRAMME = f"{ONE}/programme"
ITEM = f"{PROGRAMME}/<uuid:item_id>"


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


@events.creation(ItemIn, ItemOut, roles=ORGANISERS, path=PROGRAMME, idempotent=False)
def add_item(data: dict[str, Any], event_id: Any) -> Any:
    """Add a programme item and book its resources (a clash refuses the whole item)."""
    item, bookings = _programme().add_item(str(event_id), data, principal())
    return _item_body(item, bookings, [])


@events.listing(PageQuery, ItemOut, path=PROGRAMME)
def programme(query: dict[str, Any], event_id: Any) -> Any:
    """The programme in time order with bookings and cost lines."""
    return answer_page(
        [
            _item_body(line["item"], line["bookings"], line["costs"])
            for line in _programme().programme(str(event_id))
        ],
        query,
    )


@events.action(ITEM, ItemPatch, ItemOut, roles=ORGANISERS, method="PATCH")
def edit_item(changes: dict[str, Any], event_id: Any, item_id: Any) -> Any:
    """Change a programme item (a new time takes its bookings along; a clash is a 409)."""
    line = _programme().edit_item(str(event_id), str(item_id), changes, principal())
    return _item_body(line["item"], line["bookings"], line["costs"])


@events.action(ITEM, None, None, roles=ORGANISERS, method="DELETE", status=204)
def remove_item(event_id: Any, item_id: Any) -> None:
    """Remove a programme item and free its resources."""
    _programme().remove_item(str(event_id), str(item_id), principal())
