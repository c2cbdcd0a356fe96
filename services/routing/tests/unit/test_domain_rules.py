"""Routing rules: ordered, first match wins, words in four languages, every decision explained."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import pytest

from routing.domain.rules import LetterFacts, Rule, decide

WASTE_LT = ["atliek", "šiukšl"]
STREETS_LV = ["iel", "apgaismojum"]
WASTE_KA = ["ნაგავ", "განათებ"]
WATER_SQ = ["ujësjellës", "rrugë"]


def _rule(name: str, responsible: str = "MUNI", position: int = 10, **match: list[str]) -> Rule:
    return Rule(
        id=str(uuid.uuid4()),
        position=position,
        name=name,
        match=match,
        responsible=responsible,
        copies=(),
        deadline="legal",
    )


# An application in Lithuanian to the mayor; each test names what its letter changes.
AN_APPLICATION = LetterFacts(
    kind="application",
    addressee_kind="mayor",
    addressee_department=None,
    language="lt",
    sender_organisation=None,
    confidentiality="normal",
    subject="",
)


def _facts(subject: str, **changes: Any) -> LetterFacts:
    return replace(AN_APPLICATION, subject=subject, **changes)


# Words in four languages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "subject", "found"),
    [
        (WASTE_LT, "Dėl neišvežtų šiukšlių Žalgirio gatvėje", "siuksl"),
        (WASTE_LT, "SIUKSLIU KONTEINERIAI PERPILDYTI", "siuksl"),
        (WASTE_LT, "Šiukšliadėžės prie Jaunimo parko", "siuksl"),
        (WASTE_LT, "Atliekų išvežimo grafikas Putinų mikrorajone", "atliek"),
        (WASTE_LT, "dėl ATLIEKOS konteinerio", "atliek"),
        (STREETS_LV, "Iesniegums par ielu apgaismojumu Ķīšezera ielā", "iel"),  # the first found
        (STREETS_LV, "Par bojātu ietvi Rīgas IELĀ 12", "iel"),
        (STREETS_LV, "APGAISMOJUMA STABS NOLAUZTS", "apgaismojum"),
        (WASTE_KA, "საჩივარი ნაგავის გაუტანლობის შესახებ", "ნაგავ"),
        (WASTE_KA, "ქუჩის განათების აღდგენა რუსთაველის გამზირზე", "განათებ"),
        (WASTE_KA, "ᲜᲐᲒᲐᲕᲘᲡ ᲒᲐᲢᲐᲜᲐ", "ნაგავ"),  # Mtavruli capitals fold to Mkhedruli
        (WATER_SQ, "Ankesë për ujësjellësin në lagjen Skelë", "ujesjelles"),
        (WATER_SQ, "UJESJELLESI NUK FUNKSIONON", "ujesjelles"),
        (WATER_SQ, "Riparimi i Rrugës së Kanionit", "rruge"),
        (WATER_SQ, "RRUGET E QYTETIT", "rruge"),
    ],
)
def test_subject_words_match_ignoring_case_and_diacritics(words, subject, found):
    rule = _rule("Komunalinės paslaugos", subject_words=words)
    decision = decide([rule], _facts(subject))
    assert decision.rule == rule
    assert decision.department == "MUNI"
    assert decision.needs_triage is False
    assert decision.reasons == (f"subject: contains “{found}”",)
    assert decision.rejected == ()


@pytest.mark.parametrize(
    ("words", "subject"),
    [
        (WASTE_LT, "Pašiukšlinta aikštelė prie garažų"),  # šiukšl inside a word
        (WASTE_LT, "Neatliekamas kiemo remontas"),  # atliek inside a word
        (STREETS_LV, "Lielais tirgus un tā darba laiks"),  # iel inside "lielais"
        (STREETS_LV, "Neapgaismojums nav mūsu problēma"),
        (WASTE_KA, "სანაგავე პოლიგონის დახურვა"),  # ნაგავ inside "სანაგავე"
        (WASTE_KA, "დაგვიანებული პასუხი"),
        (WATER_SQ, "Kërkesë për informacion mbi buxhetin e bashkisë"),
        (WATER_SQ, "Autorrugë e re drejt Orikumit"),  # rrugë inside a word
    ],
)
def test_words_match_only_at_the_start_of_a_word(words, subject):
    rule = _rule("Komunalinės paslaugos", subject_words=words)
    decision = decide([rule], _facts(subject))
    assert decision.rule is None
    assert decision.needs_triage is True
    assert decision.rejected == (("Komunalinės paslaugos", "subject: none of the rule's words"),)


def test_a_phrase_matches_across_spaces_and_line_breaks():
    rule = _rule("Partneriai", "COMM", subject_words=["miestai partneriai"])
    assert decide([rule], _facts("Dėl MIESTAI\n   PARTNERIAI susitikimo")).rule == rule
    assert decide([rule], _facts("Dėl miestai, partneriai")).rule is None


def test_punctuation_and_digits_before_a_word_still_make_a_word_start():
    rule = _rule("Atliekos", subject_words=["atliek"])
    assert decide([rule], _facts("„Atliekų“ tvarkymas")).rule == rule
    assert decide([rule], _facts("(atliekos) 2026 m.")).rule == rule
    assert decide([rule], _facts("Nr.7-atliekos")).rule == rule
    assert decide([rule], _facts("7atliekos")).rule is None  # a digit is part of the word


# Order -----------------------------------------------------------------------------------


def test_the_first_matching_rule_wins_and_earlier_misses_are_explained():
    social = _rule("Socialinė parama", "SOC", 10, subject_words=["pašalp"])
    waste = _rule("Atliekos", "MUNI", 20, subject_words=WASTE_LT)
    streets = _rule("Gatvės", "URBAN", 30, subject_words=["gatv"])
    catch_all = _rule("Visa kita", "DOC", 40)
    facts = _facts("Dėl šiukšlių Žalgirio gatvėje")
    decision = decide([social, waste, streets, catch_all], facts)
    assert decision.rule_name == "Atliekos"
    assert decision.department == "MUNI"
    assert decision.rejected == (("Socialinė parama", "subject: none of the rule's words"),)
    # Another order, another winner: the list's order decides, not the kind of match.
    decision = decide([streets, waste, social, catch_all], facts)
    assert decision.rule_name == "Gatvės"
    assert decision.reasons == ("subject: contains “gatv”",)


def test_a_rule_without_conditions_takes_everything_left():
    catch_all = _rule("Visa kita", "DOC")
    decision = decide(
        [_rule("Atliekos", subject_words=WASTE_LT), catch_all],
        _facts("Padėka už koncertą Rotušės aikštėje"),
    )
    assert decision.rule == catch_all
    assert decision.reasons == ("the rule has no conditions",)


def test_the_decision_carries_the_rules_copies_and_term():
    rule = Rule(
        id=str(uuid.uuid4()),
        position=1,
        name="Informacijos prašymai",
        match={"kinds": ["information_request"]},
        responsible="COMM",
        copies=("LEGAL",),
        deadline={"amount": 5, "unit": "working_days"},
    )
    decision = decide(
        [rule], _facts("Kërkesë për informacion", kind="information_request", language="sq")
    )
    assert (decision.department, decision.copies, decision.deadline) == (
        "COMM",
        ("LEGAL",),
        {"amount": 5, "unit": "working_days"},
    )
    assert decision.reasons == ("kinds: information_request",)


# Each condition narrows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("match", "taken", "refused", "why"),
    [
        (
            {"kinds": ["complaint", "application"]},
            {"kind": "complaint"},
            {"kind": "letter"},
            "kinds: letter is not one of complaint, application",
        ),
        (
            {"addressees": ["mayor"]},
            {"addressee_kind": "mayor"},
            {"addressee_kind": "council_chair"},
            "addressees: council_chair is not one of mayor",
        ),
        (
            {"addressees": ["department"]},
            {"addressee_kind": "department"},
            {"addressee_kind": None},
            "addressees: None is not one of department",
        ),
        (
            {"languages": ["lv", "ka"]},
            {"language": "ka"},
            {"language": "sq"},
            "languages: sq is not one of lv, ka",
        ),
        (
            {"confidentiality": ["confidential", "secret"]},
            {"confidentiality": "secret"},
            {"confidentiality": "normal"},
            "confidentiality: normal is not one of confidential, secret",
        ),
        (
            {"sender_organisations": ["თელავ", "Daugavpils"]},
            {"sender_organisation": "თელავის მუნიციპალიტეტი"},
            {"sender_organisation": "Lagodekhi Municipality"},
            "sender organisation: none of the rule's words",
        ),
        (
            {"sender_organisations": ["daugavpil"]},
            {"sender_organisation": "DAUGAVPILS VALSTSPILSĒTAS PAŠVALDĪBA"},
            {"sender_organisation": None},
            "sender organisation: none of the rule's words",
        ),
    ],
)
def test_each_condition_narrows_the_rule(match, taken, refused, why):
    rule = _rule("Siaura taisyklė", "LEGAL", subject_words=WASTE_LT, **match)
    subject = "Dėl šiukšlių konteinerių"
    decision = decide([rule], _facts(subject, **taken))
    assert decision.rule == rule
    assert "subject: contains “siuksl”" in decision.reasons
    decision = decide([rule], _facts(subject, **refused))
    assert decision.rule is None
    assert decision.rejected == (("Siaura taisyklė", why),)


def test_every_condition_must_hold_and_each_is_explained():
    rule = _rule(
        "Tarptautiniai skundai",
        "COMM",
        kinds=["complaint"],
        addressees=["mayor"],
        languages=["lv"],
        confidentiality=["normal"],
        sender_organisations=["Daugavpils"],
        subject_words=STREETS_LV,
    )
    facts = _facts(
        "Sūdzība par ielu apgaismojumu",
        kind="complaint",
        language="lv",
        sender_organisation="Daugavpils valstspilsētas pašvaldība",
    )
    decision = decide([rule], facts)
    assert decision.reasons == (
        "kinds: complaint",
        "addressees: mayor",
        "languages: lv",
        "confidentiality: normal",
        "subject: contains “iel”",
        "sender organisation: contains “daugavpils”",
    )
    wrong_subject = _facts(
        "Sūdzība par tiltu",
        kind="complaint",
        language="lv",
        sender_organisation="Daugavpils valstspilsētas pašvaldība",
    )
    assert decide([rule], wrong_subject).rejected == (
        ("Tarptautiniai skundai", "subject: none of the rule's words"),
    )


# No rule -------------------------------------------------------------------------------------


def test_no_rule_and_an_addressed_department_goes_to_that_department():
    rule = _rule("Atliekos", subject_words=WASTE_LT)
    decision = decide(
        [rule],
        _facts("Dėl mokinių pavėžėjimo", addressee_kind="department", addressee_department="EDU"),
    )
    assert decision.rule is None
    assert decision.rule_name is None
    assert decision.department == "EDU"
    assert decision.copies == ()
    assert decision.deadline == "legal"
    assert decision.needs_triage is False
    assert decision.reasons == ("no rule matched; the letter is addressed to EDU",)
    assert decision.rejected == (("Atliekos", "subject: none of the rule's words"),)


def test_no_rule_and_no_department_needs_triage():
    decision = decide(
        [_rule("Atliekos", subject_words=WASTE_LT)], _facts("Padėka už koncertą Rotušės aikštėje")
    )
    assert decision.needs_triage is True
    assert decision.department is None
    assert decision.reasons == ("no rule matched and no department is addressed: manual triage",)
    assert decide([], _facts("Padėka")).needs_triage is True


# Many rules ------------------------------------------------------------------------------------


def _many_rules(count: int) -> list[Rule]:
    rules: list[Rule] = []
    for n in range(1, count):
        match: dict[str, Any] = {"subject_words": [f"tema{n:03d}", f"სათაური{n:03d}"]}
        if n % 3 == 0:
            match["kinds"] = ["complaint"]
        if n % 5 == 0:
            match["languages"] = ["lt", "lv"]
        rules.append(_rule(f"Taisyklė {n}", "DOC", n * 10, **match))
    rules.append(
        _rule(
            f"Taisyklė {count}",
            "MUNI",
            count * 10,
            kinds=["application"],
            languages=["sq"],
            subject_words=WATER_SQ,
        )
    )
    return rules


def test_two_hundred_rules_decide_by_the_last_one():
    rules = _many_rules(200)
    decision = decide(rules, _facts("Ankesë për ujësjellësin e lagjes Lungomare", language="sq"))
    assert decision.rule_name == "Taisyklė 200"
    assert decision.department == "MUNI"
    assert decision.reasons == (
        "kinds: application",
        "languages: sq",
        "subject: contains “ujesjelles”",
    )
    assert len(decision.rejected) == 199
    assert [name for name, _ in decision.rejected] == [f"Taisyklė {n}" for n in range(1, 200)]
    assert decision.rejected[2] == ("Taisyklė 3", "kinds: application is not one of complaint")
    assert decision.rejected[4] == ("Taisyklė 5", "languages: sq is not one of lt, lv")
    assert decision.rejected[6] == ("Taisyklė 7", "subject: none of the rule's words")


def test_two_hundred_rules_pick_a_middle_one_when_it_matches_first():
    decision = decide(_many_rules(200), _facts("Dėl TEMA137 ir tema138", language="lt"))
    assert decision.rule_name == "Taisyklė 137"
    assert decision.reasons == ("subject: contains “tema137”",)
    assert len(decision.rejected) == 136
