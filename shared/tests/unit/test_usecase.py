"""A use case declared as the fields of ``chancery.usecase.UseCase``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from chancery.audited import record_reads
from chancery.clock import utcnow
from chancery.db import UnitOfWork, session_factory
from chancery.principal import Principal
from chancery.usecase import UseCase

OFFICER = Principal("officer-ona", frozenset({"protocol_officer"}))
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass(eq=False)
class Reads(UseCase):
    """Records an audited read of one object in its own transaction."""

    object_type: str
    clock: Callable[[], datetime] = utcnow

    def read(self, object_id: str, *, fail: bool = False) -> datetime:
        with self.transaction() as uow:
            record_reads(uow, OFFICER, "read", self.object_type, {object_id: None})
            if fail:
                raise RuntimeError("the use case failed after writing")
            return self.clock()


@pytest.fixture
def unit_of_work(db) -> Callable[[], UnitOfWork]:
    return functools.partial(UnitOfWork, session_factory(db.engine), db.tables, "intake")


def _audit_rows(db) -> int:
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(db.tables.audit))


def test_the_fields_are_the_constructor_in_their_order_the_clock_by_default(unit_of_work):
    declared = Reads(unit_of_work, "letter", lambda: NOON)

    assert (declared.object_type, declared.clock()) == ("letter", NOON)
    assert Reads(unit_of_work, object_type="letter").clock is utcnow


def test_its_transaction_commits_with_its_unit_of_work_and_rolls_back_on_error(db, unit_of_work):
    reads = Reads(unit_of_work, "letter", lambda: NOON)

    assert reads.read("L-1") == NOON
    with pytest.raises(RuntimeError):
        reads.read("L-2", fail=True)

    assert _audit_rows(db) == 1


def test_two_use_cases_with_the_same_collaborators_are_two(unit_of_work):
    first, second = Reads(unit_of_work, "letter"), Reads(unit_of_work, "letter")

    assert first != second
    assert len({first, second}) == 2
