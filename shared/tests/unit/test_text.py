"""Tests for chancery.text: case- and diacritics-insensitive matching in every script."""

import pytest

from chancery.text import contains, fold


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Šiaulių", "SIAULIU"),
        ("Ona Žemaitytė", "ona zemaityte"),
        ("Ąžuolų gatvė", "azuolu GATVE"),
        ("Ķīšezers", "kisezers"),
        ("Jānis Bērziņš", "JANIS BERZINS"),
        ("Daugavpils valstspilsētas pašvaldība", "daugavpils valstspilsetas pasvaldiba"),
        ("Përshëndetje", "pershendetje"),
        ("Çamëria", "cameria"),
        ("ÇAMËRIA", "çamëria"),
    ],
)
def test_fold_makes_latin_spellings_equal(written: str, typed: str) -> None:
    assert fold(written) == fold(typed)


def test_fold_results_are_plain_ascii_for_baltic_and_albanian() -> None:
    assert fold("Šiaulių") == "siauliu"
    assert fold("Ķīšezers") == "kisezers"
    assert fold("Përshëndetje, Arbër Hoxha!") == "pershendetje, arber hoxha!"
    assert fold("Ç") == "c"


def test_fold_leaves_georgian_unchanged() -> None:
    assert fold("ნინო ბერიძე") == "ნინო ბერიძე"
    assert fold("ლაგოდეხის მუნიციპალიტეტი") == "ლაგოდეხის მუნიციპალიტეტი"


def test_fold_collapses_and_trims_whitespace() -> None:
    assert fold("  Ona\t\tŽemaitytė\n Šiauliai  ") == "ona zemaityte siauliai"
    assert fold("ნინო\u00a0\u00a0ბერიძე") == "ნინო ბერიძე"


def test_fold_treats_composed_and_decomposed_forms_alike() -> None:
    assert fold("Be\u0304rzin\u0327s\u030c") == fold("Bērziņš") == "berzins"


def test_contains_finds_folded_needles() -> None:
    assert contains("Prašymas dėl Šiaulių gatvės apšvietimo", "SIAULIU GATVES")
    assert contains("Sūdzība par Ķīšezera krastu", "kisezera")
    assert contains("Kërkesë për informacion nga Çamëria", "camëria")
    assert contains("მოწვევა ნინო ბერიძისგან", "ბერიძ")


def test_contains_is_false_when_absent() -> None:
    assert not contains("Prašymas dėl Šiaulių gatvės", "Kaunas")
    assert not contains("ნინო ბერიძე", "ნანა")
    assert not contains("Arbër Hoxha", "arber  hoxhaj")
