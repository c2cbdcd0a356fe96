"""Texts written in several languages: which one a reader gets."""

from __future__ import annotations


def pick_text(texts: dict[str, str], *languages: str | None) -> str:
    """The text in the first of ``languages`` it exists in, else English, else any."""
    for language in (*languages, "en"):
        if language and texts.get(language):
            return texts[language]
    return next(iter(texts.values()), "")
