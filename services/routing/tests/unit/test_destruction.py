"""A destruction act executed in intake: routing empties the letter's subject and sender."""

from __future__ import annotations

from chancery.messages.consumer import Outcome


def test_destruction_empties_subject_and_sender_but_keeps_the_workflow_record(system) -> None:
    destroyed = system.register()
    kept = system.register()
    before = system.letter(destroyed)
    decision = system.deliver(
        "destruction.executed",
        {
            "act_number": 1,
            "letter_ids": [destroyed],
            "registration_numbers": [before.registration_number],
            "ordered_at": "2032-01-12T10:00:00+02:00",
        },
    )
    assert decision.outcome is Outcome.HANDLED, decision
    after = system.letter(destroyed)
    assert (after.subject, after.sender_organisation) == ("—", None)
    assert (after.registration_number, after.status, after.department_code, after.due_date) == (
        before.registration_number,
        before.status,
        before.department_code,
        before.due_date,
    )
    assert system.letter(kept).subject == before.subject
