"""Tests for municipality profiles: the shipped ones load, broken ones are named."""

from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from chancery.profiles import Profile, ProfileError, number_parts
from chancery.profiles.loading import PROFILE_DIR, available_profiles, load_profile
from chancery.vocabulary import LETTER_KINDS

SHIPPED = available_profiles()
OWN_LANGUAGE = {"LT": "lt", "LV": "lv", "GE": "ka", "AL": "sq"}


@cache
def _shipped(code: str) -> Profile:
    """A shipped profile, loaded once per test run (profiles are immutable)."""
    return load_profile(code)


def test_the_five_shipped_profiles_are_listed() -> None:
    assert SHIPPED == ["alytus", "daugavpils", "lagodekhi", "prienai", "vlora"]


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_profile_loads(code: str) -> None:
    profile = load_profile(code)
    assert isinstance(profile, Profile)
    assert profile.code == code
    assert profile.default_language == OWN_LANGUAGE[profile.country]
    assert profile.name(profile.default_language)


def test_shipped_profiles_cover_the_four_countries() -> None:
    countries = [_shipped(code).country for code in SHIPPED]
    assert sorted(countries) == ["AL", "GE", "LT", "LT", "LV"]
    assert set(countries) == {"LT", "LV", "GE", "AL"}


@pytest.mark.parametrize("code", SHIPPED)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_incoming_kind_has_a_register(code: str, kind: str) -> None:
    register = _shipped(code).register_for("incoming", kind)
    assert register.direction == "incoming"
    assert kind in register.kinds


@pytest.mark.parametrize("code", SHIPPED)
def test_replies_have_an_outgoing_register(code: str) -> None:
    assert _shipped(code).register_for("outgoing", "reply").direction == "outgoing"


@pytest.mark.parametrize("code", SHIPPED)
def test_registration_numbers_have_no_slash(code: str) -> None:
    for register in _shipped(code).registers:
        number = register.format_number(2026, 7)
        assert "/" not in number
        assert "2026" in number
        assert number.endswith("7")


def test_vlora_numbers_its_incoming_register() -> None:
    vlora = _shipped("vlora")
    assert vlora.register_for("incoming", "complaint").format_number(2026, 7) == "HYR-2026-00007"
    assert vlora.name("sq") == "Bashkia Vlorë"


def test_register_for_an_unregistered_kind_raises() -> None:
    with pytest.raises(LookupError, match="no outgoing register takes complaint"):
        _shipped("alytus").register_for("outgoing", "complaint")


def test_latvian_deadline_changes_on_1_march_2026() -> None:
    daugavpils = _shipped("daugavpils")
    before = daugavpils.deadline_rule("application", date(2026, 2, 28))
    after = daugavpils.deadline_rule("application", date(2026, 3, 1))
    assert before is not None
    assert after is not None
    assert (before.amount, before.unit) == (1, "months")
    assert (after.amount, after.unit) == (10, "working_days")


def test_load_profile_of_unknown_code_names_the_shipped_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("nope")
    assert str(caught.value) == (
        "no profile 'nope'; shipped: alytus, daugavpils, lagodekhi, prienai, vlora"
    )


# --- broken profile files -----------------------------------------------------------------


def _vlora() -> dict:
    return yaml.safe_load((PROFILE_DIR / "vlora.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, document: dict, name: str = "bashkia.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_copied_profile_file_loads_by_path(tmp_path: Path) -> None:
    document = _vlora()
    document["name"]["sq"] = "Bashkia e Arbër Hoxhës"
    assert load_profile(_write(tmp_path, document)).name("sq") == "Bashkia e Arbër Hoxhës"


def test_routing_rule_naming_an_unknown_department_is_refused(tmp_path: Path) -> None:
    document = _vlora()
    document["routing_rules"][0]["responsible"] = "ÇAMËRIA"
    rule_name = document["routing_rules"][0]["name"]
    with pytest.raises(ProfileError) as caught:
        load_profile(_write(tmp_path, document))
    assert f"routing rule {rule_name!r}: unknown department ÇAMËRIA" in str(caught.value)
    assert str(caught.value).startswith("bashkia.yaml: ")


def test_number_format_with_a_slash_is_refused(tmp_path: Path) -> None:
    document = _vlora()
    document["registers"][0]["number_format"] = "HYR/{year}/{seq:05d}"
    refused = r"'registers'.*'number_format'.*must not contain a slash"
    with pytest.raises(ProfileError, match=refused):
        load_profile(_write(tmp_path, document))


def test_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    document = {**_vlora(), "kryetar": "Arbër Hoxha"}
    with pytest.raises(ProfileError, match=r"'kryetar': \['Unknown field.'\]"):
        load_profile(_write(tmp_path, document))


def test_kind_in_two_incoming_registers_is_refused(tmp_path: Path) -> None:
    document = _vlora()
    document["registers"][1]["kinds"].append("complaint")
    with pytest.raises(
        ProfileError,
        match=r"complaint: must be in exactly one incoming register, is in "
        r"\['incoming', 'information_requests'\]",
    ):
        load_profile(_write(tmp_path, document))


def test_invalid_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("code: vlora\nname: {sq: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.yaml: not valid YAML"):
        load_profile(str(path))


@pytest.mark.parametrize("template", ["R-{year}-{seq:05d}", "{seq}-{year}", "Nr.{year}.{seq:d}"])
@pytest.mark.parametrize("sequence", [1, 42, 99_999, 100_000, 1_234_567])
def test_number_parts_rebuild_exactly_what_format_gives(template: str, sequence: int) -> None:
    parts = number_parts(template, 2026)
    rebuilt = "".join(
        part if isinstance(part, str) else str(sequence).zfill(part) for part in parts
    )
    assert rebuilt == template.format(year=2026, seq=sequence)


@pytest.mark.parametrize(
    "template",
    [
        "R-{year}-{seq:x}",
        "R-{seq}",
        "{year}{seq}{seq}",
        'R"{year}{seq}',
        "R-{year}-{sequence}",
        "R-{year!r}{seq}",
    ],
)
def test_number_formats_outside_the_grammar_are_refused(template: str) -> None:
    with pytest.raises(ValueError):
        number_parts(template, 2026)
