"""Demo letters for the embedded mode: invented people, in the municipality's languages."""

from __future__ import annotations

from sqlalchemy import func, select

from chancery.auth import Principal
from chancery.db import new_id
from chancery.idempotency import StoredResponse
from chancery.runtime import ServiceWiring
from intake.models import Letter
from intake.services import Intake, RegisterLetter

DEMO_LETTERS = (
    RegisterLetter(direction="incoming", kind="complaint", channel="email", language="lt",
                   subject="Dėl neišvežtų šiukšlių Žalgirio gatvėje",
                   correspondent={"type": "person", "name": "Ona Žemaitytė",
                                  "email": "ona.zemaityte@example.org",
                                  "preferred_language": "lt"},
                   addressee={"kind": "mayor"}),
    RegisterLetter(direction="incoming", kind="application", channel="e_services",
                   language="lv", subject="Iesniegums par ielu apgaismojumu Ķīšezera ielā",
                   correspondent={"type": "person", "name": "Jānis Bērziņš",
                                  "email": "janis.berzins@example.org",
                                  "preferred_language": "lv"},
                   addressee={"kind": "mayor"}),
    RegisterLetter(direction="incoming", kind="invitation", channel="email", language="ka",
                   subject="მოწვევა დაძმობილებული ქალაქების ფორუმზე",
                   correspondent={"type": "organisation", "name": "ნინო ბერიძე",
                                  "organisation": "თელავის მუნიციპალიტეტი",
                                  "email": "forum@telavi.example.org",
                                  "preferred_language": "ka"},
                   addressee={"kind": "mayor"}),
    RegisterLetter(direction="incoming", kind="information_request", channel="post",
                   language="sq", subject="Kërkesë për informacion mbi buxhetin e bashkisë",
                   correspondent={"type": "person", "name": "Arbër Hoxha",
                                  "email": "arber.hoxha@example.org",
                                  "preferred_language": "sq"},
                   addressee={"kind": "mayor"}),
    # Secret (decision 17): only a token with clearance_secret shows its subject and sender.
    RegisterLetter(direction="incoming", kind="complaint", channel="post", language="lt",
                   subject="Pranešimas apie galimą korupciją viešuosiuose pirkimuose",
                   correspondent={"type": "person", "name": "Petras Vaitkus",
                                  "email": "petras.vaitkus@example.org",
                                  "preferred_language": "lt"},
                   addressee={"kind": "mayor"}, confidentiality="secret"),
)


def load_demo_data(wiring: ServiceWiring) -> int:
    """Register the demo letters once (nothing when the book already has letters)."""
    intake: Intake = wiring.extensions["intake"]
    with wiring.unit_of_work() as uow:
        if uow.session.scalar(select(func.count()).select_from(Letter)):
            return 0
    clerk = Principal(subject="demo-registrar", roles=frozenset({"registrar"}))
    for letter in DEMO_LETTERS:
        intake.register(letter, clerk, new_id(), None, lambda _: StoredResponse(201, {}))
    return len(DEMO_LETTERS)
