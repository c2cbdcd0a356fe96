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
    select,
    table,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from intake.adapters.models import Letter


class TextSearch(Protocol):
    """Narrows a query of letters to those containing every word, best first."""

    def narrow(
        self, session: Session, query: Select, words: list[str]
    ) -> tuple[Select, list[ColumnElement]]:
        """``query`` restricted to letters with all ``words``, and its ranking values
        (compared in turn, the lowest ranks first), for :meth:`ranked`."""
        ...

    def ranked(self, newest: Select, words: list[str], ranking: list[ColumnElement]) -> Select:
        """Rows of ``(id, registered_at, sequence, *ranks)`` for the letters whose ids
        ``newest`` selects (a restricted query, ordered and limited)."""
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

    def narrow(
        self,
        session: Session,  # noqa: ARG002 (the trigram index needs no look at the words first)
        query: Select,
        words: list[str],
    ) -> tuple[Select, list[ColumnElement]]:
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

    def ranked(
        self,
        newest: Select,
        words: list[str],  # noqa: ARG002 (the ranking values hold them)
        ranking: list[ColumnElement],
    ) -> Select:
        """See :class:`TextSearch`: the ranks (expressions over a letter's own row) are
        worked out for the newest alone by a query of their own; computed with the match,
        the similarity would be worked out for every match the trigram index yields."""
        return select(Letter.id, Letter.registered_at, Letter.sequence, *ranking).where(
            Letter.id.in_(newest.scalar_subquery())
        )


FTS = table("letter_search", column("rowid"), column("body"), column("rank"))


class FullTextSearch:
    """SQLite: the FTS5 mirror of ``search_text``, every word a prefix, ranked by BM25.

    A word in at least ``COMMON`` letters is looked for by walking the letters newest
    first (ix_letters_list_order) until the newest matches are found, a few thousand
    index entries; a rarer one by sorting its few matches (decision 0091).
    """

    COMMON = 2000

    def narrow(
        self, session: Session, query: Select, words: list[str]
    ) -> tuple[Select, list[ColumnElement]]:
        """See :class:`TextSearch`."""
        # A word without a letter or digit ("%", "§") is no token to FTS5: it is looked
        # for as it is, like on PostgreSQL.
        tokens = [word for word in words if any(char.isalnum() for char in word)]
        for word in words:
            if word not in tokens:
                query = query.where(Letter.search_text.contains(word, autoescape=True))
        if not tokens:
            return query, []
        matches = select(FTS.c.rowid).where(_matching(tokens))
        common = session.scalar(
            select(func.count()).select_from(matches.limit(self.COMMON).subquery())
        )
        # "+" keeps SQLite from reading the letters by their matches' rowids, so that it
        # walks the list order and stops at the newest matches.
        rowid: ColumnElement[int] = literal_column(
            "+letters.rowid" if common == self.COMMON else "letters.rowid"
        )
        return query.where(rowid.in_(matches)), [FTS.c.rank]

    def ranked(self, newest: Select, words: list[str], ranking: list[ColumnElement]) -> Select:
        """See :class:`TextSearch`: BM25 (the lower, the better) read from one cursor over
        the matches. Looked up again for each letter, FTS5 would count every match of
        each word anew to weigh it (2–5 ms a letter for a common word at 100,000)."""
        tokens = [word for word in words if any(char.isalnum() for char in word)]
        # The newest by rowid, so that the matches are told apart from the index alone
        # and only those letters' rows are read.
        rowids = newest.with_only_columns(literal_column("letters.rowid")).scalar_subquery()
        return (
            select(Letter.id, Letter.registered_at, Letter.sequence, *ranking)
            .select_from(FTS)
            .join(Letter, literal_column("letters.rowid") == FTS.c.rowid)
            .where(_matching(tokens), literal_column("+letter_search.rowid").in_(rowids))
        )


def _matching(tokens: list[str]) -> ColumnElement[bool]:
    expression = " ".join('"' + token.replace('"', '""') + '"*' for token in tokens)
    return literal_column("letter_search").op("MATCH")(expression)


def text_search_for(engine: Engine) -> TextSearch:
    """The adapter for the engine's database."""
    return TrigramSearch() if engine.dialect.name == "postgresql" else FullTextSearch()
