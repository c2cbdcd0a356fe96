"""Routing rules: ordered, first match wins, each decision explained.

A rule's conditions are lists (any of); every condition present must hold.
Subject words match case- and diacritics-insensitively at the start of a
word in any script, so "atliek" finds "atliekų" and "Atliekos", and
"ნაგავ" finds "ნაგავის". A letter no rule takes goes to the department it is
addressed to, or else to the registry's manual triage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chancery.text import fold


@dataclass(frozen=True)
class LetterFacts:
    """What rules look at."""

    kind: str
    addressee_kind: str | None
    addressee_department: str | None
    language: str
    sender_organisation: str | None
    confidentiality: str
    subject: str


@dataclass(frozen=True)
class Rule:
    """A routing rule in its place in the order."""

    id: str
    position: int
    name: str
    match: dict[str, list[str]]
    responsible: str
    copies: tuple[str, ...] = ()
    deadline: Any = "legal"
    _subject: re.Pattern | None = field(default=None, compare=False, repr=False)
    _organisation: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_subject", _words(self.match.get("subject_words", [])))
        object.__setattr__(
            self, "_organisation", _words(self.match.get("sender_organisations", []))
        )

    def explain(self, facts: LetterFacts, folded_subject: str) -> tuple[bool, list[str]]:
        """Whether the rule takes the letter, and why (or why not) in plain words."""
        reasons: list[str] = []
        for condition, value in (
            ("kinds", facts.kind),
            ("addressees", facts.addressee_kind),
            ("languages", facts.language),
            ("confidentiality", facts.confidentiality),
        ):
            wanted = self.match.get(condition) or []
            if not wanted:
                continue
            if value not in wanted:
                return False, [f"{condition}: {value} is not one of {', '.join(wanted)}"]
            reasons.append(f"{condition}: {value}")
        for label, pattern, text in (
            ("subject", self._subject, lambda: folded_subject),
            (
                "sender organisation",
                self._organisation,
                lambda: fold(facts.sender_organisation or ""),
            ),
        ):
            if pattern is None:
                continue
            found = pattern.search(text())
            if found is None:
                return False, [f"{label}: none of the rule's words"]
            reasons.append(f"{label}: contains “{found.group(0)}”")
        return True, reasons or ["the rule has no conditions"]


def _words(words: Iterable[str]) -> re.Pattern | None:
    folded = sorted({fold(word) for word in words if word.strip()}, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in folded) + r")")


@dataclass(frozen=True)
class RoutingDecision:
    """The outcome: the rule (or the addressed department), or manual triage, and why."""

    rule: Rule | None
    department: str | None
    copies: tuple[str, ...]
    deadline: Any
    reasons: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]

    @property
    def needs_triage(self) -> bool:
        """No rule and no addressed department: the registry decides by hand."""
        return self.department is None

    @property
    def rule_name(self) -> str | None:
        """The deciding rule's name, if a rule decided."""
        return self.rule.name if self.rule else None


def decide(rules: Sequence[Rule], facts: LetterFacts) -> RoutingDecision:
    """Apply ``rules`` in order to ``facts``; explain the first match and every miss before it."""
    folded = fold(facts.subject)
    rejected: list[tuple[str, str]] = []
    for rule in rules:
        matched, reasons = rule.explain(facts, folded)
        if matched:
            return RoutingDecision(
                rule, rule.responsible, rule.copies, rule.deadline, tuple(reasons), tuple(rejected)
            )
        rejected.append((rule.name, reasons[0]))
    if facts.addressee_department:
        return RoutingDecision(
            None,
            facts.addressee_department,
            (),
            "legal",
            (f"no rule matched; the letter is addressed to {facts.addressee_department}",),
            tuple(rejected),
        )
    return RoutingDecision(
        None,
        None,
        (),
        "legal",
        ("no rule matched and no department is addressed: manual triage",),
        tuple(rejected),
    )
