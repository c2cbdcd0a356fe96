"""Building one shape from another that shares its field names.

A row becomes a domain value, a parsed item becomes a row, a row becomes a subject-access
record (:func:`chancery.personal_data.record`): where the names are the same,
:func:`same_named` copies them from one declared tuple of names instead of a keyword
argument (or a dict entry) per field; the fields that differ stay written out.
"""

from __future__ import annotations

from typing import Any


def same_named(source: object, names: tuple[str, ...], **given: Any) -> dict[str, Any]:
    """``{name: source.<name>}`` for each of ``names``, in their order.

    A name in ``given`` takes its value from there instead (a column under another name,
    a related row's attribute) and keeps the place ``names`` declares for it. A name given
    but not declared is a caller's slip, refused rather than dropped.
    """
    # Checked only when values are given: a scrubbed span and a relayed message pass none.
    if given and (undeclared := given.keys() - set(names)):
        raise TypeError(f"given but not declared: {', '.join(sorted(undeclared))}")
    return {name: given[name] if name in given else getattr(source, name) for name in names}
