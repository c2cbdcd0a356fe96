"""People's rights as printable pages: a request's answers and the record of processing.

Printed in the municipality's first language (lt, lv, ka, sq, else English);
the records are printed field by field as the services sent them, escaped.
Confidential letters are in the document (they are the person's own data),
marked as such.
"""

from __future__ import annotations

from html import escape
from typing import Any

from intake.usecases.rights import RequestView

LABELS: dict[str, dict[str, str]] = {
    "lt": {
        "restrict": "Prašymas apriboti asmens duomenų tvarkymą",
        "restricted": "apribota",
        "access": "Asmens duomenų rinkinys",
        "erase": "Prašymas ištrinti asmens duomenis",
        "request": "Prašymas",
        "person": "Asmuo",
        "requested": "Pateiktas",
        "outstanding": "Dar neatsakė",
        "service": "Tarnyba",
        "kind": "Rūšis",
        "reference": "Įrašas",
        "data": "Duomenys",
        "outcome": "Rezultatas",
        "reason": "Priežastis",
        "erased": "ištrinta",
        "kept": "palikta",
        "truncated": "Dalis įrašų netilpo į atsakymą.",
        "confidential": "konfidencialu",
        "none": "Įrašų nėra.",
        "ropa": "Duomenų tvarkymo veiklos įrašų žurnalas",
        "controller": "Duomenų valdytojas",
        "activity": "Veikla",
        "purpose": "Tikslas",
        "basis": "Teisinis pagrindas",
        "subjects": "Duomenų subjektai",
        "categories": "Duomenų kategorijos",
        "retention": "Saugojimo terminas",
        "recipients": "Gavėjai",
    },
    "lv": {
        "restrict": "Pieprasījums ierobežot personas datu apstrādi",
        "restricted": "ierobežots",
        "access": "Personas datu kopija",
        "erase": "Pieprasījums dzēst personas datus",
        "request": "Pieprasījums",
        "person": "Persona",
        "requested": "Iesniegts",
        "outstanding": "Vēl nav atbildējis",
        "service": "Dienests",
        "kind": "Veids",
        "reference": "Ieraksts",
        "data": "Dati",
        "outcome": "Rezultāts",
        "reason": "Iemesls",
        "erased": "dzēsts",
        "kept": "saglabāts",
        "truncated": "Daļa ierakstu atbildē neietilpa.",
        "confidential": "konfidenciāli",
        "none": "Ierakstu nav.",
        "ropa": "Apstrādes darbību reģistrs",
        "controller": "Pārzinis",
        "activity": "Darbība",
        "purpose": "Mērķis",
        "basis": "Tiesiskais pamats",
        "subjects": "Datu subjekti",
        "categories": "Datu kategorijas",
        "retention": "Glabāšanas termiņš",
        "recipients": "Saņēmēji",
    },
    "ka": {
        "restrict": "პერსონალური მონაცემების დამუშავების შეზღუდვის მოთხოვნა",
        "restricted": "შეზღუდულია",
        "access": "პერსონალური მონაცემების ასლი",
        "erase": "პერსონალური მონაცემების წაშლის მოთხოვნა",
        "request": "მოთხოვნა",
        "person": "პირი",
        "requested": "შემოსულია",
        "outstanding": "ჯერ არ უპასუხია",
        "service": "სამსახური",
        "kind": "სახე",
        "reference": "ჩანაწერი",
        "data": "მონაცემები",
        "outcome": "შედეგი",
        "reason": "მიზეზი",
        "erased": "წაშლილია",
        "kept": "შენახულია",
        "truncated": "ზოგიერთი ჩანაწერი პასუხში ვერ მოთავსდა.",
        "confidential": "კონფიდენციალური",
        "none": "ჩანაწერები არ არის.",
        "ropa": "დამუშავების საქმიანობების რეესტრი",
        "controller": "დამმუშავებელი",
        "activity": "საქმიანობა",
        "purpose": "მიზანი",
        "basis": "სამართლებრივი საფუძველი",
        "subjects": "მონაცემთა სუბიექტები",
        "categories": "მონაცემთა კატეგორიები",
        "retention": "შენახვის ვადა",
        "recipients": "მიმღებები",
    },
    "sq": {
        "restrict": "Kërkesë për kufizimin e përpunimit të të dhënave personale",
        "restricted": "kufizuar",
        "access": "Kopja e të dhënave personale",
        "erase": "Kërkesë për fshirjen e të dhënave personale",
        "request": "Kërkesa",
        "person": "Personi",
        "requested": "Paraqitur",
        "outstanding": "Ende pa përgjigje",
        "service": "Shërbimi",
        "kind": "Lloji",
        "reference": "Regjistrimi",
        "data": "Të dhënat",
        "outcome": "Rezultati",
        "reason": "Arsyeja",
        "erased": "fshirë",
        "kept": "ruajtur",
        "truncated": "Disa regjistrime nuk u përfshinë në përgjigje.",
        "confidential": "konfidenciale",
        "none": "Nuk ka regjistrime.",
        "ropa": "Regjistri i veprimtarive të përpunimit",
        "controller": "Kontrollues",
        "activity": "Veprimtaria",
        "purpose": "Qëllimi",
        "basis": "Baza ligjore",
        "subjects": "Subjektet e të dhënave",
        "categories": "Kategoritë e të dhënave",
        "retention": "Afati i ruajtjes",
        "recipients": "Marrësit",
    },
    "en": {
        "restrict": "Request to restrict the processing of personal data",
        "restricted": "restricted",
        "access": "Copy of personal data",
        "erase": "Request to erase personal data",
        "request": "Request",
        "person": "Person",
        "requested": "Requested",
        "outstanding": "Not answered yet",
        "service": "Service",
        "kind": "Kind",
        "reference": "Record",
        "data": "Data",
        "outcome": "Outcome",
        "reason": "Reason",
        "erased": "erased",
        "kept": "kept",
        "truncated": "Some records did not fit in the answer.",
        "confidential": "confidential",
        "none": "No records.",
        "ropa": "Record of processing activities",
        "controller": "Controller",
        "activity": "Activity",
        "purpose": "Purpose",
        "basis": "Legal basis",
        "subjects": "Data subjects",
        "categories": "Categories of data",
        "retention": "Retention",
        "recipients": "Recipients",
    },
}
STYLE = (
    "<style>body{font-family:sans-serif}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #000;padding:.2em .4em;text-align:left;vertical-align:top}"
    "dl{margin:0}dt{font-weight:bold}</style>"
)


def request_page(view: RequestView, language: str, municipality: str) -> str:
    """A request and every service's answer as a printable page in ``language``."""
    lang = language if language in LABELS else "en"
    words = LABELS[lang]
    request = view.request
    person = ", ".join(escape(value) for value in request.person.values() if value)
    heading = words[request.action]
    sections = "".join(
        _part(words, service, view.parts[service], request.action) for service in view.answered
    )
    outstanding = (
        f"<p>{words['outstanding']}: {escape(', '.join(view.outstanding))}</p>"
        if view.outstanding
        else ""
    )
    return _page(
        lang,
        f"{heading} {request.number}",
        (
            f"<h1>{escape(heading)}</h1><p>{escape(municipality)}</p>"
            f"<p>{words['request']} {request.number}. {words['person']}: {person}. "
            f"{words['requested']}: {request.requested_at.date().isoformat()}</p>"
            f"{outstanding}{sections}"
        ),
    )


def processing_page(record: dict[str, Any], language: str) -> str:
    """The record of processing activities as a printable page (headings in ``language``)."""
    lang = language if language in LABELS else "en"
    words = LABELS[lang]
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(value)}</td>"
            for value in (
                activity["service"],
                activity["name"],
                activity["purpose"],
                activity["legal_basis"],
                ", ".join(activity["data_subjects"]),
                ", ".join(activity["categories"]),
                activity["retention"],
                ", ".join(activity["recipients"]),
            )
        )
        + "</tr>"
        for activity in record["activities"]
    )
    header = "".join(
        f'<th scope="col">{words[key]}</th>'
        for key in (
            "service",
            "activity",
            "purpose",
            "basis",
            "subjects",
            "categories",
            "retention",
            "recipients",
        )
    )
    return _page(
        lang,
        words["ropa"],
        (
            f"<h1>{words['ropa']}</h1><p>{words['controller']}: {escape(record['controller'])}</p>"
            f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
        ),
    )


def _part(words: dict[str, str], service: str, part: Any, action: str) -> str:
    note = f"<p>{words['truncated']}</p>" if part.truncated else ""
    if action == "access":
        entries = part.records
        header: tuple[str, ...] = (words["kind"], words["reference"], words["data"])
        rows = "".join(
            f"<tr><td>{escape(entry['kind'])}"
            + (
                f" ({words['confidential']})"
                if entry.get("confidentiality", "normal") != "normal"
                else ""
            )
            + f"</td><td>{escape(entry['reference'])}</td><td>{_data(entry['data'])}</td></tr>"
            for entry in entries
        )
    else:
        entries = part.outcomes
        header = (words["kind"], words["reference"], words["outcome"], words["reason"])
        rows = "".join(
            f"<tr><td>{escape(entry['kind'])}</td><td>{escape(entry['reference'])}</td>"
            f"<td>{words[entry['outcome']]}</td><td>{escape(entry.get('reason') or '')}</td></tr>"
            for entry in entries
        )
    head = "".join(f'<th scope="col">{label}</th>' for label in header)
    table = (
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        if entries
        else f"<p>{words['none']}</p>"
    )
    return f"<h2>{words['service']}: {escape(service)}</h2>{note}{table}"


def _data(data: dict[str, Any]) -> str:
    return (
        "<dl>"
        + "".join(
            f"<dt>{escape(str(key))}</dt><dd>{escape(_text(value))}</dd>"
            for key, value in data.items()
        )
        + "</dl>"
    )


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items() if item)
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    return str(value)


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{STYLE}</head><body><main>{body}</main></body></html>"
    )
