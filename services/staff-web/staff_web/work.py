"""Plain rules of the desks: how near a due date is, and a reply's circuit from its history.

No Flask, no network: the pages give the services' answers and today's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DUE_SOON_DAYS = 3
CLOSED_STATUSES = ("answered", "closed", "archived", "voided", "not_ours", "done", "cancelled")


def due_state(due: str | date | None, today: date, status: str | None = None) -> str | None:
    """``overdue``, ``due_soon`` (within three days) or ``None``; finished work has none."""
    if not due or status in CLOSED_STATUSES:
        return None
    day = date.fromisoformat(due) if isinstance(due, str) else due
    if day < today:
        return "overdue"
    if (day - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return None


@dataclass
class Round:
    """One submission of a reply draft and what the endorsers did with it."""

    submitted_at: str
    approvals: list[dict[str, Any]] = field(default_factory=list)
    returned: dict[str, Any] | None = None
    approved: bool = False


def circuit_rounds(history: Iterable[Mapping[str, Any]]) -> list[Round]:
    """The reply's rounds from routing's history, oldest first.

    A round starts when the letter goes to ``awaiting_endorsement``; each
    ``endorsed`` entry is an approved step (numbered from 1, as the history
    keeps it); going back to ``in_progress`` is a return, its reason the
    endorser's comment; ``reply_approved`` (the last approval) ends the circuit approved.
    """
    rounds: list[Round] = []
    for entry in history:
        details = entry.get("details") or {}
        if entry.get("action") == "status" and details.get("to") == "awaiting_endorsement":
            rounds.append(Round(submitted_at=entry["at"]))
        elif not rounds:
            continue
        elif entry.get("action") == "endorsed":
            rounds[-1].approvals.append(
                {
                    "step": details.get("step"),
                    "role": details.get("role"),
                    "actor": entry.get("actor"),
                    "at": entry["at"],
                }
            )
        elif (
            entry.get("action") == "status"
            and details.get("from") == "awaiting_endorsement"
            and details.get("to") == "in_progress"
        ):
            rounds[-1].returned = {
                "actor": entry.get("actor"),
                "at": entry["at"],
                "comment": details.get("reason"),
            }
        elif entry.get("action") == "reply_approved":
            rounds[-1].approved = True
    return rounds


def namings(history: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Who was named to do the letter, newest first: each naming's executor, their own due
    date and instructions, who named them and when, and whom they replaced.

    A re-routing to another department ends the namings before it (its head names anew).
    """
    found: list[dict[str, Any]] = []
    for entry in history:
        details = entry.get("details") or {}
        if entry.get("action") == "routed":
            found = []
        elif entry.get("action") == "assigned":
            found.append(
                {
                    "executor": details.get("executor"),
                    "previous_executor": details.get("previous_executor"),
                    "due_date": details.get("due_date"),
                    "instructions": details.get("instructions"),
                    "by": entry.get("actor"),
                    "at": entry["at"],
                }
            )
    return found[::-1]


def on_time_series(
    lines: Sequence[Mapping[str, Any]],
) -> tuple[list[str], dict[str, list[int | None]]]:
    """The months and, per department, the on-time rate in whole percent (None: nothing
    answered that month)."""
    months = sorted({str(line["month"]) for line in lines})
    rates: dict[str, list[int | None]] = {}
    for line in lines:
        row = rates.setdefault(line["department"], [None] * len(months))
        rate = line.get("on_time_rate")
        row[months.index(str(line["month"]))] = None if rate is None else round(rate * 100)
    return months, dict(sorted(rates.items()))
