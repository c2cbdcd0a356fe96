"""The protocol book's text search: one port, an adapter per database.

Both adapters search the folded ``letters.search_text`` (see
:mod:`intake.searching`) for every word of the query and rank the matches;
filters and the reader's visibility are already on the query they narrow,
so a letter the reader may not see is never matched on its content.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine, Select, case, column, func, literal_column, table
from sqlalchemy.sql.elements import ColumnElement

from intake.models import Letter


class TextSearch(Protocol):
    """Narrows a query of letters to those containing every word, best first."""

    def narrow(self, query: Select, words: list[str]) -> tuple[Select, list[ColumnElement]]:
        """``query`` restricted to letters with all ``words``, and its ranking order."""
        ...


class TrigramSearch:
    """PostgreSQL: ``LIKE '%word%'`` per word, answered by the pg_trgm GIN index.

    Ranked by matches in the subject first, then by the subject's trigram similarity
    to the query (the subject is short: similarity over the whole search text
    costs several times the search itself), then newest first.
    """

    def narrow(self, query: Select, words: list[str]) -> tuple[Select, list[ColumnElement]]:
        """See :class:`TextSearch`."""
        for word in words:
            query = query.where(Letter.search_text.contains(word, autoescape=True))
        in_subject = case((Letter.subject_folded.contains(words[0], autoescape=True), 0),
                          else_=1)
        similarity = func.similarity(" ".join(words), Letter.subject_folded)
        return query, [in_subject, similarity.desc()]


FTS = table("letter_search", column("rowid"), column("body"), column("rank"))


class FullTextSearch:
    """SQLite: the FTS5 mirror of ``search_text``, every word a prefix, ranked by BM25."""

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
            literal_column("letter_search").op("MATCH")(expression))
        return query, [FTS.c.rank]


def text_search_for(engine: Engine) -> TextSearch:
    """The adapter for the engine's database."""
    return TrigramSearch() if engine.dialect.name == "postgresql" else FullTextSearch()

