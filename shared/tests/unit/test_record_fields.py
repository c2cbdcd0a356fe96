"""A row's attributes picked by a declared tuple of names (subject-access records)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chancery.record_fields import fields

ROW = SimpleNamespace(name="Ona", email="ona@example.lt", department_code="LAW")


def test_fields_reads_the_declared_attributes_in_their_order() -> None:
    assert list(fields(ROW, ("email", "name")).items()) == [
        ("email", "ona@example.lt"),
        ("name", "Ona"),
    ]


def test_a_given_value_takes_its_declared_place() -> None:
    picked = fields(ROW, ("name", "department", "email"), department=ROW.department_code)
    assert list(picked) == ["name", "department", "email"]
    assert picked["department"] == "LAW"


def test_a_value_given_but_not_declared_is_refused() -> None:
    with pytest.raises(TypeError, match="department"):
        fields(ROW, ("name",), department="LAW")
