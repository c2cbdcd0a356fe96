"""Notices in the app: the header's unread count (htmx) and the feed, marked read one by one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from staff_web.security import api, signed_in

blueprint = Blueprint("notices", __name__, url_prefix="/notices")


@blueprint.get("")
@signed_in()
def feed() -> str:
    """My notices, newest first, a page at a time, in my language as notifications wrote
    them."""
    only_unread = request.args.get("unread") == "1"
    cursor = request.args.get("cursor", "").strip() or None
    found = api().feed(only_unread, cursor)
    return render_template(
        "notices/feed.html",
        items=found["items"],
        cursor=cursor,
        next_cursor=found["next_cursor"],
        only_unread=only_unread,
    )


@blueprint.get("/badge")
@signed_in()
def badge() -> str:
    """The header's link with the unread count (htmx loads it; without JS the link stays)."""
    return render_template("notices/badge.html", unread=api().unread_count())


@blueprint.post("/<uuid:item_id>/read")
@signed_in()
def mark_read(item_id: Any) -> Any:
    """Mark one notice read; htmx swaps the item, a plain form returns to the feed."""
    item = api().mark_read(str(item_id))
    if request.headers.get("HX-Request"):
        return render_template("notices/item.html", item=item)
    return redirect(url_for("notices.feed"))
