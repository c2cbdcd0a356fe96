"""Column idioms the services' tables share: the text row id and the optimistic lock.

Each service declares its own tables on its own metadata (see :mod:`chancery.db`);
these say once how a row's id and a row people edit together are written, so every
service's models read the same and build the same columns.
"""

from __future__ import annotations

from typing import Annotated, Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

# A row's id: a UUID's text (the id columns are text in every database).
RowId = Annotated[str, mapped_column(String(36), primary_key=True)]


class Versioned:
    """A row people edit together: ``version`` is its ETag and SQLAlchemy's optimistic lock.

    Its column comes after the table's own (it is the last in every migration).
    """

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
