"""Text folding for case- and diacritics-insensitive matching in every script.

``fold("Šiaulių gatvė")`` and ``fold("SIAULIU GATVE")`` are equal; Georgian
Mkhedruli has no case or diacritics and passes through unchanged.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics, keeping every base letter and script."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", " ".join(stripped.split()))


def contains(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` after folding both."""
    return fold(needle) in fold(haystack)
