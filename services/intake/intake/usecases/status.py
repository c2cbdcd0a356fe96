"""The citizen's side of a letter: its status for whoever holds the number and access code
(decision 6), the guard against guessing, and a new code issued by the registry (decision 19).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.audited import record_access_in
from chancery.clock import utcnow
from chancery.db import UnitOfWork
from chancery.errors import Conflict, NotFound, TooManyRequests
from chancery.idempotency import IdempotentRequest, StoredResponse, create_once
from chancery.principal import Principal
from chancery.profiles import Profile
from intake.adapters.lookups import (
    DEFAULT_LIMITS,
    CounterKeys,
    LookupLimits,
    count_failure,
    forget_number,
    refused_for,
)
from intake.adapters.models import Letter
from intake.domain import access
from intake.usecases import LetterUseCase


@dataclass(frozen=True)
class IssuedCode:
    """A letter's new access code (shown once)."""

    letter_id: str
    registration_number: str
    access_code: str


@dataclass(frozen=True)
class CitizenStatus:
    """All a citizen sees with a number and access code: status, dates, the department."""

    registration_number: str
    status: str
    received_on: date | None
    registered_on: date
    due_date: date | None
    answered_on: date | None
    status_changed_on: date
    # The department handling it, so the citizen's page can say where the letter is.
    department_code: str | None = None
    # The registered reply's number, once the letter is answered (decision 0032).
    reply_registration_number: str | None = None


class StatusLookups(LetterUseCase):
    """The citizen's status lookup by number and access code, and the code's reissue."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        *,
        lookup_limits: LookupLimits = DEFAULT_LIMITS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self._lookup_limits = lookup_limits

    def citizen_status(self, registration_number: str, code: str, client: str) -> CitizenStatus:
        """Status and dates for the holder of the number and access code, nothing else.

        Wrong codes are counted for this number from this ``client`` and for the
        client across numbers (see :mod:`intake.adapters.lookups`); only a client that
        guessed wrong too often is refused, never the citizen elsewhere. An
        unknown number is answered and counted exactly like a wrong code.
        """
        now = self._clock()
        keys = CounterKeys.of(registration_number, client)
        with self._uow() as uow:
            wait = refused_for(uow.session, keys, self._lookup_limits, now)
            if wait is not None:
                raise TooManyRequests(
                    "Too many wrong codes; try again later.", int(wait.total_seconds()) + 1
                )
            letter = uow.session.execute(
                select(Letter).where(Letter.registration_number == registration_number)
            ).scalar_one_or_none()
            # Compared even when there is no letter, so the time taken tells nothing.
            if not access.access_code_matches(code, letter.access_code_hash if letter else None):
                count_failure(uow.session, keys, self._lookup_limits, now)
                uow.commit()
                raise NotFound("No letter with this number and access code.")
            forget_number(uow.session, keys)
            uow.commit()
            return self._citizen_view(uow.session, letter)

    def reissue_access_code(
        self,
        letter_id: str,
        principal: Principal,
        correlation_id: str,
        idempotent: IdempotentRequest | None,
        respond: Callable[[IssuedCode], StoredResponse],
    ) -> StoredResponse:
        """Give an incoming letter a new access code; the old one stops working at once.

        The new code is answered once (and again only to a retry with the same
        idempotency key, until that response is purged), announced as
        ``letter.access_code_issued`` for notifications to send to the sender,
        and audited; only its hash is stored.
        """
        return create_once(
            self._uow,
            idempotent,
            lambda uow: self._reissue(uow, letter_id, principal, correlation_id),
            respond,
        )

    def _reissue(
        self, uow: UnitOfWork, letter_id: str, principal: Principal, correlation_id: str
    ) -> IssuedCode:
        letter = self._visible(uow.session, letter_id, principal)
        if letter.direction != "incoming" or letter.status == "voided":
            raise Conflict("Only an incoming letter that is not voided has an access code.")
        code = access.new_access_code()
        letter.access_code_hash = access.hash_access_code(code)
        uow.session.flush()
        uow.emit(
            "letter.access_code_issued",
            1,
            {
                "letter_id": letter.id,
                "registration_number": letter.registration_number,
                "language": letter.language,
                "status_lookup_code": code,
                "issued_at": self._clock(),
            },
            correlation_id,
        )
        record_access_in(uow, principal, "reissue_access_code", "letter", [letter.id])
        return IssuedCode(
            letter_id=letter.id, registration_number=letter.registration_number, access_code=code
        )

    def _citizen_view(self, session: Session, letter: Letter) -> CitizenStatus:
        local = self._calendar.local
        reply_number = (
            session.scalar(
                select(Letter.registration_number)
                .where(Letter.in_reply_to_id == letter.id, Letter.status != "voided")
                .order_by(Letter.registered_at)
                .limit(1)
            )
            if letter.status in ("answered", "closed")
            else None
        )
        return CitizenStatus(
            registration_number=letter.registration_number,
            status=letter.status,
            received_on=local(letter.received_at).date() if letter.received_at else None,
            registered_on=local(letter.registered_at).date(),
            due_date=letter.due_date,
            answered_on=local(letter.answered_at).date() if letter.answered_at else None,
            status_changed_on=local(letter.status_changed_at).date(),
            department_code=letter.department_code,
            reply_registration_number=reply_number,
        )
