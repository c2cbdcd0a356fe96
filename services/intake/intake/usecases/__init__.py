"""Intake's use cases, one module per aggregate (decision 77).

Each class derives from :class:`chancery.db.Transactions`, the shared unit-of-work idiom,
takes plain values and a principal, checks the principal against
:mod:`intake.permissions`, lets :mod:`intake.domain` decide and writes, emitting its
messages through the unit of work's outbox. What the letters' use cases share is here:
finding a letter the reader may see, the day's start in the municipality, and the
matching of a search text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select
from sqlalchemy.orm import Session
from sqlalchemy.sql import false

from chancery.clock import utcnow
from chancery.db import UnitOfWork, existing
from chancery.errors import Forbidden
from chancery.principal import Principal
from chancery.profiles import Profile
from chancery.usecase import MunicipalUseCase
from intake.adapters.models import Letter
from intake.adapters.repositories import LetterFilters, day_start, filtered
from intake.adapters.search import TextSearch
from intake.domain import access, searching


class LetterUseCase(MunicipalUseCase):
    """A use case on the protocol book's letters, in the municipality of ``profile``."""

    def _visible(self, session: Session, letter_id: str, principal: Principal) -> Letter:
        letter = existing(session, Letter, letter_id, f"No letter {letter_id}.")
        return self._readable(letter, principal)

    @staticmethod
    def _readable(letter: Letter, principal: Principal) -> Letter:
        if not access.can_read(principal, letter):
            raise Forbidden("This letter belongs to another department or needs clearance.")
        return letter

    def _day_start(self, day: date) -> datetime:
        return day_start(day, self.profile.time_zone)


class BookQueries(LetterUseCase):
    """A use case reading the protocol book by a search's criteria and text."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        *,
        text_search: TextSearch,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self._text_search = text_search
        self._number_shape = searching.registration_number_pattern(
            register.number_format for register in profile.registers
        )

    def _filtered(self, query: Select, filters: LetterFilters) -> Select:
        return filtered(query, filters, self.profile.time_zone)

    def _matching(
        self, session: Session, query: Select, text: str | None
    ) -> tuple[Select, list[Any]]:
        """``query`` narrowed to ``text`` and the ranking order of the matches.

        An exact registration number goes by its own unique index and is never
        OR'd with the text search (that would scan the whole book).
        """
        if not text:
            return query, []
        number = text.strip()
        if self._number_shape.fullmatch(number):
            # Shaped like a registration number: one lookup by its unique index.
            return query.where(Letter.registration_number.in_({number, number.upper()})), []
        by_number = query.where(Letter.registration_number == number)
        if session.scalar(by_number.with_only_columns(Letter.id).limit(1)) is not None:
            return by_number, []
        words = searching.query_words(text)
        if not words:
            return query.where(false()), []
        return self._text_search.narrow(session, query, words)


def data_subjects(letters: Sequence[Letter | Row]) -> dict[str, str | None]:
    """Whose data each letter holds, for the audit: the correspondent's e-mail, else name."""
    return {letter.id: data_subject(letter.correspondent) for letter in letters}


def data_subject(correspondent: Mapping[str, Any]) -> str | None:
    """Whose data a letter holds: its correspondent's e-mail, else name."""
    return correspondent.get("email") or correspondent.get("name")
