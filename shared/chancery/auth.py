"""Bearer JWT authentication: roles and a department claim.

Development signs tokens with an HS256 secret; production verifies RS256
tokens against the keys at a JWKS URL. The algorithm list is fixed per mode
(never taken from the token) and ``exp``, ``iss`` and ``aud`` are required.

Claims: ``sub`` (who), ``roles`` (list, see :data:`chancery.vocabulary.ROLES`),
``department`` (the department code the person works in, optional).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

import jwt

from chancery.confidentiality import cleared
from chancery.db import utcnow
from chancery.vocabulary import ROLES


class AuthError(Exception):
    """The request is not authenticated (401) or not allowed (403)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


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


class TokenVerifier:
    """Verifies bearer tokens: HS256 with a shared secret, or RS256 from a JWKS URL."""

    def __init__(self, issuer: str, audience: str, secret: str | None = None,
                 jwks_url: str | None = None) -> None:
        if not secret and not jwks_url:
            raise ValueError("a JWT secret or a JWKS URL is required")
        self._issuer = issuer
        self._audience = audience
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; :class:`AuthError` (401) otherwise."""
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256"]
            else:
                key, algorithms = self._secret, ["HS256"]
            claims = jwt.decode(token, key, algorithms=algorithms, audience=self._audience,
                                issuer=self._issuer,
                                options={"require": ["exp", "iss", "aud", "sub"]})
        except jwt.PyJWTError as exc:
            raise AuthError(401, f"invalid bearer token: {exc}") from exc
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise AuthError(401, "invalid bearer token: roles must be a list of strings")
        department = claims.get("department")
        if department is not None and not isinstance(department, str):
            raise AuthError(401, "invalid bearer token: department must be a string")
        return Principal(subject=str(claims["sub"]), roles=frozenset(roles) & set(ROLES),
                         department=department)


def issue_token(secret: str, roles: list[str], department: str | None = None,
                subject: str = "developer", issuer: str = "chancery",
                audience: str = "chancery", ttl: timedelta = timedelta(hours=8)) -> str:
    """A development HS256 token (production tokens come from the identity provider)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {', '.join(ROLES)}")
    now = utcnow()
    claims = {"sub": subject, "roles": roles, "iss": issuer, "aud": audience,
              "iat": now, "exp": now + ttl}
    if department:
        claims["department"] = department
    return jwt.encode(claims, secret, algorithm="HS256")
