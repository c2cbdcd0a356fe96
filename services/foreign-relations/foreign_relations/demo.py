"""Demo partner cities and an agreement for the embedded mode: invented contacts only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from chancery.idempotency import StoredResponse
from chancery.runtime import ServiceWiring
from foreign_relations.adapters.models import Partner
from foreign_relations.usecases.agreements import Agreements
from foreign_relations.usecases.partners import Partners

DEMO_PARTNERS = (
    {
        "city": "Daugavpils",
        "country": "LV",
        "relationship": "twin",
        "since": date(1996, 5, 3),
        "languages": ["lv", "lt"],
        "areas": ["kultūra", "izglītība", "sports"],
        "contacts": [
            {
                "name": "Līga Ozoliņa",
                "position": "Ārējo sakaru speciāliste",
                "email": "liga.ozolina@example.org",
                "language": "lv",
            }
        ],
    },
    {
        "city": "თელავი",
        "country": "GE",
        "relationship": "partner",
        "since": date(2012, 9, 21),
        "languages": ["ka", "en"],
        "areas": ["ტურიზმი", "მევენახეობა"],
        "contacts": [
            {
                "name": "ნინო ბერიძე",
                "position": "საგარეო ურთიერთობების სამსახური",
                "email": "nino.beridze@example.org",
                "language": "ka",
            }
        ],
    },
    {
        "city": "Vlorë",
        "country": "AL",
        "relationship": "friendship",
        "since": date(2019, 6, 1),
        "languages": ["sq"],
        "areas": ["turizëm", "mbrojtja e bregdetit"],
        "status": "dormant",
        "contacts": [
            {
                "name": "Arbër Hoxha",
                "position": "Zyra e marrëdhënieve me jashtë",
                "email": "arber.hoxha@example.org",
                "language": "sq",
            }
        ],
    },
    {
        "city": "Šiauliai",
        "country": "LT",
        "relationship": "partner",
        "languages": ["lt"],
        "areas": ["jaunimo mainai", "kultūros paveldas"],
        "contacts": [
            {
                "name": "Ona Žemaitytė",
                "position": "Užsienio ryšių specialistė",
                "email": "ona.zemaityte@example.org",
                "language": "lt",
            }
        ],
    },
)


def load_demo_data(wiring: ServiceWiring) -> int:
    """Add the demo partners and an agreement ending soon (nothing when partners exist)."""
    partners: Partners = wiring.extensions["partners"]
    agreements: Agreements = wiring.extensions["agreements"]
    with wiring.unit_of_work() as uow:
        if uow.session.scalar(select(func.count()).select_from(Partner)):
            return 0
    created = [
        partners.create_partner(
            dict(partner), None, lambda row: StoredResponse(201, {"id": row.id})
        )
        for partner in DEMO_PARTNERS
    ]
    today = partners.today()
    agreements.create_agreement(
        {
            "partner_id": created[0].body["id"],
            "title": "Sadarbības līgums starp pašvaldībām",
            "parties": ["Daugavpils valstspilsētas pašvaldība", DEMO_PARTNERS[0]["city"]],
            "signed_on": date(2021, 4, 15),
            "starts_on": date(2021, 5, 1),
            # Ends within the default lead time, so the timer has something to announce.
            "ends_on": today + timedelta(days=60),
            "renewal": "manual",
            "areas": ["kultūra", "izglītība"],
            "documents": [],
        },
        None,
        lambda row: StoredResponse(201, {"id": row.id}),
    )
    return len(DEMO_PARTNERS) + 1
