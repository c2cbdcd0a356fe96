"""The file plan (nomenclature): a municipality's case files for one year, as plain rules.

A plan is imported from CSV (one row per case file: ``code``, ``parent``,
``title``, ``department``, ``retention`` — a number of years or
``permanent`` —, ``legal_basis``, ``medium`` and the letter ``kinds`` the file
takes by default). Every letter is filed in one case file of its year; the
registry proposes one from the letter's department and kind. When the year
is closed its files take no more letters, and retention counts from
1 January of the following year (decision 50).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chancery.errors import InvalidInput
from chancery.profiles import Profile
from chancery.vocabulary import LETTER_KINDS, OUTGOING_KINDS

SHIPPED_PLANS = Path(__file__).parents[1] / "file_plans"
COLUMNS = ("code", "parent", "title", "department", "retention", "legal_basis", "medium", "kinds")
MEDIA = ("paper", "electronic", "mixed")
PERMANENT = "permanent"
# Files kept longer than this go to the archive like permanent ones (LT "ilgai saugomi").
LONG_TERM_YEARS = 10
MAX_RETENTION_YEARS = 100
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,49}$")
KINDS = frozenset(LETTER_KINDS + OUTGOING_KINDS)


@dataclass(frozen=True)
class PlannedFile:
    """One case file of a plan as imported, before it is stored for a year."""

    code: str
    parent: str | None
    title: str
    department: str
    retention_years: int | None  # None: kept permanently
    legal_basis: str
    medium: str
    kinds: tuple[str, ...]


def parse_plan(text: str, profile: Profile) -> list[PlannedFile]:
    """The case files of a CSV plan, checked; the first wrong cell is answered as ``row N.column``.

    Codes are unique, a parent is a file listed earlier, the department is
    one of the profile's, the retention is whole years (1–100) or ``permanent``.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or tuple(reader.fieldnames) != COLUMNS:
        raise InvalidInput(
            f"The first line must be the header {','.join(COLUMNS)}.",
            field="header",
            reason=f"must be {','.join(COLUMNS)}",
        )
    planned: dict[str, PlannedFile] = {}
    for number, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            raise _cell(number, "row", f"needs exactly {len(COLUMNS)} cells")
        cells = {key: value.strip() for key, value in row.items()}
        code = cells["code"]
        if not CODE.match(code):
            raise _cell(number, "code", "letters, digits, '.' and '-', at most 50")
        if code in planned:
            raise _cell(number, "code", f"{code} is listed twice")
        parent = cells["parent"] or None
        if parent is not None and parent not in planned:
            raise _cell(number, "parent", f"{parent} is not a file listed above")
        if not 1 <= len(cells["title"]) <= 500:
            raise _cell(number, "title", "required, at most 500 characters")
        if profile.department(cells["department"]) is None:
            raise _cell(
                number, "department", f"no department {cells['department']} in {profile.code}"
            )
        if not 1 <= len(cells["legal_basis"]) <= 500:
            raise _cell(number, "legal_basis", "required, at most 500 characters")
        if cells["medium"] not in MEDIA:
            raise _cell(number, "medium", f"one of {', '.join(MEDIA)}")
        kinds = tuple(kind for kind in cells["kinds"].split() if kind)
        if any(kind not in KINDS for kind in kinds):
            raise _cell(
                number, "kinds", f"space-separated letter kinds: {', '.join(sorted(KINDS))}"
            )
        planned[code] = PlannedFile(
            code=code,
            parent=parent,
            title=cells["title"],
            department=cells["department"],
            retention_years=_retention(number, cells["retention"]),
            legal_basis=cells["legal_basis"],
            medium=cells["medium"],
            kinds=kinds,
        )
    if not planned:
        raise InvalidInput("The plan lists no case file.", field="row 2", reason="missing")
    return list(planned.values())


def _retention(number: int, value: str) -> int | None:
    if value == PERMANENT:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_RETENTION_YEARS:
        raise _cell(number, "retention", f"whole years 1–{MAX_RETENTION_YEARS} or {PERMANENT}")
    return int(value)


def _cell(number: int, column: str, reason: str) -> InvalidInput:
    return InvalidInput(
        f"Row {number}, {column}: {reason}.", field=f"row {number}.{column}", reason=reason
    )


def shipped_plan(profile: Profile) -> str:
    """The invented plan shipped for a profile, as CSV text (``file_plans/<code>.csv``)."""
    path = SHIPPED_PLANS / f"{profile.code}.csv"
    if not path.is_file():
        raise InvalidInput(
            f"No plan is shipped for {profile.code}; import one as CSV.",
            field="profile",
            reason="no shipped plan",
        )
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class FileChoice:
    """What the proposal needs of a stored case file."""

    code: str
    department: str
    kinds: tuple[str, ...]


def propose(files: Iterable[FileChoice], department: str | None, kind: str) -> str | None:
    """The case file a new letter goes to: its department's file for its kind, else the
    department's general file (one that names no kinds); none without a department."""
    if department is None:
        return None
    general = None
    for choice in sorted(files, key=lambda item: item.code):
        if choice.department != department:
            continue
        if kind in choice.kinds:
            return choice.code
        if not choice.kinds and general is None:
            general = choice.code
    return general


def retention_starts(year: int) -> date:
    """Retention counts from 1 January after the year the file was closed."""
    return date(year + 1, 1, 1)


def retention_ends(year: int, retention_years: int | None) -> date | None:
    """The first day the file may be destroyed; ``None`` for a permanent file."""
    if retention_years is None:
        return None
    return date(year + 1 + retention_years, 1, 1)


def goes_to_archive(retention_years: int | None) -> bool:
    """Permanent and long-term files are transferred to the archive, not destroyed."""
    return retention_years is None or retention_years > LONG_TERM_YEARS
