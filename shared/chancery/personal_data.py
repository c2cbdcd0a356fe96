"""People's rights (GDPR): the person a request is about, and the shape of each service's answer.

A data protection officer asks intake (the owner of the requests, decision
60) what the five services hold about a person, named by name, e-mail or
phone, or to erase it. Each service matches its records with the same
:class:`Person` rules, answers with :func:`record` and :func:`outcome`
entries, and caps its answer with :func:`capped` so no message comes near
the broker's limits.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from chancery.messages.contracts import people

ACTIONS = ("access", "erase", "restrict")
# An answer's records, as JSON, stay under this size; what does not fit is left out and the
# answer says so (``truncated``). RabbitMQ's own limit is 128 MiB; a part this size also
# stays quick to store and to print.
MAX_PART_BYTES = 256 * 1024
ERASED = "erased"
RESTRICTED = "restricted"
KEPT = "kept"
# Why a record goes on being processed although restriction was asked (GDPR Art. 18(2)).
PROCESSING_GOES_ON = (
    "Processed for the municipality's public task or a legal obligation, "
    "which a restriction does not stop (GDPR Art. 18(2)); the restriction "
    "is recorded with the request."
)
ERASED_TEXT = "—"
Item = TypeVar("Item")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class Person:
    """Who a request is about: any of a name, an e-mail address and a phone number.

    A name matches the same name (case and Unicode composition aside) or a
    text that mentions it; an e-mail the same address; a phone the same
    digits (spaces, dashes and a leading ``+`` aside).
    """

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Person:
        """The person named in a request's ``person`` object."""
        return cls(
            payload.get("name") or None, payload.get("email") or None, payload.get("phone") or None
        )

    def as_payload(self) -> dict[str, str | None]:
        """The person as a message's ``person`` object."""
        return {"name": self.name, "email": self.email, "phone": self.phone}

    def is_named(self, name: str | None) -> bool:
        """Whether ``name`` is this person's name."""
        return bool(self.name and name and _folded(name) == _folded(self.name))

    def has_email(self, email: str | None) -> bool:
        """Whether ``email`` is this person's address."""
        return bool(self.email and email and _folded(email) == _folded(self.email))

    def has_phone(self, phone: str | None) -> bool:
        """Whether ``phone`` is this person's number (at least six digits to count)."""
        mine = _digits(self.phone or "")
        return len(mine) >= 6 and _digits(phone or "") == mine

    def matches(
        self, name: str | None = None, email: str | None = None, phone: str | None = None
    ) -> bool:
        """Whether a record with this name, e-mail or phone is about this person."""
        return self.is_named(name) or self.has_email(email) or self.has_phone(phone)

    def mentioned_in(self, *texts: str | None) -> bool:
        """Whether any of ``texts`` names this person (by name, e-mail or phone)."""
        needles = [_folded(value) for value in (self.name, self.email) if value]
        for text in texts:
            if not text:
                continue
            folded = _folded(text)
            if any(needle in folded for needle in needles):
                return True
            if len(_digits(self.phone or "")) >= 6 and _digits(self.phone or "") in _digits(text):
                return True
        return False


def record(
    kind: str, reference: str, data: Mapping[str, Any], confidentiality: str = "normal"
) -> dict[str, Any]:
    """One record a service holds about the person: its kind, what people call it, its data.

    Values are turned into text (dates in ISO form) so the answer is plain JSON.
    """
    return {
        "kind": kind,
        "reference": reference,
        "confidentiality": confidentiality,
        "data": {key: _plain(value) for key, value in data.items() if value not in (None, "")},
    }


def outcome(
    kind: str, reference: str, done: bool, reason: str | None = None, action: str = "erase"
) -> dict[str, Any]:
    """What a service did with one record asked to be erased (or restricted): done, or kept
    as it was and why."""
    done_as = RESTRICTED if action == "restrict" else ERASED
    return {
        "kind": kind,
        "reference": reference,
        "outcome": done_as if done else KEPT,
        "reason": reason,
    }


def ended(
    items: Iterable[Item],
    kind: str,
    reference: Callable[[Item], str],
    still_in_use: Callable[[Item], bool],
    reason: str,
    outcomes: list[dict[str, Any]],
) -> Iterator[tuple[Item, str]]:
    """The ``items`` whose use has ended, each with its reference: what a request may erase
    or restrict.

    One ``still_in_use`` (an upcoming visit, a trip not back) goes on as it is: a
    ``kind`` outcome kept for ``reason`` is put in ``outcomes``, in its place among
    the others the caller appends.
    """
    for item in items:
        ref = reference(item)
        if still_in_use(item):
            outcomes.append(outcome(kind, ref, False, reason))
        else:
            yield item, ref


def processing_goes_on(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The restriction outcomes of records whose processing the law keeps going."""
    return [
        outcome(entry["kind"], entry["reference"], False, PROCESSING_GOES_ON, "restrict")
        for entry in records
    ]


def capped(
    entries: Iterable[dict[str, Any]], limit: int = MAX_PART_BYTES
) -> tuple[list[dict[str, Any]], bool]:
    """The entries that fit in ``limit`` bytes of JSON, in order, and whether any were left out."""
    kept: list[dict[str, Any]] = []
    size = 2
    for entry in entries:
        size += len(json.dumps(entry, ensure_ascii=False).encode()) + 1
        if size > limit:
            return kept, True
        kept.append(entry)
    return kept, False


def answer(
    request: people.PersonalDataRequestedV1,
    gather: Callable[[Person], Iterable[dict[str, Any]]],
    erase: Callable[[Person], Iterable[dict[str, Any]]],
    now: datetime,
    restrict: Callable[[Person], Iterable[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """A service's ``personal_data.answered`` payload for ``personal_data.requested``.

    ``gather`` lists the service's :func:`record` s about the person,
    ``erase`` erases what it may and lists an :func:`outcome` per record,
    ``restrict`` restricts what it may (without it, every record's
    processing goes on, see :func:`processing_goes_on`).
    """
    named = request.person
    person = Person(named.name or None, named.email or None, named.phone or None)
    action = request.action
    if action == "access":
        found = gather(person)
    elif action == "erase":
        found = erase(person)
    else:
        found = restrict(person) if restrict else processing_goes_on(gather(person))
    entries, truncated = capped(found)
    return {
        "request_number": request.request_number,
        "action": action,
        "records": entries if action == "access" else [],
        "outcomes": [] if action == "access" else entries,
        "truncated": truncated,
        "answered_at": now,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
