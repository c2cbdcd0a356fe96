"""Who is calling: the principal a verified token names (pure, so domains may take it).

:mod:`chancery.auth` verifies the token and returns this; use cases and the pure rules
of every service ask it what the caller may do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chancery.confidentiality import cleared


@dataclass(frozen=True)
class Principal:
    """Who is calling, from a verified token."""

    subject: str
    roles: frozenset[str]
    department: str | None = None

    def has_any(self, *roles: str) -> bool:
        """True when the principal holds at least one of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def sees_every_department(self) -> bool:
        """Registry clerks, the mayor's office and operators read across departments."""
        return self.has_any("registrar", "mayor_office", "operator")

    def may_see(self, confidentiality: str, departments: Iterable[str | None]) -> bool:
        """Whether a letter concerning ``departments`` at ``confidentiality`` may be read.

        Registry clerks, the mayor's office and operators read across
        departments; everybody else only what concerns their own department.
        Anything not ``normal`` additionally needs its clearance
        (:func:`chancery.confidentiality.cleared`).
        """
        if not self.cleared_for(confidentiality):
            return False
        if self.sees_every_department:
            return True
        return bool(self.department) and self.department in set(departments)

    def cleared_for(self, confidentiality: str | None) -> bool:
        """Whether the principal holds the clearance a letter at ``confidentiality`` needs."""
        return cleared(self.roles, confidentiality)

    @property
    def roles_text(self) -> str:
        """Roles as one sorted, comma-separated string (for audit records)."""
        return ",".join(sorted(self.roles))
