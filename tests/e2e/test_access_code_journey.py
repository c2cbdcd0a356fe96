"""A citizen's access code as separate processes: guessed at, reissued, mailed again.

Intake runs behind one trusted proxy hop (``TRUSTED_PROXY_HOPS=1``), so the
client of each lookup is the one ``X-Forwarded-For`` names: a stranger's wrong
guesses refuse the stranger, never the citizen; the registry's new code
reaches the citizen by mail the way the acknowledgement did.
"""

from __future__ import annotations

import uuid

import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "notifications")
EXTRA_ENV = {"TRUSTED_PROXY_HOPS": "1"}

SUBJECT = "Dėl šaligatvio remonto Vilties gatvėje"
STRANGER = {"X-Forwarded-For": "203.0.113.9"}
CITIZEN = {"X-Forwarded-For": "198.51.100.7"}


def _look_up(
    system: WholeSystem, number: str, code: str, client: dict[str, str], expected: int
) -> None:
    system.call("GET", "intake", f"/status/{number}", expected, client, params={"code": code})


def test_a_stranger_cannot_lock_the_citizen_out_and_a_new_code_is_mailed(
    system: WholeSystem,
) -> None:
    citizen = f"ona.{uuid.uuid4().hex[:8]}@example.org"
    clerk = system.headers("registrar", subject=f"clerk-{uuid.uuid4().hex[:6]}")
    letter = system.register(
        clerk, incoming_letter("complaint", "lt", SUBJECT, person("Ona Žemaitytė", citizen, "lt"))
    )
    number, first = letter["registration_number"], letter["status_lookup_code"]
    [acknowledgement] = wait_for(lambda: system.mails_to(citizen), what="the acknowledgement")
    assert first in acknowledgement.get_body(("plain",)).get_content()

    wrong = "".join("A" if ch != "A" else "B" for ch in first)
    for _ in range(5):
        _look_up(system, number, wrong, STRANGER, 404)
    _look_up(system, number, first, STRANGER, 429)
    _look_up(system, number, first, CITIZEN, 200)

    issued = system.call(
        "POST", "intake", f"/letters/{letter['id']}/access-code", 201, clerk
    ).json()
    second = issued["status_lookup_code"]
    mails = wait_for(lambda: system.mails_to(citizen)[1:], what="the new code's notice")
    assert len(mails) == 1
    assert number in mails[0]["Subject"]
    text = mails[0].get_body(("plain",)).get_content()
    assert second in text
    assert first not in text
    assert "patikros kodas" in text.lower()
    _look_up(system, number, first, CITIZEN, 404)
    _look_up(system, number, second, CITIZEN, 200)
