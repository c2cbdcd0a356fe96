"""Words the templates insert that come from codes: approver roles, per language."""

from __future__ import annotations

ROLE_LABELS: dict[str, dict[str, str]] = {
    "department_head": {"lt": "skyriaus vedėjas", "lv": "nodaļas vadītājs",
                        "ka": "განყოფილების უფროსი", "sq": "drejtori i drejtorisë",
                        "en": "head of department"},
    "director": {"lt": "administracijos direktorius", "lv": "izpilddirektors",
                 "ka": "აპარატის უფროსი", "sq": "drejtori i përgjithshëm",
                 "en": "director of administration"},
    "deputy_mayor": {"lt": "mero pavaduotojas", "lv": "domes priekšsēdētāja vietnieks",
                     "ka": "მერის მოადგილე", "sq": "zëvendëskryetari", "en": "deputy mayor"},
    "mayor": {"lt": "meras", "lv": "domes priekšsēdētājs", "ka": "მერი",
              "sq": "kryetari i bashkisë", "en": "mayor"},
    "council_chair": {"lt": "tarybos pirmininkas", "lv": "domes priekšsēdētājs",
                      "ka": "საკრებულოს თავმჯდომარე", "sq": "kryetari i këshillit",
                      "en": "council chair"},
}


def role_label(role: str, language: str | None) -> str:
    """A role's name in ``language`` (English, then the code itself, when unknown)."""
    labels = ROLE_LABELS.get(role, {})
    return labels.get(language or "") or labels.get("en") or role
