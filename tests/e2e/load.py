"""A steady stream of letters for fault tests, and the reckoning afterwards.

The load posts complaints to the mayor (routed by rule) at a fixed rate,
each from its own citizen address, with an Idempotency-Key it keeps when it
retries a failed request, as a department system would. The reckoning asks
routing over HTTP which accepted letters are routed and counts the
acknowledgements the SMTP server received per citizen: two Message-IDs for one
citizen are a duplicate notice; the same Message-ID twice is a resend after a
crash between the SMTP answer and its record (at-least-once), which mail
clients show once.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, person

SUBJECTS = (
    "Skundas dėl neišvežtų šiukšlių Žuvinto gatvėje",
    "Sūdzība par ielas apgaismojumu Rīgas ielā",
    "საჩივარი ეზოს დასუფთავების შესახებ",
    "Ankesë për ndriçimin e rrugës në lagjen Çole",
)


@dataclass
class Accepted:
    """A letter intake answered 201 for."""

    letter_id: str
    registration_number: str
    citizen: str


@dataclass
class Load:
    """Letters posted at ``rate`` per second for ``seconds``, in a background thread."""

    system: WholeSystem
    rate: float = 8.0
    seconds: float = 8.0
    sent: int = 0
    failed: int = 0
    accepted: list[Accepted] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="letter-load")
        self._headers = self.system.headers("registrar", subject="load-clerk")

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(self.seconds + 120)

    def _run(self) -> None:
        start = time.monotonic()
        for index in range(int(self.rate * self.seconds)):
            delay = start + index / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._post(index)

    def _post(self, index: int) -> None:
        citizen = f"gyventojas.{uuid.uuid4().hex[:10]}@example.org"
        key = str(uuid.uuid4())
        subject = SUBJECTS[index % len(SUBJECTS)]
        body = incoming_letter("complaint", "lt", subject, person("Ona Žemaitytė", citizen, "lt"))
        self.sent += 1
        # A client retries a failed request with the same key for up to 20 s.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                response = requests.post(
                    self.system.url("intake", "/letters"),
                    json=body,
                    headers={**self._headers, "Idempotency-Key": key},
                    timeout=10,
                )
            except requests.RequestException:
                time.sleep(0.3)
                continue
            if response.status_code == 201:
                letter = response.json()
                self.accepted.append(Accepted(letter["id"], letter["registration_number"], citizen))
                return
            if response.status_code < 500:
                break
            time.sleep(0.3)
        self.failed += 1


@dataclass(frozen=True)
class Reckoning:
    """What happened to the accepted letters."""

    sent: int
    accepted: int
    routed: int
    notified: int
    duplicates: int
    resent: int
    lost: int
    dead_lettered: int

    def line(self, fault: str) -> str:
        """The counts on one line, for the test's output."""
        return (
            f"[{fault}] sent={self.sent} accepted={self.accepted} routed={self.routed} "
            f"notified={self.notified} duplicates={self.duplicates} "
            f"resent_same_message_id={self.resent} lost={self.lost} "
            f"dead_lettered={self.dead_lettered}"
        )


def reckon(
    system: WholeSystem, load: Load, dead_lettered: int = 0, timeout: float = 120
) -> Reckoning:
    """Wait until every accepted letter is routed and acknowledged, or the time is up."""
    headers = system.headers("registrar", subject="reckoning-clerk")
    routed: set[str] = set()

    def all_routed() -> bool:
        for letter in load.accepted:
            if letter.letter_id in routed:
                continue
            response = requests.get(
                system.url("routing", f"/letters/{letter.letter_id}"), headers=headers, timeout=10
            )
            if response.status_code == 200 and response.json()["status"] == "routed":
                routed.add(letter.letter_id)
        return len(routed) == len(load.accepted)

    def all_notified() -> bool:
        return all(_mails(system, letter.citizen) for letter in load.accepted)

    # When time is up, the counts below say what is missing.
    with contextlib.suppress(AssertionError):
        wait_for(
            lambda: all_routed() and all_notified(),
            timeout=timeout,
            what="every accepted letter routed and acknowledged",
        )
    mails = {letter.citizen: _mails(system, letter.citizen) for letter in load.accepted}
    notified = sum(1 for found in mails.values() if found)
    duplicates = sum(max(0, len(found) - 1) for found in mails.values())
    resent = sum(sum(found.values()) - len(found) for found in mails.values())
    lost = sum(
        1 for letter in load.accepted if letter.letter_id not in routed or not mails[letter.citizen]
    )
    return Reckoning(
        sent=load.sent,
        accepted=len(load.accepted),
        routed=len(routed),
        notified=notified,
        duplicates=duplicates,
        resent=resent,
        lost=lost,
        dead_lettered=dead_lettered,
    )


def _mails(system: WholeSystem, citizen: str) -> Counter[str]:
    """Mails sent to ``citizen`` by Message-ID: two ids are two notices, a repeat is a resend."""
    return Counter(str(mail["Message-ID"]) for mail in system.mails_to(citizen))
