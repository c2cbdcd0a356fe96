"""Which of the workflow's announced statuses intake keeps (intake.domain.workflow)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.domain.workflow import takes_status

# Status ordering ------------------------------------------------------------------------

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "current", ["registered", "routed", "in_progress", "awaiting_endorsement", "answered", "closed"]
)
def test_workflow_statuses_take_newer_and_simultaneous_changes_only(current):
    assert takes_status(current, T0, T0 + timedelta(seconds=1)) is True
    assert takes_status(current, T0, T0) is True
    assert takes_status(current, T0, T0 - timedelta(microseconds=1)) is False


@pytest.mark.parametrize("final", ["voided", "not_ours", "archived"])
def test_intakes_own_final_decisions_are_never_overwritten(final):
    assert takes_status(final, T0, T0 + timedelta(days=30)) is False
    assert takes_status(final, T0, T0) is False
