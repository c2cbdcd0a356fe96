"""A row's attributes picked by a declared tuple of field names.

The services' subject-access records (:func:`chancery.personal_data.record`) list what a
row holds about a person under the row's own attribute names. Each service declares the
names once, as a tuple beside its query, and :func:`fields` reads them, rather than each
record writing out ``{"name": row.name, "email": row.email, ...}``.
"""

from __future__ import annotations

from typing import Any


def fields(row: object, names: tuple[str, ...], **given: Any) -> dict[str, Any]:
    """``names`` mapped to ``row``'s attributes of the same name, in the order of ``names``.

    A name in ``given`` takes its value from there instead (a column under another name,
    a related row's attribute): the record keeps the order ``names`` declares. A name
    given but not declared is a caller's slip, refused rather than dropped.
    """
    if undeclared := given.keys() - set(names):
        raise TypeError(f"given but not declared: {', '.join(sorted(undeclared))}")
    return {name: given[name] if name in given else getattr(row, name) for name in names}
