"""Who may see a confidential or secret letter's content, and what everybody else sees.

The one place the confidentiality model lives (decision 17); services call
these functions and never compare levels or clearance roles themselves.

- ``normal`` letters need no clearance.
- ``confidential`` letters need ``clearance_confidential`` or ``clearance_secret``.
- ``secret`` letters need ``clearance_secret`` (secret implies confidential).
- A level this code does not know is treated as ``secret``: unknown means closed.

Whoever lacks the clearance sees, in place of the subject, a neutral title
naming only the level and the registration number
(:func:`neutral_title`), and never the summary or the correspondent.
"""

from __future__ import annotations

from collections.abc import Iterable

from chancery.vocabulary import CONFIDENTIALITY_LEVELS

NORMAL = "normal"
CLEARANCE_CONFIDENTIAL = "clearance_confidential"
CLEARANCE_SECRET = "clearance_secret"
CLEARANCE_ROLES = (CLEARANCE_CONFIDENTIAL, CLEARANCE_SECRET)
# The roles that open each protected level: a higher clearance opens the lower levels.
_OPENED_BY = {
    "confidential": frozenset({CLEARANCE_CONFIDENTIAL, CLEARANCE_SECRET}),
    "secret": frozenset({CLEARANCE_SECRET}),
}
_RANK = {level: rank for rank, level in enumerate(CONFIDENTIALITY_LEVELS)}

# "Confidential letter P-2026-00012" in the five languages of the notices.
_NEUTRAL = {
    "en": {
        "confidential": "Confidential letter",
        "secret": "Secret letter",
        "number": "{title} {number}",
    },
    "lt": {
        "confidential": "Konfidencialus dokumentas",
        "secret": "Slaptas dokumentas",
        "number": "{title} Nr. {number}",
    },
    "lv": {
        "confidential": "Konfidenciāls dokuments",
        "secret": "Slepens dokuments",
        "number": "{title} Nr. {number}",
    },
    "ka": {
        "confidential": "კონფიდენციალური დოკუმენტი",
        "secret": "საიდუმლო დოკუმენტი",
        "number": "{title} № {number}",
    },
    "sq": {
        "confidential": "Shkresë konfidenciale",
        "secret": "Shkresë sekrete",
        "number": "{title} nr. {number}",
    },
}


def level_of(value: str | None) -> str:
    """A known level for ``value``: ``None`` is ``normal``, anything unknown is ``secret``."""
    if value is None:
        return NORMAL
    return value if value in _RANK else "secret"


def is_protected(level: str | None) -> bool:
    """True for anything that is not ``normal`` (unknown levels included)."""
    return level_of(level) != NORMAL


def stricter(*levels: str | None) -> str:
    """The strictest of ``levels`` (what two sources say about one letter, the safer one)."""
    return max((level_of(level) for level in levels), key=_RANK.__getitem__, default=NORMAL)


def cleared(roles: Iterable[str], level: str | None) -> bool:
    """Whether someone holding ``roles`` may see the content of a letter at ``level``."""
    level = level_of(level)
    if level == NORMAL:
        return True
    return bool(_OPENED_BY[level].intersection(roles))


def readable_levels(roles: Iterable[str]) -> tuple[str, ...]:
    """Every level whose letters ``roles`` may see (for a query's ``IN`` filter)."""
    held = frozenset(roles)
    return tuple(level for level in CONFIDENTIALITY_LEVELS if cleared(held, level))


def required_clearance(level: str | None) -> str | None:
    """The least clearance role that opens ``level`` (``None`` for normal letters)."""
    level = level_of(level)
    if level == NORMAL:
        return None
    return CLEARANCE_CONFIDENTIAL if level == "confidential" else CLEARANCE_SECRET


def neutral_title(
    level: str | None, registration_number: str | None, language: str | None = "en"
) -> str:
    """What stands in for a protected letter's subject: its level and number, nothing else.

    ``language`` falls back to English; a letter without a number yet is
    named by its level alone.
    """
    texts = _NEUTRAL.get(language or "en", _NEUTRAL["en"])
    title = texts[level_of(level) if is_protected(level) else "confidential"]
    if not registration_number:
        return title
    return texts["number"].format(title=title, number=registration_number)
