"""The letter's state machine: every allowed step passes, impossible ones are refused clearly."""

from __future__ import annotations

from itertools import pairwise

import pytest

from chancery.errors import Conflict
from chancery.vocabulary import LETTER_STATUSES
from routing.domain.workflow import (
    LETTER,
    OPEN_STATUSES,
    TRANSITIONS,
    ImpossibleTransition,
    is_open,
)

ALLOWED = sorted(
    (current, target) for current, targets in TRANSITIONS.items() for target in targets
)
REFUSED = sorted(
    (current, target)
    for current in LETTER_STATUSES
    for target in LETTER_STATUSES
    if target not in TRANSITIONS[current]
)


def test_the_machine_knows_exactly_the_shared_statuses():
    assert set(TRANSITIONS) == set(LETTER_STATUSES)
    assert set().union(*TRANSITIONS.values()) <= set(LETTER_STATUSES)
    assert {"registered", "routed", "in_progress", "awaiting_endorsement"} == OPEN_STATUSES
    assert len(ALLOWED) == 22
    assert len(ALLOWED) + len(REFUSED) == len(LETTER_STATUSES) ** 2


def test_the_main_path_and_its_branches_are_allowed():
    path = [
        "registered",
        "routed",
        "in_progress",
        "awaiting_endorsement",
        "answered",
        "closed",
        "archived",
    ]
    for current, target in pairwise(path):
        LETTER.check(current, target)
    for current in ("registered", "routed", "in_progress"):
        LETTER.check(current, "not_ours")
    LETTER.check("not_ours", "archived")
    LETTER.check("awaiting_endorsement", "in_progress")  # a returned reply
    LETTER.check("in_progress", "routed")  # a re-route
    LETTER.check("routed", "routed")


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_passes(current, target):
    assert LETTER.check(current, target) is None


@pytest.mark.parametrize(
    ("current", "target", "possible"),
    [
        ("registered", "answered", "archived, not_ours, routed, voided"),
        ("answered", "in_progress", "archived, closed, voided"),
        ("closed", "routed", "archived"),
        ("registered", "awaiting_endorsement", "archived, not_ours, routed, voided"),
        ("routed", "awaiting_endorsement", "answered, in_progress, not_ours, routed, voided"),
        ("awaiting_endorsement", "routed", "answered, in_progress, voided"),
        ("not_ours", "routed", "archived"),
    ],
)
def test_impossible_transitions_say_what_is_possible(current, target, possible):
    with pytest.raises(ImpossibleTransition) as refused:
        LETTER.check(current, target)
    error = refused.value
    assert isinstance(error, Conflict)
    assert error.status == 409
    assert error.field == "status"
    assert error.reason == f"{current} → {target} is not allowed"
    assert error.detail == (
        f"A letter that is {current} cannot become {target}; it can become: {possible}."
    )


@pytest.mark.parametrize("target", LETTER_STATUSES)
@pytest.mark.parametrize("final", ["archived", "voided"])
def test_archived_and_voided_letters_are_final(final, target):
    with pytest.raises(ImpossibleTransition) as refused:
        LETTER.check(final, target)
    assert refused.value.status == 409
    assert refused.value.detail == (
        f"A letter that is {final} cannot become {target}; it can become: nothing (it is final)."
    )


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_other_transition_is_refused(current, target):
    with pytest.raises(ImpossibleTransition, match=f"cannot become {target}"):
        LETTER.check(current, target)


def test_an_unknown_status_can_become_nothing():
    with pytest.raises(ImpossibleTransition, match="nothing \\(it is final\\)"):
        LETTER.check("lost_in_the_post", "routed")


@pytest.mark.parametrize("status", LETTER_STATUSES)
def test_open_means_still_waiting_for_an_answer(status):
    assert is_open(status) is (
        status in {"registered", "routed", "in_progress", "awaiting_endorsement"}
    )


def test_a_refused_step_in_a_use_case_changes_nothing(system):
    letter_id = system.register(subject="Dėl neišvežtų atliekų Žalgirio gatvėje")
    head = system.principal("department_head", department="MUNI")
    before = system.snapshot()
    with pytest.raises(ImpossibleTransition) as refused:
        system.letters.close(letter_id, head, "c-close")
    assert refused.value.detail == (
        "A letter that is routed cannot become closed; it can "
        "become: answered, in_progress, not_ours, routed, voided."
    )
    assert system.snapshot() == before
    assert system.letter(letter_id).status == "routed"


def test_the_persisted_status_follows_each_step_and_records_it(system):
    letter_id = system.register(subject="Dėl neišvežtų atliekų Žalgirio gatvėje")
    head = system.principal("department_head", department="MUNI")
    system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c-assign")
    system.reply(letter_id)
    system.letters.close(letter_id, head, "c-close")
    steps = [
        (details["from"], details["to"])
        for _, action, details in system.history(letter_id)
        if action == "status"
    ]
    assert steps == [
        ("registered", "routed"),
        ("routed", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
    ]
    published = [
        (e["payload"]["previous_status"], e["payload"]["status"])
        for e in system.outbox("letter.status_changed", letter_id)
    ]
    assert published == steps
    assert system.letter(letter_id).status == "closed"
