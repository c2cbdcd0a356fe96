"""The message catalogue and the services' code agree: a test fails when they drift apart."""

from __future__ import annotations

import pytest

from chancery.messages.catalogue import consumed_by
from chancery.services import installed_services
from chancery_testing import service_env


@pytest.mark.parametrize("definition", installed_services(), ids=lambda d: d.name)
def test_each_service_handles_exactly_what_the_catalogue_says_it_consumes(definition, tmp_path):
    wiring = definition.wiring_from_env(service_env(tmp_path, f"sqlite:///{tmp_path}/db.sqlite3"))
    expected = {(contract.type, contract.version) for contract in consumed_by(definition.name)}
    assert set(wiring.handlers) == expected


def test_every_service_with_code_is_found() -> None:
    assert {d.name for d in installed_services()} >= {"intake", "routing"}
