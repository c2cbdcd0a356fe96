"""Bearer JWT authentication: roles and a department claim.

Development signs tokens with an HS256 secret; production verifies RS256
tokens against the keys at a JWKS URL. The algorithm list is fixed per mode
(never taken from the token) and ``exp``, ``iss`` and ``aud`` are required.

Claims: ``sub`` (who), ``roles`` (list, see :data:`chancery.vocabulary.ROLES`),
``department`` (the department code the person works in, optional).

A verified token's principal is remembered (:class:`VerifiedTokens`, keyed by
the token's SHA-256, until its ``exp`` and at most a minute): a client sends
the same token with every request, and checking its signature and claims
again each time was a share of every request's CPU (decision 66).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta

import jwt

from chancery.clock import utcnow
from chancery.principal import Principal
from chancery.vocabulary import ROLES


class AuthError(Exception):
    """The request is not authenticated (401) or not allowed (403)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


# How many verified tokens a process remembers, and for how long at most: well within
# the 300 s a key withdrawn from the JWKS is trusted anyway (the key cache's lifespan).
REMEMBERED_TOKENS = 4096
REMEMBERED_SECONDS = 60.0


class VerifiedTokens:
    """A bounded memory of verified tokens: digest → principal, until a deadline.

    Only a token that passed every check is put; an entry is forgotten at its
    deadline (never later than the token's ``exp``) and the least recently
    used one goes first when the memory is full. Safe across threads.
    """

    def __init__(
        self, capacity: int = REMEMBERED_TOKENS, clock: Callable[[], float] = time.time
    ) -> None:
        self._capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[bytes, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> Principal | None:
        """The principal remembered for ``token``, or None (unknown or past its deadline)."""
        digest = _digest(token)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            principal, deadline = entry
            if self._clock() >= deadline:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
            return principal

    def put(self, token: str, principal: Principal, expires_at: float) -> None:
        """Remember a verified token's principal until ``expires_at`` (its ``exp``) at most."""
        deadline = min(expires_at, self._clock() + REMEMBERED_SECONDS)
        digest = _digest(token)
        with self._lock:
            self._entries[digest] = (principal, deadline)
            self._entries.move_to_end(digest)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class TokenVerifier:
    """Verifies bearer tokens: HS256 with a shared secret, or RS256 from a JWKS URL."""

    def __init__(
        self, issuer: str, audience: str, secret: str | None = None, jwks_url: str | None = None
    ) -> None:
        if not secret and not jwks_url:
            raise ValueError("a JWT secret or a JWKS URL is required")
        self._issuer = issuer
        self._audience = audience
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None
        self._remembered = VerifiedTokens()

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; :class:`AuthError` (401) otherwise."""
        remembered = self._remembered.get(token)
        if remembered is not None:
            return remembered
        principal, expires_at = self._check(token)
        self._remembered.put(token, principal, expires_at)
        return principal

    def _check(self, token: str) -> tuple[Principal, float]:
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256"]
            else:
                key, algorithms = self._secret, ["HS256"]
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise AuthError(401, f"invalid bearer token: {exc}") from exc
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise AuthError(401, "invalid bearer token: roles must be a list of strings")
        department = claims.get("department")
        if department is not None and not isinstance(department, str):
            raise AuthError(401, "invalid bearer token: department must be a string")
        return Principal(
            subject=str(claims["sub"]), roles=frozenset(roles) & set(ROLES), department=department
        ), float(claims["exp"])


def issue_token(
    secret: str,
    roles: list[str],
    department: str | None = None,
    subject: str = "developer",
    issuer: str = "chancery",
    audience: str = "chancery",
    ttl: timedelta = timedelta(hours=8),
) -> str:
    """A development HS256 token (production tokens come from the identity provider)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {', '.join(ROLES)}")
    now = utcnow()
    claims = {
        "sub": subject,
        "roles": roles,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl,
    }
    if department:
        claims["department"] = department
    return jwt.encode(claims, secret, algorithm="HS256")
