"""Intake's rules in plain Python: who may read what, access codes, scans, statistics."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from string import Formatter
from typing import Protocol

from chancery.auth import Principal

# No 0/O or 1/I: citizens type this code from paper.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 10

# Content signatures of what may be attached: scans and documents, no archives.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
TEXT_CONTROLS = frozenset(b"\t\n\r\f")
# The extensions each detected type is saved and downloaded with (the first is the usual one).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/tiff": (".tif", ".tiff"),
    "text/plain": (".txt",),
}


class Readable(Protocol):
    """What the read rule needs to know about a letter."""

    confidentiality: str
    department_code: str | None
    addressee_department_code: str | None
    endorser_role: str | None

    @property
    def copy_department_codes(self) -> list[str]: ...


def can_read(principal: Principal, letter: Readable) -> bool:
    """Whether ``principal`` may read ``letter`` (see :meth:`Principal.may_see`).

    The approver a running endorsement circuit waits for (``endorser_role``, as
    routing announced it) reads the letter too, when cleared for its level.
    """
    if letter.endorser_role and principal.has_any(letter.endorser_role) \
            and principal.cleared_for(letter.confidentiality):
        return True
    return principal.may_see(letter.confidentiality, [
        letter.department_code, letter.addressee_department_code,
        *letter.copy_department_codes])


def new_access_code() -> str:
    """A random status-lookup code for the citizen (about 50 bits)."""
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def hash_access_code(code: str) -> str:
    """The stored form of an access code (the code itself is never stored)."""
    normalised = re.sub(r"[\s-]", "", code).upper()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# Compared with when a number has no code, so both answers take the same work.
_NO_CODE_HASH = "0" * 64


def access_code_matches(code: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of a typed code with the stored hash (or with nothing)."""
    matches = hmac.compare_digest(hash_access_code(code), stored_hash or _NO_CODE_HASH)
    return stored_hash is not None and matches


def detect_media_type(head: bytes) -> str | None:
    """The type of a file from its first bytes, if it is on the allow-list.

    Plain text is allowed when it is valid UTF-8 without control bytes other
    than tab, line breaks and form feed (which rules out archives and binaries).
    """
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head and not any((byte < 0x20 and byte not in TEXT_CONTROLS) or byte == 0x7F
                        for byte in head):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The sample may end inside a multi-byte character.
            if exc.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def safe_filename(name: str) -> str:
    """A filename without paths or control characters, Unicode letters kept."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    return cleaned[:200] or "attachment"


def named_for_type(filename: str, media_type: str) -> str:
    """``filename`` with the extension of the type its content was detected as.

    A scan sent as ``invitation.html`` that is plain text is saved as
    ``invitation.txt``: the name a download gets never makes a browser or a
    desktop open it as something other than what was checked.
    """
    extensions = EXTENSIONS[media_type]
    stem, dot, extension = filename.rpartition(".")
    if dot and stem and f".{extension.lower()}" in extensions:
        return filename
    base = stem if dot and stem else filename
    return base[:200 - len(extensions[0])] + extensions[0]


def takes_status(current_status: str, current_at: datetime, new_at: datetime) -> bool:
    """Whether a status event from the workflow should replace the mirrored status.

    Events can arrive out of order after redeliveries: an older change never
    overwrites a newer one, and intake's own final decisions (voided, not
    ours, archived) are not undone by the workflow.
    """
    if current_status in ("voided", "not_ours", "archived"):
        return False
    return new_at >= current_at


@dataclass(frozen=True)
class Period:
    """One bucket of the statistics: its label and its local days ``[first, after)``."""

    label: str
    first: date
    after: date


@dataclass(frozen=True)
class TallyGroup:
    """How many letters of one period share a kind, addressee, status and channel."""

    period: str
    kind: str
    addressee_kind: str | None
    status: str
    channel: str | None
    count: int


def period_of(day: date, group: str) -> str:
    """The bucket a day falls in: ISO week ``2026-W47`` or month ``2026-11``."""
    if group == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{day.year}-{day.month:02d}"


def periods(start: date, end: date, group: str) -> list[Period]:
    """The weeks (Monday first) or months covering ``start``..``end``, cut to that range.

    Local days, oldest first: the database counts each period between the UTC
    instants of its first local midnight and the next period's, so a letter
    falls in the period of its local date whatever the UTC offset that day.
    """
    found = []
    first = start
    while first <= end:
        if group == "week":
            after = first + timedelta(days=7 - first.weekday())
        else:
            after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        after = min(after, end + timedelta(days=1))
        found.append(Period(period_of(first, group), first, after))
        first = after
    return found


def tally(groups: Iterable[TallyGroup]) -> list[dict]:
    """Counts by kind, addressee, status and channel per period, oldest first."""
    buckets: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"kind": Counter(), "addressee": Counter(), "status": Counter(),
                 "channel": Counter()})
    totals: Counter = Counter()
    for group in groups:
        totals[group.period] += group.count
        bucket = buckets[group.period]
        bucket["kind"][group.kind] += group.count
        bucket["addressee"][group.addressee_kind or "none"] += group.count
        bucket["status"][group.status] += group.count
        bucket["channel"][group.channel or "none"] += group.count
    return [
        {"period": period, "total": totals[period],
         **{name: dict(sorted(counter.items())) for name, counter in buckets[period].items()}}
        for period in sorted(buckets)
    ]


def registration_number_pattern(number_formats: Iterable[str]) -> re.Pattern[str]:
    """What the registers' numbers look like (``G-{year}-{seq:05d}`` is ``G-\\d{4}-\\d+``).

    A search text of this shape is a number lookup (one index probe), never
    also a text match that would scan the book; case is ignored as clerks type it.
    """
    shapes = []
    for number_format in number_formats:
        shape = ""
        for literal, field, _spec, _conversion in Formatter().parse(number_format):
            shape += re.escape(literal)
            if field == "year":
                shape += r"\d{4}"
            elif field is not None:
                shape += r"\d+"
        shapes.append(shape)
    return re.compile("|".join(f"(?:{shape})" for shape in shapes) or "(?!)", re.IGNORECASE)
