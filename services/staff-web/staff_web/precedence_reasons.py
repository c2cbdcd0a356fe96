"""A seat's or speech's reason in the reader's language, from protocol-events' codes.

protocol-events explains every place as codes and parameters (``explanation``,
decision 0058): what put the person there (``why``), where they sit (``where``),
ranks as names per language and other people by name. The sentences are this app's
catalogue's; a code it does not know falls back to the service's English ``reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext

WHY = {
    "host": lazy_gettext("the host (%(rank)s) sits at the centre"),
    "host_opens": lazy_gettext("the host opens"),
    "guest_of_honour": lazy_gettext(
        "the host's guest of honour (%(rank)s) comes before every rank"
    ),
    "unlisted_rank": lazy_gettext(
        "rank “%(rank)s” is not in the protocol list, so after every listed rank"
    ),
    "ranks_above": lazy_gettext("%(rank)s ranks above %(other_rank)s in the protocol list"),
    "ranks_below": lazy_gettext("%(rank)s ranks below %(other_rank)s in the protocol list"),
    "same_rank_guest_first": lazy_gettext(
        "same rank as %(other)s (%(rank)s); guests precede their hosts"
    ),
    "same_rank_by_name": lazy_gettext(
        "same rank as %(other)s (%(rank)s); alphabetical order of names"
    ),
    "same_rank_as_guest_of_honour": lazy_gettext(
        "same rank as %(other)s (%(rank)s), the host's guest of honour, who comes first"
    ),
    "only_of_listed_rank": lazy_gettext("%(rank)s, the only participant of a listed rank"),
}
WHERE = {
    ("beside", "right", "host"): lazy_gettext("seated right of the host"),
    ("beside", "left", "host"): lazy_gettext("seated left of the host"),
    ("beside", "right", "centre"): lazy_gettext("seated right of the centre"),
    ("beside", "left", "centre"): lazy_gettext("seated left of the centre"),
    ("further", "right", "host"): lazy_gettext("in seat %(pair)s to the right of the host"),
    ("further", "left", "host"): lazy_gettext("in seat %(pair)s to the left of the host"),
    ("further", "right", "centre"): lazy_gettext("in seat %(pair)s to the right of the centre"),
    ("further", "left", "centre"): lazy_gettext("in seat %(pair)s to the left of the centre"),
}
CENTRE = lazy_gettext("sits at the centre")
PLACE = lazy_gettext("No. %(position)s: %(why)s")
PLACE_AND_SEAT = lazy_gettext("No. %(position)s: %(why)s; %(where)s")


def _name_in(names: Any, language: str) -> str:
    if isinstance(names, Mapping):
        return str(names.get(language) or names.get("en") or next(iter(names.values()), ""))
    return str(names or "")


def _where(explanation: Mapping[str, Any]) -> str | None:
    where = explanation.get("where")
    if where is None or explanation.get("why") == "host":
        return None
    if where == "centre":
        return str(CENTRE)
    text = WHERE.get((str(where), str(explanation.get("side")), str(explanation.get("of"))))
    return None if text is None else str(text) % {"pair": explanation.get("pair")}


def place_reason(place: Mapping[str, Any], language: str) -> str:
    """Why a participant has their place, in ``language`` (the service's English reason
    when the explanation uses a code this app does not know)."""
    explanation = place.get("explanation") or {}
    why = WHY.get(str(explanation.get("why")))
    if why is None:
        return str(place.get("reason") or "")
    values = {
        "rank": _name_in(explanation.get("rank"), language),
        "other_rank": _name_in(explanation.get("other_rank"), language),
        "other": explanation.get("other") or "",
    }
    text = str(why) % values
    where = _where(explanation)
    if where is None:
        return str(PLACE) % {"position": explanation.get("position"), "why": text}
    return str(PLACE_AND_SEAT) % {
        "position": explanation.get("position"),
        "why": text,
        "where": where,
    }
