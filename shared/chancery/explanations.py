"""Deadline explanations in the reader's language.

:class:`chancery.calendar.WorkingCalendar` records each step of a computation as a
code with its values (``{"code": "skipped", "day": "2026-12-24", "reason": {...}}``);
this module renders such steps as sentences in Lithuanian, Latvian, Georgian,
Albanian or English. Holiday names come from the ``holidays`` package in the
reader's language. A stored step that is already a sentence (explanations stored
before steps were structured) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import holidays

__all__ = ["EXPLANATION_LANGUAGES", "explanation_language", "render", "render_reason"]

EXPLANATION_LANGUAGES = ("lt", "lv", "ka", "sq", "en")
_HOLIDAY_LANGUAGES = {"lt": "lt", "lv": "lv", "ka": "ka", "sq": "sq", "en": "en_US"}

# The weekdays' names in the five languages, Monday first (shared with the notices' dates).
WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "lt": (
        "pirmadienis",
        "antradienis",
        "trečiadienis",
        "ketvirtadienis",
        "penktadienis",
        "šeštadienis",
        "sekmadienis",
    ),
    "lv": (
        "pirmdiena",
        "otrdiena",
        "trešdiena",
        "ceturtdiena",
        "piektdiena",
        "sestdiena",
        "svētdiena",
    ),
    "ka": ("ორშაბათი", "სამშაბათი", "ოთხშაბათი", "ხუთშაბათი", "პარასკევი", "შაბათი", "კვირა"),
    "sq": ("e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel"),
}

# One sentence per step code. Placeholders: {day} is a date with its weekday, {day_iso}
# the bare date, {reason} a rendered reason, {ordinal} the language's ordinal of {n}.
_STEPS: dict[str, dict[str, str]] = {
    "en": {
        "received": "Received {at} {zone} ({weekday})",
        "after_hours": "Received after working hours ended at {closing}{shortened}",
        "shortened": " (a working day shortened before a public holiday)",
        "closed_arrival": "Received on a non-working day: {reason}",
        "skipped": "Skipped {day}: {reason}",
        "counts_as_received": "Counts as received on the next working day: {day}",
        "arrival_day_counts": "Received outside working hours; the law counts the term from "
        "the arrival date {day_iso}",
        "counting_starts": "Counting starts the day after receipt: {day_iso}",
        "counting_continues": "Counting continues the day after the current due date: {day_iso}",
        "extension_from_due": "Extension of the current due date {day}",
        "extension_from_receipt": "The extended term is counted from receipt, as the law sets it",
        "nth_working_day": "{ordinal} working day: {day}",
        "nth_calendar_day": "{ordinal} calendar day: {day}",
        "months_after": "{n} {months} after {from_iso}: {day}{clamped}",
        "month": "month",
        "months": "months",
        "clamped": " (the month has no day {dom}; its last day is used)",
        "rolls_forward": "{day_iso} is not a working day ({reason}); the deadline moves to "
        "the next working day",
        "due": "Due date: {day}",
        "transferred_working_day": "{day} is a working day, transferred from {replaces_iso}",
        "declared_working_day": "{day} is a working day by government decision: "
        "{reason_text}{decree}",
    },
    "lt": {
        "received": "Gauta {at} {zone} ({weekday})",
        "after_hours": "Gauta pasibaigus darbo laikui ({closing}){shortened}",
        "shortened": " (prieš šventę sutrumpinta darbo diena)",
        "closed_arrival": "Gauta ne darbo dieną: {reason}",
        "skipped": "Praleista {day}: {reason}",
        "counts_as_received": "Laikoma gauta kitą darbo dieną: {day}",
        "arrival_day_counts": "Gauta ne darbo metu; terminas skaičiuojamas nuo gavimo dienos "
        "{day_iso}",
        "counting_starts": "Terminas pradedamas skaičiuoti kitą dieną po gavimo: {day_iso}",
        "counting_continues": "Terminas skaičiuojamas toliau nuo kitos dienos po dabartinės "
        "termino dienos: {day_iso}",
        "extension_from_due": "Pratęsiama dabartinė termino diena {day}",
        "extension_from_receipt": "Pratęstas terminas skaičiuojamas nuo gavimo, kaip nustato "
        "įstatymas",
        "nth_working_day": "{ordinal} darbo diena: {day}",
        "nth_calendar_day": "{ordinal} kalendorinė diena: {day}",
        "months_after": "{n} mėn. po {from_iso}: {day}{clamped}",
        "month": "mėn.",
        "months": "mėn.",
        "clamped": " (mėnuo neturi {dom} dienos; imama paskutinė jo diena)",
        "rolls_forward": "{day_iso} nėra darbo diena ({reason}); terminas perkeliamas į kitą "
        "darbo dieną",
        "due": "Termino diena: {day}",
        "transferred_working_day": "{day} yra darbo diena, perkelta iš {replaces_iso}",
        "declared_working_day": "{day} yra darbo diena Vyriausybės sprendimu: "
        "{reason_text}{decree}",
    },
    "lv": {
        "received": "Saņemts {at} {zone} ({weekday})",
        "after_hours": "Saņemts pēc darba laika beigām ({closing}){shortened}",
        "shortened": " (pirms svētku dienas saīsināta darba diena)",
        "closed_arrival": "Saņemts dienā, kas nav darba diena: {reason}",
        "skipped": "Izlaista {day}: {reason}",
        "counts_as_received": "Uzskatāms par saņemtu nākamajā darba dienā: {day}",
        "arrival_day_counts": "Saņemts ārpus darba laika; termiņu skaita no saņemšanas "
        "dienas {day_iso}",
        "counting_starts": "Termiņu sāk skaitīt nākamajā dienā pēc saņemšanas: {day_iso}",
        "counting_continues": "Termiņu turpina skaitīt no nākamās dienas pēc pašreizējā "
        "termiņa: {day_iso}",
        "extension_from_due": "Pašreizējā termiņa {day} pagarinājums",
        "extension_from_receipt": "Pagarināto termiņu skaita no saņemšanas, kā to nosaka likums",
        "nth_working_day": "{ordinal} darba diena: {day}",
        "nth_calendar_day": "{ordinal} kalendāra diena: {day}",
        "months_after": "{n} mēn. pēc {from_iso}: {day}{clamped}",
        "month": "mēn.",
        "months": "mēn.",
        "clamped": " (mēnesī nav {dom}. datuma; izmanto tā pēdējo dienu)",
        "rolls_forward": "{day_iso} nav darba diena ({reason}); termiņš pārceļas uz nākamo "
        "darba dienu",
        "due": "Termiņš: {day}",
        "transferred_working_day": "{day} ir darba diena, pārcelta no {replaces_iso}",
        "declared_working_day": "{day} ir darba diena ar valdības lēmumu: {reason_text}{decree}",
    },
    "ka": {
        "received": "მიღებულია {at} {zone} ({weekday})",
        "after_hours": "მიღებულია სამუშაო საათების დასრულების შემდეგ ({closing}){shortened}",
        "shortened": " (დღესასწაულის წინ შემოკლებული სამუშაო დღე)",
        "closed_arrival": "მიღებულია არასამუშაო დღეს: {reason}",
        "skipped": "გამოტოვებულია {day}: {reason}",
        "counts_as_received": "მიღებულად ითვლება მომდევნო სამუშაო დღეს: {day}",
        "arrival_day_counts": "მიღებულია სამუშაო დროის გარეთ; ვადა აითვლება მიღების დღიდან "
        "{day_iso}",
        "counting_starts": "ვადის ათვლა იწყება მიღების მომდევნო დღიდან: {day_iso}",
        "counting_continues": "ვადის ათვლა გრძელდება მიმდინარე ვადის მომდევნო დღიდან: {day_iso}",
        "extension_from_due": "მიმდინარე ვადის ({day}) გაგრძელება",
        "extension_from_receipt": "გაგრძელებული ვადა აითვლება მიღებიდან, როგორც კანონი ადგენს",
        "nth_working_day": "{ordinal} სამუშაო დღე: {day}",
        "nth_calendar_day": "{ordinal} კალენდარული დღე: {day}",
        "months_after": "{from_iso}-დან {n} თვის შემდეგ: {day}{clamped}",
        "month": "თვე",
        "months": "თვე",
        "clamped": " (თვეში არ არის {dom} რიცხვი; გამოიყენება თვის ბოლო დღე)",
        "rolls_forward": "{day_iso} არ არის სამუშაო დღე ({reason}); ვადა გადადის მომდევნო "
        "სამუშაო დღეზე",
        "due": "ვადის ბოლო დღე: {day}",
        "transferred_working_day": "{day} სამუშაო დღეა, გადმოტანილია {replaces_iso}-დან",
        "declared_working_day": "{day} სამუშაო დღეა მთავრობის გადაწყვეტილებით: "
        "{reason_text}{decree}",
    },
    "sq": {
        "received": "Marrë më {at} {zone} ({weekday})",
        "after_hours": "Marrë pas mbarimit të orarit të punës ({closing}){shortened}",
        "shortened": " (ditë pune e shkurtuar para festës)",
        "closed_arrival": "Marrë në ditë pushimi: {reason}",
        "skipped": "Kapërcehet {day}: {reason}",
        "counts_as_received": "Quhet e marrë ditën e ardhshme të punës: {day}",
        "arrival_day_counts": "Marrë jashtë orarit të punës; afati llogaritet nga dita e "
        "mbërritjes {day_iso}",
        "counting_starts": "Afati fillon të llogaritet ditën pas marrjes: {day_iso}",
        "counting_continues": "Afati vazhdon ditën pas afatit aktual: {day_iso}",
        "extension_from_due": "Zgjatje e afatit aktual {day}",
        "extension_from_receipt": "Afati i zgjatur llogaritet nga marrja, siç e përcakton ligji",
        "nth_working_day": "{ordinal} e punës: {day}",
        "nth_calendar_day": "{ordinal} kalendarike: {day}",
        "months_after": "{n} muaj pas {from_iso}: {day}{clamped}",
        "month": "muaj",
        "months": "muaj",
        "clamped": " (muaji nuk ka ditën {dom}; përdoret dita e fundit e tij)",
        "rolls_forward": "{day_iso} nuk është ditë pune ({reason}); afati shtyhet në ditën e "
        "ardhshme të punës",
        "due": "Afati: {day}",
        "transferred_working_day": "{day} është ditë pune, e transferuar nga {replaces_iso}",
        "declared_working_day": "{day} është ditë pune me vendim të qeverisë: "
        "{reason_text}{decree}",
    },
}

_REASONS: dict[str, dict[str, str]] = {
    "en": {
        "holiday": "public holiday: {name}",
        "municipality": "closed by the municipality",
        "declared": "day off by government decision: {reason}{decree}",
    },
    "lt": {
        "holiday": "šventinė diena: {name}",
        "municipality": "savivaldybė nedirba",
        "declared": "poilsio diena Vyriausybės sprendimu: {reason}{decree}",
    },
    "lv": {
        "holiday": "svētku diena: {name}",
        "municipality": "pašvaldība nestrādā",
        "declared": "brīvdiena ar valdības lēmumu: {reason}{decree}",
    },
    "ka": {
        "holiday": "დღესასწაული: {name}",
        "municipality": "მუნიციპალიტეტი არ მუშაობს",
        "declared": "უქმე დღე მთავრობის გადაწყვეტილებით: {reason}{decree}",
    },
    "sq": {
        "holiday": "festë zyrtare: {name}",
        "municipality": "bashkia nuk punon",
        "declared": "ditë pushimi me vendim të qeverisë: {reason}{decree}",
    },
}


def explanation_language(requested: str | None, fallback: str) -> str:
    """The language to explain in: ``requested`` when it is one we write, else ``fallback``.

    ``requested`` may be a language tag (``lt-LT``) or an Accept-Language value; the
    first supported primary language wins. ``fallback`` is used when none is (and "en"
    when ``fallback`` itself is not one we write).
    """
    for part in (requested or "").split(","):
        primary = part.split(";")[0].strip().split("-")[0].lower()
        if primary in EXPLANATION_LANGUAGES:
            return primary
    return fallback if fallback in EXPLANATION_LANGUAGES else "en"


def render(steps: Iterable[Mapping[str, Any] | str], language: str, country: str = "") -> list[str]:
    """The steps as sentences in ``language`` (unknown languages fall back to English)."""
    language = language if language in _STEPS else "en"
    return [
        step if isinstance(step, str) else _render_step(step, language, country) for step in steps
    ]


def render_reason(reason: Mapping[str, Any], language: str, country: str = "") -> str:
    """Why a day is closed, in ``language`` (see ``WorkingCalendar.closed_reason_detail``)."""
    language = language if language in _REASONS else "en"
    kind = reason["kind"]
    if kind == "weekday":
        return WEEKDAY_NAMES[language][int(reason["weekday"])]
    if kind == "holiday":
        name = _holiday_name(country, reason["day"], language) or reason["name"]
        return _REASONS[language]["holiday"].format(name=name)
    if kind == "declared":
        return _REASONS[language]["declared"].format(
            reason=reason["reason"], decree=_decree(reason.get("decree"))
        )
    return _REASONS[language]["municipality"]


def _render_step(step: Mapping[str, Any], language: str, country: str) -> str:
    texts = _STEPS[language]
    code = step["code"]
    values: dict[str, Any] = {key: value for key, value in step.items() if key != "code"}
    if "day" in step:
        values["day_iso"] = step["day"]
        reason = step.get("reason")
        weekday_reason = isinstance(reason, Mapping) and reason.get("kind") == "weekday"
        values["day"] = step["day"] if weekday_reason else _describe(step["day"], language)
    if isinstance(step.get("reason"), Mapping):
        values["reason"] = render_reason(step["reason"], language, country)
    if code == "received":
        values["weekday"] = WEEKDAY_NAMES[language][int(step["weekday"])]
    elif code == "after_hours":
        values["shortened"] = texts["shortened"] if step.get("shortened") else ""
    elif code in ("nth_working_day", "nth_calendar_day"):
        values["ordinal"] = _ordinal(int(step["n"]), language)
    elif code == "months_after":
        values["months"] = texts["month" if step["n"] == 1 else "months"]
        values["from_iso"] = step["from"]
        values["clamped"] = (
            texts["clamped"].format(dom=int(step["from"][8:10])) if step.get("clamped") else ""
        )
    elif code == "transferred_working_day":
        values["replaces_iso"] = step["replaces"]
    elif code == "declared_working_day":
        values["reason_text"] = step["reason"]
        values["decree"] = _decree(step.get("decree"))
    template = texts.get(code)
    if template is None:
        return f"{code}: {dict(step)}"
    return template.format(**values)


def _describe(iso_day: str, language: str) -> str:
    """A date with its weekday, e.g. "2026-12-28 (Monday)"."""
    return f"{iso_day} ({WEEKDAY_NAMES[language][date.fromisoformat(iso_day).weekday()]})"


def _decree(decree: str | None) -> str:
    return f" ({decree})" if decree else ""


def _ordinal(number: int, language: str) -> str:
    """The ordinal of a positive number in ``language``."""
    if language == "lt":
        return f"{number}-a"
    if language == "lv":
        return f"{number}."
    if language == "ka":
        return "პირველი" if number == 1 else f"მე-{number}"
    if language == "sq":
        return "Dita e parë" if number == 1 else f"Dita e {number}-të"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _holiday_name(country: str, iso_day: str, language: str) -> str | None:
    """The holiday's name in ``language`` from the ``holidays`` package, if it has one."""
    if not country:
        return None
    day = date.fromisoformat(iso_day)
    return _holiday_names(country, day.year, _HOLIDAY_LANGUAGES[language]).get(day)


@lru_cache(maxsize=64)
def _holiday_names(country: str, year: int, language: str) -> dict[date, str]:
    try:
        supported = holidays.country_holidays(country, years=()).supported_languages
    except NotImplementedError:
        return {}
    # Another country's holidays in a language its table lacks: English, not the local one.
    chosen = language if language in supported else "en_US"
    source = holidays.country_holidays(country, years=(year - 1, year), language=chosen)
    return dict(source.items())
