"""Building one shape from another that shares its field names.

A row becomes a domain value, a parsed item becomes a row: where the names
are the same, :func:`same_named` copies them from one list of names instead
of a keyword argument per field; the fields that differ stay written out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def same_named(source: object, names: Iterable[str]) -> dict[str, Any]:
    """``{name: source.<name>}`` for each of ``names``, to pass on as keyword arguments."""
    return {name: getattr(source, name) for name in names}
