"""Tests for chancery.shapes: one shape built from another's like-named fields."""

from dataclasses import dataclass

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
