"""Who may read a letter, and the citizen's access code (decisions 6, 17, 44)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Protocol

from chancery.principal import Principal

# No 0/O or 1/I: citizens type this code from paper.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 10
_ACCESS_CODE_LETTER_BITS = 5  # the alphabet's 32 letters are 5 bits each, so all equally likely
assert len(ACCESS_CODE_ALPHABET) == 2**_ACCESS_CODE_LETTER_BITS


class Readable(Protocol):
    """What the read rule needs to know about a letter."""

    confidentiality: str
    department_code: str | None
    addressee_department_code: str | None
    endorser_role: str | None

    @property
    def copy_department_codes(self) -> list[str]: ...


def can_read(principal: Principal, letter: Readable) -> bool:
    """Whether ``principal`` may read ``letter`` (see :meth:`Principal.may_see`).

    The approver a running endorsement circuit waits for (``endorser_role``, as
    routing announced it) reads the letter too, when cleared for its level.
    """
    if (
        letter.endorser_role
        and principal.has_any(letter.endorser_role)
        and principal.cleared_for(letter.confidentiality)
    ):
        return True
    return principal.may_see(
        letter.confidentiality,
        [letter.department_code, letter.addressee_department_code, *letter.copy_department_codes],
    )


def new_access_code() -> str:
    """A random status-lookup code for the citizen (50 bits: ten letters of 32).

    One draw from the system's randomness, five bits a letter (a draw per letter
    was a system call each, ~8 % of a registration's CPU, decision 73).
    """
    bits = secrets.randbits(_ACCESS_CODE_LETTER_BITS * ACCESS_CODE_LENGTH)
    mask = len(ACCESS_CODE_ALPHABET) - 1
    return "".join(
        ACCESS_CODE_ALPHABET[(bits >> (_ACCESS_CODE_LETTER_BITS * place)) & mask]
        for place in range(ACCESS_CODE_LENGTH)
    )


def hash_access_code(code: str) -> str:
    """The stored form of an access code (the code itself is never stored)."""
    normalised = re.sub(r"[\s-]", "", code).upper()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# Compared with when a number has no code, so both answers take the same work.
_NO_CODE_HASH = "0" * 64


def access_code_matches(code: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of a typed code with the stored hash (or with nothing)."""
    matches = hmac.compare_digest(hash_access_code(code), stored_hash or _NO_CODE_HASH)
    return stored_hash is not None and matches
