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
from string import Formatter
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
    return " ".join(
        str(correspondent[key])
        for key in ("name", "organisation", "email")
        if correspondent.get(key)
    )


def search_text(
    subject: str,
    summary: str | None,
    correspondent: dict[str, Any] | None,
    scan_texts: Iterable[str | None] = (),
) -> str:
    """The folded text a letter is found by (stored in ``letters.search_text``)."""
    parts = [
        subject,
        summary or "",
        correspondent_text(correspondent),
        *(text or "" for text in scan_texts),
    ]
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
        spans = _spans(folded, origin, text, words)
        if spans:
            return Match(field=name, fragments=_fragments(text, spans))
    return None


class _FoldedCharacters(dict[int, str]):
    """Each character's folded form, worked out the first time it is seen.

    A translate table for :meth:`str.translate`: a field is folded in one call,
    not character by character (the same folding as :func:`chancery.text.fold`,
    without its joining of white space, so positions still correspond).
    """

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).casefold())
        folded = "".join(
            " " if piece.isspace() else piece
            for piece in decomposed
            if not unicodedata.combining(piece)
        )
        if len(folded) != 1:
            _NOT_ONE_FOR_ONE.add(chr(code))
        self[code] = folded
        return folded


_FOLDED = _FoldedCharacters()
# The characters seen so far that fold to none or to several (ß, ﬁ, a lone accent).
_NOT_ONE_FOR_ONE: set[str] = set()


def _folded_with_origin(text: str) -> tuple[str, list[int] | None]:
    """``text`` folded, and each folded character's index in ``text`` (None: its own)."""
    folded = text.translate(_FOLDED)
    if _NOT_ONE_FOR_ONE.isdisjoint(text):
        return unicodedata.normalize("NFC", folded), None
    origin = [index for index, char in enumerate(text) for _ in range(len(_FOLDED[ord(char)]))]
    return unicodedata.normalize("NFC", folded), origin


def _spans(
    folded: str, origin: list[int] | None, text: str, words: Sequence[str]
) -> list[tuple[int, int]]:
    if len(folded) != (len(text) if origin is None else len(origin)):
        return []  # NFC recomposed something: fall back to no positions
    spans = []
    for word in words:
        for found in re.finditer(re.escape(word), folded):
            if origin is None:
                spans.append((found.start(), found.end()))
            else:
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
        fragments[0] = (
            Fragment("…" + first.text.lstrip(), first.marked) if not first.marked else first
        )
        if first.marked:
            fragments.insert(0, Fragment("…", False))
    if end < len(text):
        if last.marked:
            fragments.append(Fragment("…", False))
        else:
            fragments[-1] = Fragment(last.text.rstrip() + "…", False)
    # Line breaks of a scan's text are not kept in a one-line snippet.
    return tuple(Fragment(re.sub(r"\s+", " ", f.text), f.marked) for f in fragments)


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
