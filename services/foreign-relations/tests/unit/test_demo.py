"""The embedded mode's demo data loads once, in the profile's languages, with invented people."""

from __future__ import annotations

from foreign_relations.bootstrap import DEFINITION


def test_demo_data_loads_once_and_the_timer_finds_the_agreement(system):
    assert DEFINITION.load_demo_data(system.wiring) == 5
    assert DEFINITION.load_demo_data(system.wiring) == 0
    cities = {p["city"] for p in system.client.get("/open-data/partners.json").get_json()}
    assert {"Daugavpils", "თელავი", "Vlorë", "Šiauliai"} <= cities
    assert system.timers.run("demo") == 1
