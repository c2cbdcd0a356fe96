"""The one confidentiality model (decision 17): two clearances, secret implies confidential."""

from __future__ import annotations

import pytest

from chancery.confidentiality import (
    cleared,
    is_protected,
    neutral_title,
    readable_levels,
    required_clearance,
    stricter,
)
from chancery.principal import Principal


@pytest.mark.parametrize(
    ("roles", "normal", "confidential", "secret"),
    [
        ((), True, False, False),
        (("registrar", "mayor_office", "operator"), True, False, False),
        (("clearance_confidential",), True, True, False),
        (("clearance_secret",), True, True, True),
    ],
)
def test_secret_clearance_opens_confidential_but_not_the_other_way(
    roles, normal, confidential, secret
):
    assert [cleared(roles, level) for level in ("normal", "confidential", "secret")] == [
        normal,
        confidential,
        secret,
    ]
    assert readable_levels(roles) == tuple(
        level
        for level, ok in (("normal", normal), ("confidential", confidential), ("secret", secret))
        if ok
    )


def test_an_unknown_level_is_treated_as_secret():
    assert is_protected("top-secret")
    assert not cleared({"clearance_confidential"}, "top-secret")
    assert cleared({"clearance_secret"}, "top-secret")
    assert stricter("normal", "top-secret") == "secret"
    assert stricter(None, "confidential", "normal") == "confidential"
    assert stricter(None, None) == "normal"


def test_the_least_clearance_a_level_needs():
    assert [required_clearance(level) for level in ("normal", "confidential", "secret")] == [
        None,
        "clearance_confidential",
        "clearance_secret",
    ]


@pytest.mark.parametrize(
    ("language", "confidential", "secret"),
    [
        ("lt", "Konfidencialus dokumentas Nr. P-2026-00012", "Slaptas dokumentas Nr. P-2026-00012"),
        ("lv", "Konfidenciāls dokuments Nr. P-2026-00012", "Slepens dokuments Nr. P-2026-00012"),
        ("ka", "კონფიდენციალური დოკუმენტი № P-2026-00012", "საიდუმლო დოკუმენტი № P-2026-00012"),
        ("sq", "Shkresë konfidenciale nr. P-2026-00012", "Shkresë sekrete nr. P-2026-00012"),
        ("en", "Confidential letter P-2026-00012", "Secret letter P-2026-00012"),
        ("de", "Confidential letter P-2026-00012", "Secret letter P-2026-00012"),
    ],
)
def test_the_neutral_title_in_every_language(language, confidential, secret):
    assert neutral_title("confidential", "P-2026-00012", language) == confidential
    assert neutral_title("secret", "P-2026-00012", language) == secret


def test_the_neutral_title_of_a_letter_without_a_number():
    assert neutral_title("secret", None) == "Secret letter"


def test_a_principal_uses_the_same_model():
    staff = Principal("ona", frozenset({"department_staff", "clearance_confidential"}), "SOC")
    assert staff.cleared_for("confidential")
    assert not staff.cleared_for("secret")
    assert staff.may_see("confidential", ["SOC"])
    assert not staff.may_see("secret", ["SOC"])
    assert not staff.may_see("confidential", ["EDU"])
