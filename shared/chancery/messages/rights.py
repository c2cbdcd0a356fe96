"""The ``personal_data.requested`` handler that every service but intake registers.

Each service answers a data protection officer's request (decision 60) the
same way: it reads, erases or restricts its own records about the person,
in the message's transaction, and emits ``personal_data.answered`` with the
request's correlation. Only the three functions that know the service's
tables differ; they are given here, and this module does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.contracts.people import PersonalDataRequestedV1
from chancery.personal_data import Person, answer

# What a service holds about a person, as :func:`chancery.personal_data.record` entries.
Gather = Callable[[Session, Person], Iterable[dict[str, Any]]]
# Erasing or restricting at a moment, as :func:`chancery.personal_data.outcome` entries.
Change = Callable[[Session, Person, datetime], Iterable[dict[str, Any]]]


def personal_data_handler(gather: Gather, erase: Change, restrict: Change | None = None) -> Handler:
    """Answer ``personal_data.requested`` from the service's ``gather``, ``erase`` and ``restrict``.

    Without ``restrict`` every record's processing goes on, as
    :func:`chancery.personal_data.answer` says.
    """

    def handle(uow: UnitOfWork, message: ReceivedMessage[PersonalDataRequestedV1]) -> None:
        session, now = uow.session, utcnow()
        uow.emit(
            "personal_data.answered",
            1,
            answer(
                message.payload,
                lambda person: gather(session, person),
                lambda person: erase(session, person, now),
                now,
                restrict=None
                if restrict is None
                else lambda person: restrict(session, person, now),
            ),
            message.envelope.correlation_id,
            message.message_id,
        )

    return handle
