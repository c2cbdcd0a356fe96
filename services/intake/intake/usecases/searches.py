"""The protocol book's search (by number or by words, ranked, decision 42) and the registry's
suggestions of earlier correspondents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, defer

from chancery.audited import record_access_in
from chancery.keyset import fetch_page
from chancery.paging import Page, PageRequest, page_of_rows
from chancery.principal import Principal
from intake.adapters.models import Attachment, Letter
from intake.adapters.repositories import (
    LETTER_ORDERS,
    NEWEST_FIRST,
    LetterFilters,
    visible,
)
from intake.domain import searching
from intake.usecases import BookQueries


@dataclass(frozen=True)
class Hit:
    """A letter found, and where a text search matched it (None without text)."""

    letter: Letter
    match: searching.Match | None = None


# A text search ranks the newest matches and pages through them best first; past these,
# refine the words or narrow the period.
RANKED_HITS = 200


class Searches(BookQueries):
    """Finding letters in the protocol book, and earlier correspondents."""

    def search(self, filters: LetterFilters, principal: Principal, page: PageRequest) -> Page[Hit]:
        """A page of the letters matching ``filters`` that the principal may see.

        Without a text: newest first (``-registered``) or oldest first
        (``registered``), by keyset. With a text, a registration number written
        exactly finds that letter alone (by its unique index); any other text is
        searched for word by word: of the newest ``RANKED_HITS`` matches, best match
        first (paged by rank), each hit with its highlighted snippet.
        """
        query = self._filtered(visible(select(Letter), principal), filters)
        words = searching.query_words(filters.text or "")
        with self._uow() as uow:
            query, ranking = self._matching(uow.session, query, filters.text)
            if not ranking:
                found = fetch_page(
                    uow.session, query, LETTER_ORDERS[page.sort or "-registered"], page
                )
                return found.map(Hit)
            ranked = self._best_of_newest(uow.session, query, words, ranking)
            positions = {letter_id: rank for rank, letter_id in enumerate(ranked)}
            chosen = page_of_rows(ranked, page, lambda letter_id: (positions[letter_id],))
            letters, scans = self._with_scan_texts(uow.session, chosen.items)
            found = chosen.map(letters.__getitem__)
        return found.map(
            lambda letter: Hit(
                letter,
                searching.highlight(words, self._searched_fields(letter, scans.get(letter.id, []))),
            )
        )

    def _best_of_newest(
        self, session: Session, query: Select, words: list[str], ranking: list[Any]
    ) -> list[str]:
        """The ids of the newest ``RANKED_HITS`` matches of ``query``, best rank first.

        Read newest first, the database walks ix_letters_list_order backwards and
        stops at the ``RANKED_HITS``-th match, however many letters a common word
        matches in all; the rank values are computed for those alone, by the text
        search's own query over their ids (decisions 0073, 0091). Ties keep the newest
        first (decision 0064).
        """
        newest = query.with_only_columns(Letter.id).order_by(*NEWEST_FIRST).limit(RANKED_HITS)
        rows = list(session.execute(self._text_search.ranked(newest, words, ranking)))
        rows.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
        rows.sort(key=lambda row: tuple(row[3:]))
        return [row[0] for row in rows]

    @staticmethod
    def _with_scan_texts(
        session: Session, letter_ids: list[str]
    ) -> tuple[dict[str, Letter], dict[str, list[str]]]:
        """The letters of a page and the extracted texts of their scans (oldest scan first),
        in one query; without the search text (the longest column, never shown: the
        snippet is made from the fields themselves)."""
        letters: dict[str, Letter] = {}
        scans: dict[str, list[str]] = {}
        for letter, text in session.execute(
            select(Letter, Attachment.extracted_text)
            .outerjoin(Attachment, Attachment.letter_id == Letter.id)
            .where(Letter.id.in_(letter_ids))
            .order_by(Attachment.uploaded_at)
            .options(defer(Letter.search_text))
        ):
            letters[letter.id] = letter
            if text is not None:  # no scan, or a scan not read yet
                scans.setdefault(letter.id, []).append(text)
        return letters, scans

    @staticmethod
    def _searched_fields(letter: Letter, scans: list[str]) -> list[tuple[str, str | None]]:
        return [
            ("subject", letter.subject),
            ("correspondent", searching.correspondent_text(letter.correspondent)),
            ("summary", letter.summary),
            *(("scan", text) for text in scans),
        ]

    def correspondents(self, text: str, limit: int, principal: Principal) -> list[dict[str, Any]]:
        """Earlier senders whose name contains ``text`` (newest first, one per name).

        Only letters the principal may read count; the lookup is audited as a read.
        """
        name = Letter.correspondent["name"].as_string()
        text = text.strip()
        # SQLite's lower() folds ASCII only, so the text as typed matches too ("Žemait").
        query = visible(select(Letter.id, Letter.correspondent), principal).where(
            Letter.direction == "incoming",
            or_(
                func.lower(name).contains(text.lower(), autoescape=True),
                name.contains(text, autoescape=True),
            ),
        )
        found: dict[str, dict[str, Any]] = {}
        ids = []
        with self._uow() as uow:
            for letter_id, correspondent in uow.session.execute(
                query.order_by(Letter.registered_at.desc()).limit(limit * 5)
            ):
                key = (correspondent.get("name") or "").casefold()
                if key and key not in found and len(found) < limit:
                    found[key] = correspondent
                    ids.append(letter_id)
            if ids:
                record_access_in(uow, principal, "read", "correspondent", ids)
                uow.commit()
        return list(found.values())
