"""People's rights: routing gathers the letters and staff entries about a person, keeps them."""

from __future__ import annotations

from chancery.processing import activities
from routing.adapters.models import Base


def test_access_finds_the_letter_whose_subject_names_the_person(system) -> None:
    named = system.register(subject="Dėl Jono Petraičio skundo dėl triukšmo")
    system.register(subject="Dėl gatvės apšvietimo")
    answer = system.ask_about_a_person("access", name="jono petraičio")
    assert [(entry["kind"], entry["reference"]) for entry in answer["records"]] == [
        ("letter", system.letter(named).registration_number)
    ]
    assert answer["records"][0]["data"]["subject"] == "Dėl Jono Petraičio skundo dėl triukšmo"


def test_erase_keeps_the_workflow_and_says_it_is_the_case_files(system) -> None:
    system.register(subject="Prašymas: Gintarė Žukauskienė, tel. +370 612 34567")
    answer = system.ask_about_a_person("erase", name="Gintarė Žukauskienė")
    [kept] = answer["outcomes"]
    assert (kept["kind"], kept["outcome"]) == ("letter", "kept")
    assert "file plan" in kept["reason"]
    assert answer["records"] == []


def test_the_declared_processing_names_tables_routing_keeps() -> None:
    declared = {table for activity in activities("routing") for table in activity.tables}
    assert declared
    assert declared <= set(Base.metadata.tables)


def test_a_restriction_leaves_the_workflow_processing_and_says_why(system) -> None:
    system.register(subject="Dėl Aldonos Vaitkienės prašymo")
    [kept] = system.ask_about_a_person("restrict", name="Aldonos Vaitkienės")["outcomes"]
    assert (kept["kind"], kept["outcome"]) == ("letter", "kept")
    assert "Art. 18(2)" in kept["reason"]
