"""Words the templates insert that come from codes and dates, per language.

Approver roles, what changed in an event, renewals and deadline kinds, and
local dates and times written the way each language writes them.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from chancery.explanations import WEEKDAY_NAMES

ROLE_LABELS: dict[str, dict[str, str]] = {
    "department_head": {
        "lt": "skyriaus vedėjas",
        "lv": "nodaļas vadītājs",
        "ka": "განყოფილების უფროსი",
        "sq": "drejtori i drejtorisë",
        "en": "head of department",
    },
    "director": {
        "lt": "administracijos direktorius",
        "lv": "izpilddirektors",
        "ka": "აპარატის უფროსი",
        "sq": "drejtori i përgjithshëm",
        "en": "director of administration",
    },
    "deputy_mayor": {
        "lt": "mero pavaduotojas",
        "lv": "domes priekšsēdētāja vietnieks",
        "ka": "მერის მოადგილე",
        "sq": "zëvendëskryetari",
        "en": "deputy mayor",
    },
    "mayor": {
        "lt": "meras",
        "lv": "domes priekšsēdētājs",
        "ka": "მერი",
        "sq": "kryetari i bashkisë",
        "en": "mayor",
    },
    "council_chair": {
        "lt": "tarybos pirmininkas",
        "lv": "domes priekšsēdētājs",
        "ka": "საკრებულოს თავმჯდომარე",
        "sq": "kryetari i këshillit",
        "en": "council chair",
    },
}


def role_label(role: str, language: str | None) -> str:
    """A role's name in ``language`` (English, then the code itself, when unknown)."""
    labels = ROLE_LABELS.get(role, {})
    return labels.get(language or "") or labels.get("en") or role


CHANGE_LABELS: dict[str, dict[str, str]] = {
    "time": {"lt": "laikas", "lv": "laiks", "ka": "დრო", "sq": "koha", "en": "time"},
    "venue": {"lt": "vieta", "lv": "vieta", "ka": "ადგილი", "sq": "vendi", "en": "venue"},
    "title": {
        "lt": "pavadinimas",
        "lv": "nosaukums",
        "ka": "სახელწოდება",
        "sq": "titulli",
        "en": "title",
    },
    "participants": {
        "lt": "dalyviai",
        "lv": "dalībnieki",
        "ka": "მონაწილეები",
        "sq": "pjesëmarrësit",
        "en": "participants",
    },
    "description": {
        "lt": "aprašymas",
        "lv": "apraksts",
        "ka": "აღწერა",
        "sq": "përshkrimi",
        "en": "description",
    },
}
# How an invitation or a press accreditation was decided (issue 17).
DECISION_LABELS: dict[str, dict[str, str]] = {
    "approved": {
        "lt": "patvirtinta",
        "lv": "apstiprināts",
        "ka": "დამტკიცებულია",
        "sq": "miratuar",
        "en": "approved",
    },
    "declined": {
        "lt": "atsisakyta",
        "lv": "noraidīts",
        "ka": "უარყოფილია",
        "sq": "refuzuar",
        "en": "declined",
    },
    "withdrawn": {
        "lt": "atšaukta",
        "lv": "atsaukts",
        "ka": "გაუქმებულია",
        "sq": "tërhequr",
        "en": "withdrawn",
    },
    "refused": {
        "lt": "atmesta",
        "lv": "atteikts",
        "ka": "უარი ეთქვა",
        "sq": "nuk u pranua",
        "en": "refused",
    },
}
RENEWAL_LABELS: dict[str, dict[str, str]] = {
    "automatic": {
        "lt": "pratęsiama automatiškai",
        "lv": "tiek pagarināts automātiski",
        "ka": "ავტომატურად გრძელდება",
        "sq": "rinovohet automatikisht",
        "en": "renewed automatically",
    },
    "manual": {
        "lt": "reikia pratęsti atskiru sprendimu",
        "lv": "jāpagarina ar atsevišķu lēmumu",
        "ka": "გაგრძელება ცალკე გადაწყვეტილებას საჭიროებს",
        "sq": "rinovohet me vendim të veçantë",
        "en": "renewed by a separate decision",
    },
    "none": {
        "lt": "nepratęsiama",
        "lv": "netiek pagarināts",
        "ka": "არ გრძელდება",
        "sq": "nuk rinovohet",
        "en": "not renewable",
    },
}
# Who gave an assignment no person gave: routing's rules, on the registry's behalf.
GIVER_LABELS: dict[str, dict[str, str]] = {
    "routing": {
        "lt": "registras pagal paskirstymo taisykles",
        "lv": "reģistrs pēc sadales noteikumiem",
        "ka": "რეესტრი განაწილების წესების მიხედვით",
        "sq": "regjistri sipas rregullave të shpërndarjes",
        "en": "the registry, by the routing rules",
    },
}
# Which way a translation of foreign correspondence goes.
TRANSLATION_DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "incoming": {
        "lt": "gautas laiškas į vietos kalbą",
        "lv": "saņemta vēstule vietējā valodā",
        "ka": "მიღებული წერილი ადგილობრივ ენაზე",
        "sq": "letër e ardhur në gjuhën vendase",
        "en": "incoming letter into the local language",
    },
    "outgoing": {
        "lt": "atsakymas į partnerio kalbą",
        "lv": "atbilde partnera valodā",
        "ka": "პასუხი პარტნიორის ენაზე",
        "sq": "përgjigje në gjuhën e partnerit",
        "en": "reply into the partner's language",
    },
}
DEADLINE_KIND_LABELS: dict[str, dict[str, str]] = {
    "application": {
        "lt": "paraiškos pateikimas",
        "lv": "pieteikuma iesniegšana",
        "ka": "განაცხადის წარდგენა",
        "sq": "dorëzimi i aplikimit",
        "en": "application submission",
    },
    "report": {
        "lt": "ataskaitos pateikimas",
        "lv": "atskaites iesniegšana",
        "ka": "ანგარიშის წარდგენა",
        "sq": "dorëzimi i raportit",
        "en": "report submission",
    },
}


def code_label(labels: dict[str, dict[str, str]], code: str, language: str | None) -> str:
    """A code's words in ``language`` from ``labels`` (English, then the code, when unknown)."""
    words = labels.get(code, {})
    return words.get(language or "") or words.get("en") or code


# Dates and times as each language writes them; the ISO date is the fallback.
MONTHS: dict[str, tuple[str, ...]] = {
    "lv": (
        "janvāris",
        "februāris",
        "marts",
        "aprīlis",
        "maijs",
        "jūnijs",
        "jūlijs",
        "augusts",
        "septembris",
        "oktobris",
        "novembris",
        "decembris",
    ),
    "ka": (
        "იანვარი",
        "თებერვალი",
        "მარტი",
        "აპრილი",
        "მაისი",
        "ივნისი",
        "ივლისი",
        "აგვისტო",
        "სექტემბერი",
        "ოქტომბერი",
        "ნოემბერი",
        "დეკემბერი",
    ),
    "sq": (
        "janar",
        "shkurt",
        "mars",
        "prill",
        "maj",
        "qershor",
        "korrik",
        "gusht",
        "shtator",
        "tetor",
        "nëntor",
        "dhjetor",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def local_date(day: date, language: str | None) -> str:
    """``day`` as ``language`` writes a date (Lithuanian uses the ISO form itself)."""
    month = MONTHS.get(language or "", ())
    if language == "lv":
        return f"{day.year}. gada {day.day}. {month[day.month - 1]}"
    if language == "ka":
        return f"{day.year} წლის {day.day} {month[day.month - 1]}"
    if language in ("sq", "en"):
        return f"{day.day} {month[day.month - 1]} {day.year}"
    return day.isoformat()


def local_day(day: date, language: str | None) -> str:
    """``day`` with its weekday, as ``language`` writes it."""
    weekdays = WEEKDAY_NAMES.get(language or "")
    if weekdays is None:
        return day.isoformat()
    weekday = weekdays[day.weekday()]
    if language == "lt":
        return f"{day.isoformat()} ({weekday})"
    return f"{weekday}, {local_date(day, language)}"


def local_when(starts_at: datetime, ends_at: datetime, time_zone: str, language: str | None) -> str:
    """When something happens, in ``time_zone``'s local time, as ``language`` writes it.

    The same day reads ``<day>, 12:00–14:00``; several days name both ends.
    """
    zone = ZoneInfo(time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    hour = "ora " if language == "sq" else ""
    if start.date() == end.date():
        return f"{local_day(start.date(), language)}, {hour}{start:%H:%M}–{end:%H:%M}"
    return (
        f"{local_day(start.date(), language)}, {hour}{start:%H:%M} – "
        f"{local_day(end.date(), language)}, {hour}{end:%H:%M}"
    )
