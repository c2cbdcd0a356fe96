"""A request's closed choice: the choices refused otherwise, the description documented."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError

from chancery.http.schemas import one_of


class Move(Schema):
    status = one_of(("planned", "cancelled"), "The status to move to.", required=True)


def test_a_choice_takes_one_of_its_choices_and_refuses_the_rest() -> None:
    assert Move().load({"status": "planned"}) == {"status": "planned"}
    with pytest.raises(ValidationError) as refused:
        Move().load({"status": "held"})
    assert "status" in refused.value.messages


def test_a_choice_carries_its_description_and_the_options_given() -> None:
    field = Move().fields["status"]
    assert field.metadata == {"description": "The status to move to."}
    assert field.required
