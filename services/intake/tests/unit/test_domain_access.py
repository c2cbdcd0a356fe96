"""Who reads a letter and the citizen's access code (intake.domain.access)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chancery.principal import Principal
from intake.adapters.models import Letter
from intake.domain import access
from intake.domain.access import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    access_code_matches,
    can_read,
    hash_access_code,
    new_access_code,
)


def _letter(
    department: str | None = None,
    addressee: str | None = None,
    copies: tuple[str, ...] = (),
    confidentiality: str = "normal",
) -> Letter:
    return Letter(
        department_code=department,
        addressee_department_code=addressee,
        copy_departments="," + "".join(f"{code}," for code in copies),
        confidentiality=confidentiality,
    )


def _who(*roles: str, department: str | None = None) -> Principal:
    return Principal(subject="tester", roles=frozenset(roles), department=department)


# can_read -------------------------------------------------------------------------------

SOC_LETTER = {"department": "SOC"}
ADDRESSED_TO_SOC = {"addressee": "SOC"}
COPIED_TO_SOC = {"department": "LEGAL", "copies": ("COMM", "SOC")}
OTHER_LETTER = {"department": "LEGAL", "addressee": "EDU", "copies": ("COMM",)}
UNROUTED = {}


@pytest.mark.parametrize("role", ["registrar", "mayor_office", "operator"])
@pytest.mark.parametrize(
    "letter", [SOC_LETTER, ADDRESSED_TO_SOC, COPIED_TO_SOC, OTHER_LETTER, UNROUTED]
)
def test_registry_mayor_office_and_operators_read_every_normal_letter(role, letter):
    assert can_read(_who(role), _letter(**letter)) is True
    assert can_read(_who(role, department="EDU"), _letter(**letter)) is True


@pytest.mark.parametrize("role", ["department_staff", "department_head"])
@pytest.mark.parametrize(
    ("letter", "expected"),
    [
        (SOC_LETTER, True),
        (ADDRESSED_TO_SOC, True),
        (COPIED_TO_SOC, True),
        (OTHER_LETTER, False),
        (UNROUTED, False),
    ],
)
def test_department_people_read_only_their_departments_letters(role, letter, expected):
    assert can_read(_who(role, department="SOC"), _letter(**letter)) is expected


def test_department_staff_without_a_department_reads_nothing():
    assert can_read(_who("department_staff"), _letter(department="SOC")) is False
    assert can_read(_who("department_staff"), _letter()) is False


def test_a_copy_matches_the_whole_department_code_only():
    letter = _letter(department="LEGAL", copies=("SOCIAL",))
    assert can_read(_who("department_staff", department="SOC"), letter) is False


@pytest.mark.parametrize("confidentiality", ["confidential", "secret"])
@pytest.mark.parametrize(
    ("roles", "department", "expected"),
    [
        (("registrar",), None, False),
        (("mayor_office",), None, False),
        (("operator",), None, False),
        (("department_staff",), "SOC", False),
        (("registrar", "clearance_secret"), None, True),
        (("mayor_office", "clearance_secret"), None, True),
        (("department_staff", "clearance_secret"), "SOC", True),
        (("department_staff", "clearance_secret"), "EDU", False),
        (("clearance_secret",), None, False),
    ],
)
def test_confidential_letters_need_clearance_on_top_of_the_usual_rule(
    confidentiality, roles, department, expected
):
    letter = _letter(department="SOC", confidentiality=confidentiality)
    assert can_read(_who(*roles, department=department), letter) is expected


@pytest.mark.parametrize(
    ("confidentiality", "expected"), [("confidential", True), ("secret", False)]
)
def test_confidential_clearance_does_not_open_secret_letters(confidentiality, expected):
    letter = _letter(department="SOC", confidentiality=confidentiality)
    assert can_read(_who("registrar", "clearance_confidential"), letter) is expected


# Access codes -----------------------------------------------------------------------------


def test_access_codes_use_the_unambiguous_alphabet_and_length():
    codes = [new_access_code() for _ in range(300)]
    assert all(len(code) == ACCESS_CODE_LENGTH == 10 for code in codes)
    assert set("".join(codes)) <= set(ACCESS_CODE_ALPHABET)
    assert not set("".join(codes)) & set("0O1I")
    assert len(set(codes)) == 300
    assert ACCESS_CODE_ALPHABET == "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def test_every_letter_of_the_alphabet_comes_up_in_every_place():
    codes = [new_access_code() for _ in range(2000)]
    for place in range(ACCESS_CODE_LENGTH):
        assert {code[place] for code in codes} == set(ACCESS_CODE_ALPHABET)


def test_the_hash_is_sha256_of_the_normalised_code():
    expected = "f57cbf1e3e471b25db4b8ad0844df41b2dae9c7d1944944d128e49294d412f66"
    assert hash_access_code("ABCDEFGHJK") == expected
    for typed in ("abcdefghjk", "ABCDE-FGHJK", " abcde fghjk ", "AbCd-Ef Gh-Jk", "ABCDE\tFGHJK"):
        assert hash_access_code(typed) == expected


def test_a_different_code_hashes_differently():
    assert hash_access_code("ABCDEFGHJM") != hash_access_code("ABCDEFGHJK")


def test_access_code_matches_compares_in_constant_time(monkeypatch):
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", recording)
    code = new_access_code()
    stored = hash_access_code(code)

    assert access_code_matches(code.lower(), stored) is True
    assert access_code_matches(f"{code[:5]}-{code[5:]}", stored) is True
    assert (
        access_code_matches("ZZZZZZZZZZ" if code != "ZZZZZZZZZZ" else "YYYYYYYYYY", stored) is False
    )
    assert compared[0] == (stored, stored)
    assert len(compared) == 3
    # A number without a code costs the same comparison, so timing tells nothing.
    assert access_code_matches(code, None) is False
    assert len(compared) == 4


def test_sha256_of_normalised_code_matches_hashlib():
    assert hash_access_code("k2m-9") == hashlib.sha256(b"K2M9").hexdigest()
