"""The file plan as a tree: each case file under its parent, in code order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Intake names a wrong cell of an imported plan ``row N.column`` (decision 50).
CELL = re.compile(r"^import\.row (?P<row>\d+)(?:\.(?P<column>[a-z_]+))?$")


@dataclass
class PlanNode:
    """A case file of the plan and the files under it."""

    file: dict[str, Any]
    children: list[PlanNode] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        """A file with sub-files groups them; letters are filed in the sub-files."""
        return bool(self.children)


def plan_tree(files: list[dict[str, Any]]) -> list[PlanNode]:
    """Intake's flat plan (each file naming its ``parent`` code) as top-level nodes.

    A file whose parent is not in the list is shown at the top rather than lost.
    """
    nodes = {item["code"]: PlanNode(item) for item in files}
    roots: list[PlanNode] = []
    for item in files:
        parent = nodes.get(item.get("parent") or "")
        (parent.children if parent is not None else roots).append(nodes[item["code"]])
    return roots


def fileable(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open files a letter may be filed in: not closed, not a heading."""
    parents = {item.get("parent") for item in files}
    return [item for item in files if not item.get("closed_at") and item["code"] not in parents]


@dataclass(frozen=True)
class CellError:
    """A wrong cell of an imported plan: its row, its column (none: the whole row), why."""

    row: int
    column: str | None
    reasons: list[str]


def cell_errors(errors: dict[str, list[str]]) -> list[CellError]:
    """The import's refusals that name a cell, in row order, for the table of errors."""
    found = [(CELL.match(name), reasons) for name, reasons in errors.items()]
    return sorted(
        (
            CellError(int(match["row"]), match["column"], reasons)
            for match, reasons in found
            if match
        ),
        key=lambda error: error.row,
    )
