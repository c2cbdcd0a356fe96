"""A request's required field carries its description (answer schemas: test_http_answers)."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from chancery.http.schemas import required, short_text
from chancery.validation import StrictSchema


def test_a_required_field_carries_its_description_for_the_document() -> None:
    class Body(StrictSchema):
        city = required(short_text, "The city's name in its own language.")

    field = Body().fields["city"]
    assert field.required is True
    assert field.metadata["description"] == "The city's name in its own language."
    with pytest.raises(ValidationError) as refused:
        Body().load({})
    assert "city" in refused.value.messages_dict
