"""What the protocol book's search matches, and the highlighted snippet of a match.

Plain Python, the same for both databases: every letter keeps one folded
``search_text`` (subject, summary, correspondent and the text of its scans,
case and diacritics removed by :func:`chancery.text.fold`), and the query is
folded the same way, so "ŽEMAITYTE" finds "Žemaitytė" and Georgian matches
as typed. The snippet is a list of fragments with the matched ones marked,
never markup: whoever shows it escapes the text and marks it its own way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from chancery.text import fold

# Characters of context shown before and after the first match in a snippet.
CONTEXT = 60
# Fields in the order a match in them is shown (the subject is what people recognise).
FIELDS = ("subject", "correspondent", "summary", "scan")


@dataclass(frozen=True)
class Fragment:
    """A piece of a snippet; ``marked`` when it is (part of) what was searched for."""

    text: str
    marked: bool


@dataclass(frozen=True)
class Match:
    """Where a letter matched: the field and a short snippet around the match."""

    field: str
    fragments: tuple[Fragment, ...]


def query_words(text: str) -> list[str]:
    """The folded words of a query; a letter matches when it contains every one."""
    return [word for word in fold(text).split(" ") if word]


def correspondent_text(correspondent: dict[str, Any] | None) -> str:
    """The searchable parts of a correspondent: name, organisation and e-mail."""
    correspondent = correspondent or {}
    return " ".join(str(correspondent[key]) for key in ("name", "organisation", "email")
                    if correspondent.get(key))


def search_text(subject: str, summary: str | None, correspondent: dict[str, Any] | None,
                scan_texts: Iterable[str | None] = ()) -> str:
    """The folded text a letter is found by (stored in ``letters.search_text``)."""
    parts = [subject, summary or "", correspondent_text(correspondent),
             *(text or "" for text in scan_texts)]
    return fold(" ".join(part for part in parts if part))


def highlight(words: Sequence[str], fields: Sequence[tuple[str, str | None]]) -> Match | None:
    """The snippet of the first field (in ``fields`` order) containing a word of the query.

    Every occurrence of every word within the snippet is marked; positions are
    found on the folded text and mapped back, so the original spelling is shown.
    """
    for name, text in fields:
        if not text:
            continue
        folded, origin = _folded_with_origin(text)
        spans = _spans(folded, origin, words)
        if spans:
            return Match(field=name, fragments=_fragments(text, spans))
    return None


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and each folded character's index in ``text``."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        for piece in decomposed:
            if unicodedata.combining(piece):
                continue
            folded.append(" " if piece.isspace() else piece)
            origin.append(index)
    return unicodedata.normalize("NFC", "".join(folded)), origin


def _spans(folded: str, origin: list[int], words: Sequence[str]) -> list[tuple[int, int]]:
    if len(folded) != len(origin):  # NFC recomposed something: fall back to no positions
        return []
    spans = []
    for word in words:
        for found in re.finditer(re.escape(word), folded):
            spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    return _merged(sorted(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _fragments(text: str, spans: list[tuple[int, int]]) -> tuple[Fragment, ...]:
    start = max(0, spans[0][0] - CONTEXT)
    end = min(len(text), spans[0][1] + CONTEXT)
    # Whole words at the edges of the snippet, and an ellipsis where text was cut.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    fragments: list[Fragment] = []
    position = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        if span_start > position:
            fragments.append(Fragment(text[position:span_start], False))
        fragments.append(Fragment(text[span_start:span_end], True))
        position = span_end
    if position < end:
        fragments.append(Fragment(text[position:end], False))
    first, last = fragments[0], fragments[-1]
    if start > 0:
        fragments[0] = Fragment("…" + first.text.lstrip(), first.marked) if not first.marked \
            else first
        if first.marked:
            fragments.insert(0, Fragment("…", False))
    if end < len(text):
        if last.marked:
            fragments.append(Fragment("…", False))
        else:
            fragments[-1] = Fragment(last.text.rstrip() + "…", False)
    # Line breaks of a scan's text are not kept in a one-line snippet.
    return tuple(Fragment(re.sub(r"\s+", " ", f.text), f.marked) for f in fragments)
