"""The protocol book's text search: one port, an adapter per database.

Both adapters search the folded ``letters.search_text`` (see
:mod:`intake.searching`) for every word of the query and rank the matches;
filters and the reader's visibility are already on the query they narrow,
so a letter the reader may not see is never matched on its content.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import (
    Engine,
    Select,
    case,
    column,
    false,
    func,
    literal_column,
    table,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from intake.adapters.models import Letter


class TextSearch(Protocol):
    """Narrows a query of letters to those containing every word, best first."""

    #: Whether the ranking values are read with the match, as columns of the narrowed
    #: query (cheap there, dear apart), rather than by a query of their own over the
    #: letters it found (dear with the match, cheap apart).
    ranked_with_match: bool

    def narrow(self, query: Select, words: list[str]) -> tuple[Select, list[ColumnElement]]:
        """``query`` restricted to letters with all ``words``, and its ranking values,
        compared in turn, the lowest ranks first: columns of the restricted query if
        ``ranked_with_match``, else expressions over a letter's own row (usable in
        another query of letters)."""
        ...


class TrigramSearch:
    """PostgreSQL: ``LIKE '%word%'`` per word, answered by the pg_trgm GIN index.

    Ranked by matches in the subject first, then by the subject's trigram similarity
    to the query (the subject is short: similarity over the whole search text
    costs several times the search itself), then newest first.

    The words of one query are mostly one name or phrase ("Vilties žiedas",
    "parking fees"): they come together. The planner, estimating one ``LIKE``
    well, would multiply the estimates of several as if they were independent,
    think a common phrase rare and read all its matches through the trigram
    index instead of walking the newest letters until the 200th (1.3 s
    instead of 20 ms for a phrase in a tenth of the book, decision 73). So
    the longest word (the one with most trigrams, as a rule the rarest) is the
    condition the planner estimates and the index answers; every other word
    is a filter on the rows it yields, written so that the planner counts it
    as halving them rather than as its own rarity.
    """

    # Computed with the match, the similarity would be worked out for every match
    # the trigram index yields before the newest are kept.
    ranked_with_match = False

    def narrow(self, query: Select, words: list[str]) -> tuple[Select, list[ColumnElement]]:
        """See :class:`TextSearch`."""
        carrier = max(range(len(words)), key=lambda index: len(words[index]))
        query = query.where(Letter.search_text.contains(words[carrier], autoescape=True))
        for index, word in enumerate(words):
            if index != carrier:
                query = query.where(
                    case(
                        (Letter.search_text.contains(word, autoescape=True), true()), else_=false()
                    )
                )
        in_subject = case((Letter.subject_folded.contains(words[0], autoescape=True), 0), else_=1)
        similarity = func.similarity(" ".join(words), Letter.subject_folded)
        return query, [in_subject, 0 - similarity]


FTS = table("letter_search", column("rowid"), column("body"), column("rank"))


class FullTextSearch:
    """SQLite: the FTS5 mirror of ``search_text``, every word a prefix, ranked by BM25."""

    # BM25 (the lower, the better) is read from the cursor that matched: looked up again
    # for a letter, FTS5 reads every match of each word anew to weigh it (2–5 ms a
    # letter for a common word at 100,000 letters, decision 0091).
    ranked_with_match = True

    def narrow(self, query: Select, words: list[str]) -> tuple[Select, list[ColumnElement]]:
        """See :class:`TextSearch`."""
        # A word without a letter or digit ("%", "§") is no token to FTS5: it is looked
        # for as it is, like on PostgreSQL.
        tokens = [word for word in words if any(char.isalnum() for char in word)]
        for word in words:
            if word not in tokens:
                query = query.where(Letter.search_text.contains(word, autoescape=True))
        if not tokens:
            return query, []
        expression = " ".join('"' + word.replace('"', '""') + '"*' for word in tokens)
        query = query.join(FTS, FTS.c.rowid == literal_column("letters.rowid")).where(
            literal_column("letter_search").op("MATCH")(expression)
        )
        return query, [FTS.c.rank]


def text_search_for(engine: Engine) -> TextSearch:
    """The adapter for the engine's database."""
    return TrigramSearch() if engine.dialect.name == "postgresql" else FullTextSearch()
