"""Demo letters for the embedded mode: invented people, in the municipality's languages."""

from __future__ import annotations

from sqlalchemy import func, select

from chancery.db import new_id
from chancery.idempotency import StoredResponse
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.models import Letter
from intake.usecases.letters import Letters, RegisterLetter


def _to_the_mayor(
    kind: str,
    channel: str,
    language: str,
    subject: str,
    correspondent: dict[str, str],
    confidentiality: str = "normal",
) -> RegisterLetter:
    """An incoming letter to the mayor, its sender preferring the letter's language."""
    return RegisterLetter(
        direction="incoming",
        kind=kind,
        channel=channel,
        language=language,
        subject=subject,
        correspondent={**correspondent, "preferred_language": language},
        addressee={"kind": "mayor"},
        confidentiality=confidentiality,
    )


def _person(name: str, email: str) -> dict[str, str]:
    return {"type": "person", "name": name, "email": email}


ONA = _person("Ona Žemaitytė", "ona.zemaityte@example.org")
JANIS = _person("Jānis Bērziņš", "janis.berzins@example.org")
NINO = {
    "type": "organisation",
    "name": "ნინო ბერიძე",
    "organisation": "თელავის მუნიციპალიტეტი",
    "email": "forum@telavi.example.org",
}
ARBER = _person("Arbër Hoxha", "arber.hoxha@example.org")
PETRAS = _person("Petras Vaitkus", "petras.vaitkus@example.org")

DEMO_LETTERS = (
    _to_the_mayor("complaint", "email", "lt", "Dėl neišvežtų šiukšlių Žalgirio gatvėje", ONA),
    _to_the_mayor(
        "application", "e_services", "lv", "Iesniegums par ielu apgaismojumu Ķīšezera ielā", JANIS
    ),
    _to_the_mayor("invitation", "email", "ka", "მოწვევა დაძმობილებული ქალაქების ფორუმზე", NINO),
    _to_the_mayor(
        "information_request",
        "post",
        "sq",
        "Kërkesë për informacion mbi buxhetin e bashkisë",
        ARBER,
    ),
    # Secret (decision 17): only a token with clearance_secret shows its subject and sender.
    _to_the_mayor(
        "complaint",
        "post",
        "lt",
        "Pranešimas apie galimą korupciją viešuosiuose pirkimuose",
        PETRAS,
        confidentiality="secret",
    ),
)


def load_demo_data(wiring: ServiceWiring) -> int:
    """Register the demo letters once (nothing when the book already has letters)."""
    letters: Letters = wiring.extensions["letters"]
    with wiring.unit_of_work() as uow:
        if uow.session.scalar(select(func.count()).select_from(Letter)):
            return 0
    clerk = Principal(subject="demo-registrar", roles=frozenset({"registrar"}))
    for letter in DEMO_LETTERS:
        letters.register(letter, clerk, new_id(), None, lambda _: StoredResponse(201, {}))
    return len(DEMO_LETTERS)
