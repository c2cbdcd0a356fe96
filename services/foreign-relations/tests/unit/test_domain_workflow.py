"""The state machines: the moves they allow and the 409 naming what is possible."""

from __future__ import annotations

import pytest

from foreign_relations.domain import workflow


@pytest.mark.parametrize(
    ("what", "current", "target"),
    [
        ("invitation", "proposed", "approved"),
        ("invitation", "proposed", "declined"),
        ("invitation", "proposed", "withdrawn"),
        ("invitation", "approved", "withdrawn"),
        ("trip", "planned", "approved"),
        ("trip", "approved", "under_way"),
        ("trip", "under_way", "returned"),
        ("trip", "returned", "reported"),
        ("visit", "requested", "approved"),
        ("visit", "requested", "declined"),
        ("translation", "queued", "in_progress"),
        ("translation", "in_progress", "done"),
        ("translation", "queued", "cancelled"),
        ("proposal", "referred", "answered"),
    ],
)
def test_allowed_moves(what, current, target):
    workflow.check_transition(what, current, target)


def test_an_impossible_move_names_the_state_and_what_is_possible():
    with pytest.raises(workflow.ImpossibleTransition) as refused:
        workflow.check_transition("invitation", "declined", "approved")
    assert refused.value.status == 409
    assert "declined" in refused.value.detail
    assert "nothing (it is final)" in refused.value.detail
    with pytest.raises(workflow.ImpossibleTransition) as refused:
        workflow.check_transition("trip", "planned", "returned")
    assert refused.value.allowed == ["approved", "cancelled"]
    assert "approved, cancelled" in refused.value.detail
