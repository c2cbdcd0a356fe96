"""Tests for chancery.shapes: one shape built from another's like-named fields."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from chancery.shapes import same_named


@dataclass(frozen=True)
class _Row:
    kind: str
    language: str
    department_code: str


def test_same_named_copies_only_the_names_given() -> None:
    row = _Row(kind="letter", language="lt", department_code="FIN")

    assert same_named(row, ("kind", "language")) == {"kind": "letter", "language": "lt"}


def test_same_named_refuses_a_name_the_source_lacks() -> None:
    with pytest.raises(AttributeError):
        same_named(_Row(kind="letter", language="lt", department_code="FIN"), ("department",))


ROW = SimpleNamespace(name="Ona", email="ona@example.lt", department_code="LAW")


def test_same_named_reads_the_declared_attributes_in_their_order() -> None:
    assert list(same_named(ROW, ("email", "name")).items()) == [
        ("email", "ona@example.lt"),
        ("name", "Ona"),
    ]


def test_a_given_value_takes_its_declared_place() -> None:
    picked = same_named(ROW, ("name", "department", "email"), department=ROW.department_code)
    assert list(picked) == ["name", "department", "email"]
    assert picked["department"] == "LAW"


def test_a_value_given_but_not_declared_is_refused() -> None:
    with pytest.raises(TypeError, match="department"):
        same_named(ROW, ("name",), department="LAW")
