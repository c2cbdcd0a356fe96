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


def default_ranks() -> list[Rank]:
    """The protocol list shipped with the package."""
    raw = json.loads(resources.files("protocol_events").joinpath("data/precedence.json")
                     .read_text(encoding="utf-8"))
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
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
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
        return (not person.guest_of_honour, self._index.get(person.rank or "", len(self.ranks)),
                not person.guest, *name_key(person.name), person.participant_id)

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
        centre = "the host" if host else "the centre"
        if host is not None:
            places.append(Place(1, host.participant_id, host.name, host.rank,
                                "centre", f"1st: the host ({self.label(host.rank)}) "
                                          "sits at the centre"))
        for i, person in enumerate(others):
            position = len(places) + 1
            if host is None and i == 0:
                seat, where = "centre", "sits at the centre"
            else:
                offset = i if host is not None else i - 1
                side = "right" if offset % 2 == 0 else "left"
                pair = offset // 2 + 1
                seat = f"{side} {pair}"
                where = (f"seated {side} of {centre}" if pair == 1
                         else f"seated {ordinal(pair)} to the {side} of {centre}")
            why = self._why(others, i)
            places.append(Place(position, person.participant_id, person.name, person.rank,
                                seat, f"{ordinal(position)}: {why}; {where}"))
        return places

    def speaking(self, people: Sequence[Seatable]) -> list[Place]:
        """Who speaks in which order: the host opens, then speakers by precedence."""
        speakers = [p for p in people if p.speaks or p.host]
        host = self.host_of(speakers)
        others = self.ordered([p for p in speakers if p is not host])
        places: list[Place] = []
        if host is not None:
            places.append(Place(1, host.participant_id, host.name, host.rank, "opening",
                                "1st: the host opens"))
        for i, person in enumerate(others):
            position = len(places) + 1
            places.append(Place(position, person.participant_id, person.name, person.rank,
                                "speech", f"{ordinal(position)}: {self._why(others, i)}"))
        return places

    def _why(self, ordered: Sequence[Seatable], i: int) -> str:
        person = ordered[i]
        label = self.label(person.rank)
        if person.guest_of_honour:
            return f"the host's guest of honour ({label}) comes before every rank"
        if person.rank not in self._index:
            return (f"rank “{label}” is not in the protocol list, so after every listed "
                    "rank")
        neighbour = ordered[i + 1] if i + 1 < len(ordered) else None
        if neighbour is not None and not neighbour.guest_of_honour:
            return self._compare(person, neighbour, above=True)
        previous = ordered[i - 1] if i > 0 else None
        if previous is not None and not previous.guest_of_honour:
            return self._compare(previous, person, above=False)
        honoured = next((other for other in ordered
                         if other.guest_of_honour and other.rank == person.rank), None)
        if honoured is not None:
            # Not the only one of the rank: the guest of honour shares it and comes first.
            return (f"same rank as {honoured.name} ({label}), the host's guest of honour, "
                    "who comes first")
        return f"{label}, the only participant of a listed rank"

    def _compare(self, higher: Seatable, lower: Seatable, above: bool) -> str:
        subject, other = (higher, lower) if above else (lower, higher)
        if higher.rank != lower.rank:
            if above:
                return (f"{self.label(higher.rank)} ranks above {self.label(lower.rank)} "
                        "in the protocol list")
            return (f"{self.label(lower.rank)} ranks below {self.label(higher.rank)} "
                    "in the protocol list")
        same = f"same rank as {other.name} ({self.label(subject.rank)})"
        if higher.guest != lower.guest:
            return f"{same}; guests precede their hosts"
        return f"{same}; alphabetical order of names"
