"""Order of precedence: seating and speaking order, with the reason for every place.

The protocol list is an ordered list of ranks (a default ships in
``data/precedence.json``; a protocol officer replaces it over the API). Among
participants the host's guest of honour comes first, then ranks in the
list's order; at equal rank guests precede their hosts, and then names sort
alphabetically, case- and diacritics-insensitively in every script (ties in
Lithuanian, Latvian, Georgian or Albanian names are broken by the folded
name, then the exact name, so "Čepaitė" sits beside "Cepaitė", not after "Z").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from chancery.text import fold


@dataclass(frozen=True)
class Rank:
    """One rank of the protocol list: a code and its names per language."""

    code: str
    names: dict[str, str]

    @property
    def label(self) -> str:
        """The English name (used in explanations), else the code."""
        return self.names.get("en") or self.code.replace("_", " ")


@dataclass(frozen=True)
class Seatable:
    """What ordering needs to know about a participant."""

    participant_id: str
    name: str
    rank: str | None
    guest: bool
    host: bool = False
    guest_of_honour: bool = False
    speaks: bool = False


@dataclass(frozen=True)
class Place:
    """A participant's place in the seating or speaking order, and why."""

    position: int
    participant_id: str
    name: str
    rank: str | None
    seat: str
    reason: str
    # The reason as codes and parameters, for a reader in any language (decision 0058):
    # ``why`` and ``where`` are codes, the rest their parameters (ranks as names per
    # language, other people by name).
    explanation: dict[str, Any]


def default_ranks() -> list[Rank]:
    """The protocol list shipped with the package."""
    raw = json.loads(
        resources.files("protocol_events")
        .joinpath("data/precedence.json")
        .read_text(encoding="utf-8")
    )
    return ranks_from(raw["ranks"])


def ranks_from(raw: Sequence[dict[str, Any]]) -> list[Rank]:
    """Ranks from their JSON form; a repeated code is refused (ValueError)."""
    ranks = [Rank(code=item["code"], names=dict(item.get("names") or {})) for item in raw]
    codes = [rank.code for rank in ranks]
    if len(set(codes)) != len(codes):
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        raise ValueError(f"rank codes repeat: {', '.join(repeated)}")
    return ranks


def name_key(name: str) -> tuple[str, str]:
    """A script-independent sort key for names: folded first, the exact text breaks ties."""
    return fold(name), name


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st ..."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


class Precedence:
    """Orders participants by a protocol list and explains each place."""

    def __init__(self, ranks: Sequence[Rank]) -> None:
        self.ranks = list(ranks)
        self._index = {rank.code: i for i, rank in enumerate(self.ranks)}
        self._by_code = {rank.code: rank for rank in self.ranks}

    def label(self, code: str | None) -> str:
        """The rank's English name, or the code as given when the list does not know it."""
        if code in self._by_code:
            return self._by_code[code].label
        return code or "no rank"

    def _key(self, person: Seatable) -> tuple[Any, ...]:
        return (
            not person.guest_of_honour,
            self._index.get(person.rank or "", len(self.ranks)),
            not person.guest,
            *name_key(person.name),
            person.participant_id,
        )

    def ordered(self, people: Sequence[Seatable]) -> list[Seatable]:
        """Everyone but the host, highest precedence first."""
        return sorted(people, key=self._key)

    def host_of(self, people: Sequence[Seatable]) -> Seatable | None:
        """The host: the highest-ranking participant marked as host, if any."""
        hosts = [person for person in people if person.host]
        return self.ordered(hosts)[0] if hosts else None

    def seating(self, people: Sequence[Seatable]) -> list[Place]:
        """Seats from the centre outwards: host, then right and left of the host alternately."""
        host = self.host_of(people)
        others = self.ordered([p for p in people if p is not host])
        places: list[Place] = []
        centre = "host" if host else "centre"
        if host is not None:
            places.append(
                self._place(
                    1,
                    host,
                    "centre",
                    {"why": "host", "rank": self._names(host.rank), "where": "centre"},
                )
            )
        for i, person in enumerate(others):
            position = len(places) + 1
            where: dict[str, Any]
            if host is None and i == 0:
                seat, where = "centre", {"where": "centre"}
            else:
                offset = i if host is not None else i - 1
                side = "right" if offset % 2 == 0 else "left"
                pair = offset // 2 + 1
                seat = f"{side} {pair}"
                where = {
                    "where": "beside" if pair == 1 else "further",
                    "side": side,
                    "pair": pair,
                    "of": centre,
                }
            places.append(self._place(position, person, seat, {**self._why(others, i), **where}))
        return places

    def speaking(self, people: Sequence[Seatable]) -> list[Place]:
        """Who speaks in which order: the host opens, then speakers by precedence."""
        speakers = [p for p in people if p.speaks or p.host]
        host = self.host_of(speakers)
        others = self.ordered([p for p in speakers if p is not host])
        places: list[Place] = []
        if host is not None:
            places.append(self._place(1, host, "opening", {"why": "host_opens"}))
        for i, person in enumerate(others):
            places.append(self._place(len(places) + 1, person, "speech", self._why(others, i)))
        return places

    def _place(
        self, position: int, person: Seatable, seat: str, explanation: dict[str, Any]
    ) -> Place:
        explanation = {"position": position, **explanation}
        return Place(
            position,
            person.participant_id,
            person.name,
            person.rank,
            seat,
            english_reason(explanation),
            explanation,
        )

    def _names(self, code: str | None) -> dict[str, str]:
        """A rank's names per language (English at least: the label)."""
        known = self._by_code.get(code or "")
        return {**(known.names if known else {}), "en": self.label(code)}

    def _why(self, ordered: Sequence[Seatable], i: int) -> dict[str, Any]:
        person = ordered[i]
        rank = self._names(person.rank)
        if person.guest_of_honour:
            return {"why": "guest_of_honour", "rank": rank}
        if person.rank not in self._index:
            return {"why": "unlisted_rank", "rank": rank}
        neighbour = ordered[i + 1] if i + 1 < len(ordered) else None
        if neighbour is not None and not neighbour.guest_of_honour:
            return self._compare(person, neighbour, above=True)
        previous = ordered[i - 1] if i > 0 else None
        if previous is not None and not previous.guest_of_honour:
            return self._compare(previous, person, above=False)
        honoured = next(
            (other for other in ordered if other.guest_of_honour and other.rank == person.rank),
            None,
        )
        if honoured is not None:
            # Not the only one of the rank: the guest of honour shares it and comes first.
            return {"why": "same_rank_as_guest_of_honour", "other": honoured.name, "rank": rank}
        return {"why": "only_of_listed_rank", "rank": rank}

    def _compare(self, higher: Seatable, lower: Seatable, above: bool) -> dict[str, Any]:
        subject, other = (higher, lower) if above else (lower, higher)
        if higher.rank != lower.rank:
            return {
                "why": "ranks_above" if above else "ranks_below",
                "rank": self._names(subject.rank),
                "other_rank": self._names(other.rank),
            }
        why = "same_rank_guest_first" if higher.guest != lower.guest else "same_rank_by_name"
        return {"why": why, "other": other.name, "rank": self._names(subject.rank)}


def _where_english(explanation: dict[str, Any]) -> str | None:
    where = explanation.get("where")
    if where is None:
        return None
    if where == "centre":
        return "sits at the centre"
    of = "the host" if explanation["of"] == "host" else "the centre"
    if where == "beside":
        return f"seated {explanation['side']} of {of}"
    return f"seated {ordinal(explanation['pair'])} to the {explanation['side']} of {of}"


_WHY_ENGLISH = {
    "host": "the host ({rank}) sits at the centre",
    "host_opens": "the host opens",
    "guest_of_honour": "the host's guest of honour ({rank}) comes before every rank",
    "unlisted_rank": "rank “{rank}” is not in the protocol list, so after every listed rank",
    "ranks_above": "{rank} ranks above {other_rank} in the protocol list",
    "ranks_below": "{rank} ranks below {other_rank} in the protocol list",
    "same_rank_guest_first": "same rank as {other} ({rank}); guests precede their hosts",
    "same_rank_by_name": "same rank as {other} ({rank}); alphabetical order of names",
    "same_rank_as_guest_of_honour": (
        "same rank as {other} ({rank}), the host's guest of honour, who comes first"
    ),
    "only_of_listed_rank": "{rank}, the only participant of a listed rank",
}


def english_reason(explanation: dict[str, Any]) -> str:
    """A place's explanation as the English sentence department systems read."""
    values = {
        key: value["en"] if isinstance(value, dict) else value for key, value in explanation.items()
    }
    why = _WHY_ENGLISH[explanation["why"]].format(**values)
    text = f"{ordinal(explanation['position'])}: {why}"
    where = _where_english(explanation)
    if where and explanation["why"] == "host":
        return text
    return f"{text}; {where}" if where else text
