"""Who is signed in: a person from the identity provider's claims, or a demo person.

Plain Python: no Flask, no network. The mapping from the provider's claims
to Chancery's roles and department is configuration (:class:`OidcSettings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chancery.vocabulary import ROLES
from staff_web.config import OidcSettings


@dataclass(frozen=True)
class Person:
    """The signed-in person as the pages need them."""

    subject: str
    name: str
    roles: frozenset[str]
    department: str | None = None

    def has_any(self, *roles: str) -> bool:
        """True when the person holds at least one of ``roles``."""
        return bool(self.roles.intersection(roles))

    def to_session(self) -> dict[str, Any]:
        """A JSON-safe form for the session cookie."""
        return {
            "subject": self.subject,
            "name": self.name,
            "roles": sorted(self.roles),
            "department": self.department,
        }

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> Person:
        """The person stored by :meth:`to_session`."""
        return cls(data["subject"], data["name"], frozenset(data["roles"]), data["department"])


def person_from_claims(claims: Mapping[str, Any], oidc: OidcSettings) -> Person:
    """Map the provider's ID-token claims to a person; unknown values give no role."""
    raw = claims.get(oidc.roles_claim) or []
    if isinstance(raw, str):
        raw = raw.split()
    mapped = {
        oidc.role_map.get(value, value if not oidc.role_map else "")
        for value in raw
        if isinstance(value, str)
    }
    department = claims.get(oidc.department_claim)
    return Person(
        subject=str(claims["sub"]),
        name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
        roles=frozenset(mapped & set(ROLES)),
        department=department if isinstance(department, str) and department else None,
    )


@dataclass(frozen=True)
class DemoPerson:
    """A person the development sign-in offers."""

    key: str
    roles: tuple[str, ...]
    department: str | None = None


def demo_people(department_codes: list[str]) -> list[DemoPerson]:
    """One demo person per role, and staff and a head for every department."""
    people = [
        DemoPerson("registrar", ("registrar",)),
        DemoPerson("registrar-cleared", ("registrar", "clearance_secret")),
        DemoPerson("mayor-office", ("mayor_office",)),
        DemoPerson("mayor", ("mayor",)),
        DemoPerson("deputy-mayor", ("deputy_mayor",)),
        DemoPerson("director", ("director",)),
        DemoPerson("council-chair", ("council_chair",)),
        DemoPerson("operator", ("operator",)),
        DemoPerson("protocol", ("protocol_officer",)),
        DemoPerson("foreign", ("foreign_relations_officer",)),
    ]
    for code in department_codes:
        people.append(DemoPerson(f"staff-{code}", ("department_staff",), code))
        people.append(DemoPerson(f"head-{code}", ("department_head",), code))
    return [person for person in people if set(person.roles) <= set(ROLES)]
