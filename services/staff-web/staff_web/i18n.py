"""Languages: the five catalogues, who reads which, and dates in the municipality's zone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_locale, lazy_gettext
from flask_babel.speaklater import LazyString

from staff_web.api_client import ApiError

LANGUAGES = {"lt": "Lietuvių", "lv": "Latviešu", "ka": "ქართული", "sq": "Shqip", "en": "English"}
TRANSLATIONS = Path(__file__).parent / "translations"


def choose_language(default: str) -> str:
    """``?lang=`` (remembered in the session), else the session's, else the municipality's."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else default


def install(app: Flask, default_language: str, time_zone: str) -> None:
    """Flask-Babel with the compiled catalogues; the language picker's globals."""
    default = default_language if default_language in LANGUAGES else "en"
    app.config.update(
        BABEL_DEFAULT_LOCALE=default,
        BABEL_DEFAULT_TIMEZONE=time_zone,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
    )

    def locale() -> str:
        if "language" not in g:
            g.language = choose_language(default)
        return g.language

    Babel(app, locale_selector=locale)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = locale
    app.jinja_env.add_extension("jinja2.ext.i18n")


# The services' usual validation reasons (regular expressions), in the person's language;
# the first that matches wins, others are shown as sent.
REASON_PATTERNS: dict[str, LazyString] = {
    (
        r"^Missing data for required field\.$|^required for \w+ letters$|"
        r"^Shorter than minimum length 1\.$|^Field may not be null\.$"
    ): lazy_gettext("This field is required."),
    r"^Length must be between 1 and (?P<max>\d+)\.$": lazy_gettext(
        "Enter between 1 and %(max)s characters."
    ),
    r"^Not a valid email address\.$": lazy_gettext("This is not a valid e-mail address."),
    r"^Not a valid datetime\.$|^Not a valid aware datetime\.$": lazy_gettext(
        "This is not a valid date and time."
    ),
    r"^Must be one of: .*$|^must be one of .*$": lazy_gettext("Choose one of the offered values."),
    # An imported file plan's wrong cell (intake.domain.file_plan), shown by row and column.
    r"^needs exactly (?P<count>\d+) cells$": lazy_gettext("needs exactly %(count)s cells"),
    r"^letters, digits, '\.' and '-', at most 50$": lazy_gettext(
        "letters, digits, “.” and “-”, at most 50"
    ),
    r"^(?P<code>.+) is listed twice$": lazy_gettext("%(code)s is listed twice"),
    r"^(?P<code>.+) is not a file listed above$": lazy_gettext(
        "%(code)s is not a file listed above"
    ),
    r"^required, at most 500 characters$": lazy_gettext("required, at most 500 characters"),
    r"^no department (?P<code>\S*) in \S+$": lazy_gettext(
        "the municipality has no department %(code)s"
    ),
    r"^one of paper, electronic, mixed$": lazy_gettext("one of paper, electronic, mixed"),
    r"^space-separated letter kinds: (?P<kinds>.+)$": lazy_gettext(
        "letter kinds separated by spaces: %(kinds)s"
    ),
    r"^whole years 1–(?P<max>\d+) or permanent$": lazy_gettext(
        "whole years from 1 to %(max)s, or permanent"
    ),
    r"^must be code,parent,title,department,retention,legal_basis,medium,kinds$": lazy_gettext(
        "the first line must be code,parent,title,department,retention,legal_basis,medium,kinds"
    ),
    # protocol-events' and foreign-relations' refusals: the reason is the code, the
    # parameters are in it (decision 0058).
    r"^(?P<current>\w+) → (?P<target>\w+) is not allowed$": lazy_gettext(
        "This step is not possible now (%(current)s → %(target)s)."
    ),
    r"^stale version$": lazy_gettext(
        "Someone changed this in the meantime: read it again and repeat."
    ),
    r"^outside the event$|^programme items outside the event$": lazy_gettext(
        "The programme must lie within the event's time."
    ),
    r"^not after starts_at$|^before the start$": lazy_gettext("The end must come after the start."),
    r"^over budget: explicit approval needed$": lazy_gettext(
        "Over the budget: approve it explicitly."
    ),
    r"^after the ceremony$": lazy_gettext(
        "The award is granted before the ceremony that presents it."
    ),
    r"^not a nominee$": lazy_gettext("Only a nominee can be granted the award."),
    r"^not a ceremony$": lazy_gettext("Only a ceremony has nominees."),
    r"^(?P<state>\w+) before the departure date$": lazy_gettext(
        "Not before the departure date (%(state)s)."
    ),
    r"^under_way after the return date$": lazy_gettext(
        "A trip cannot be under way after its return date."
    ),
    r"^more than one member is the head$|^\d+ heads flagged, 1 expected$": lazy_gettext(
        "Only one traveller heads the delegation."
    ),
    r"^in the past$": lazy_gettext("This time has passed."),
    r"^slot already booked$": lazy_gettext("This slot is already booked."),
    r"^beyond the booking horizon$": lazy_gettext("This slot is too far ahead to book."),
    r"^not a reception slot$": lazy_gettext("This is not one of the official's reception slots."),
    # The visitor log (protocol-events receptions): not hours before the slot.
    r"^arrived before (?P<minutes>\d+) minutes before the slot$": lazy_gettext(
        "A visitor can be recorded as arrived from %(minutes)s minutes before the slot."
    ),
    r"^no_show before the slot starts$": lazy_gettext(
        "A visitor can be recorded as not having come only once the slot has begun."
    ),
    r"^cancelled$": lazy_gettext("It is cancelled."),
    r"^inactive official$": lazy_gettext("The official no longer holds reception hours."),
    r"^\w+ is not editable$": lazy_gettext(
        "The event can no longer be changed in its present state."
    ),
    r"^\w+, not confirmed$": lazy_gettext("Invitations are answered while the event is confirmed."),
    r"^\w+ is final$": lazy_gettext("This expense has already been decided."),
    r"^actual .+$": lazy_gettext("The actual cost is not waiting for a decision."),
    r"^rejected line$": lazy_gettext("The cost line was declined: it has no actual cost."),
    r"^unknown department( \S+)?$": lazy_gettext("The municipality has no such department."),
    # The foreign-relations desk's refusals.
    r"^the agreement has no end$": lazy_gettext("An open-ended agreement has no term to renew."),
    r"^not after the current term's end$": lazy_gettext(
        "The new term must end after the current one."
    ),
    r"^before first_year$": lazy_gettext("The plan ends before it starts."),
    r"^must equal first_year for an annual plan$": lazy_gettext("An annual plan covers one year."),
    r"^the invitation is \w+$|^\w+, not approved$": lazy_gettext(
        "Only an approved invitation leads to a trip or a visit."
    ),
    r"^the trip is \w+$": lazy_gettext("A reported or cancelled trip cannot be changed."),
    r"^one visit per invitation$": lazy_gettext("This invitation already has its visit."),
    r"^already an invitation$": lazy_gettext("That letter is already an invitation."),
    r"^not an amount$": lazy_gettext("This is not an amount."),
    r"^the task is outgoing already$": lazy_gettext("Replies answer incoming correspondence."),
    r"^duplicate kind and date$": lazy_gettext("The same deadline is listed twice."),
    # The operator console's template preview and resend (notifications).
    r"^missing (?P<names>.+)$": lazy_gettext("The preview data lacks: %(names)s."),
    r"^unknown template$": lazy_gettext("There is no such template."),
    r"^no address$|^no \w+ address$|^not an? \w+ address$": lazy_gettext(
        "The recipient has no address for this channel."
    ),
    r"^same as source_language$": lazy_gettext("Choose a language other than the original's."),
    r"^required when cancelling$": lazy_gettext("Say why it is cancelled."),
    r"^unknown (resource|programme item|official|trip|partner city)$": lazy_gettext(
        "It no longer exists: read the page again."
    ),
    # Why a service kept a record it was asked to erase (people's rights, decision 60).
    (
        r"^The protocol book keeps the letter's registration number and the fact of "
        r"registration for good; its contents are kept until (?P<until>[0-9-]+) by "
        r"case file (?P<file>.+?) \((?P<basis>.*)\), then erased by a destruction "
        r"act\.$"
    ): lazy_gettext(
        "The protocol book keeps the letter's registration number and the fact of "
        "registration for good; its contents are kept until %(until)s by case "
        "file %(file)s (%(basis)s), then erased by a destruction act."
    ),
    (
        r"^The protocol book keeps the letter's registration number and the fact of "
        r"registration for good; its contents are kept permanently by case file "
        r"(?P<file>.+?) \((?P<basis>.*)\)\.$"
    ): lazy_gettext(
        "The protocol book keeps the letter's registration number and the fact of "
        "registration for good; its contents are kept permanently by case file "
        "%(file)s (%(basis)s)."
    ),
    r"^not later than the letter's due date (?P<date>[\d-]+)$": lazy_gettext(
        "Not later than the letter's due date, %(date)s."
    ),
    r"^before today$": lazy_gettext("The date is in the past."),
}

# Reasons a service gives as whole sentences, matched to the letter.
REASON_SENTENCES: dict[str, LazyString] = {
    (
        "The protocol book keeps the letter's registration number and the fact of "
        "registration for good; its contents are kept for its case file's retention."
    ): lazy_gettext(
        "The protocol book keeps the letter's registration number and the fact "
        "of registration for good; its contents are kept for its case file's "
        "retention."
    ),
    (
        "Part of the letter's case file, kept for the file plan's retention period and "
        "erased with the file by its destruction act."
    ): lazy_gettext(
        "Part of the letter's case file, kept for the file plan's retention "
        "period and erased with the file by its destruction act."
    ),
    "An employment record, kept while the person works here.": lazy_gettext(
        "An employment record, kept while the person works here."
    ),
    (
        "An opt-out is the person's objection to notices (GDPR Art. 21); it is kept so "
        "that they are not contacted again."
    ): lazy_gettext(
        "An opt-out is the person's objection to notices (GDPR Art. 21); it is "
        "kept so that they are not contacted again."
    ),
    "An upcoming booking: kept until it is held or cancelled.": lazy_gettext(
        "An upcoming booking: kept until it is held or cancelled."
    ),
    (
        "Part of the event's record (its guest list in protocol order), kept for the "
        "event's case file retention in the file plan."
    ): lazy_gettext(
        "Part of the event's record (its guest list in protocol order), kept "
        "for the event's case file retention in the file plan."
    ),
    (
        "A travel record: the trip's per diems and expenses are accounting documents, kept "
        "for the trip's case file retention in the file plan."
    ): lazy_gettext(
        "A travel record: the trip's per diems and expenses are accounting "
        "documents, kept for the trip's case file retention in the file plan."
    ),
    "The visit has not ended yet: its delegation list is still in use.": lazy_gettext(
        "The visit has not ended yet: its delegation list is still in use."
    ),
    "The trip has not returned yet: its delegation list is still in use.": lazy_gettext(
        "The trip has not returned yet: its delegation list is still in use."
    ),
    # A service's refusal to process what a person restricted (GDPR Art. 18).
    "restricted": lazy_gettext(
        "The person restricted the processing of their data (GDPR Art. 18): it is only stored."
    ),
    (
        "Processed for the municipality's public task or a legal obligation, which a "
        "restriction does not stop (GDPR Art. 18(2)); the restriction is recorded with the "
        "request."
    ): lazy_gettext(
        "Processed for the municipality's public task or a legal obligation, "
        "which a restriction does not stop (GDPR Art. 18(2)); the restriction "
        "is recorded with the request."
    ),
}

KNOWN_REASONS = tuple(
    (re.compile(pattern), message) for pattern, message in REASON_PATTERNS.items()
) + tuple(
    (re.compile(f"^{re.escape(sentence)}$"), message)
    for sentence, message in REASON_SENTENCES.items()
)


def closed_days(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The days an official does not receive (protocol-events' ``closed_days``), each with
    its reason in the reader's language, or as the service gave it."""
    return {
        row["day"]: row.get("reasons", {}).get(str(get_locale())) or row["reason"] for row in rows
    }


def department_name(code: str | None) -> str:
    """A department of the municipality's profile by name in the reader's language (its code
    when the profile does not list it)."""
    for department in current_app.extensions["staff_web.profile"].departments:
        if department.code == code and department.names:
            names: dict[str, str] = department.names
            return names.get(str(get_locale())) or names.get("en") or next(iter(names.values()))
    return code or ""


def reason_text(reason: str) -> str:
    """A service's reason for a field, translated when it is one of the known ones."""
    for pattern, message in KNOWN_REASONS:
        found = pattern.match(reason)
        if found:
            return str(message) % found.groupdict() if found.groupdict() else str(message)
    return reason


def problem_text(error: ApiError) -> str:
    """A service's refusal in the reader's language: its reasons (codes) translated, the
    service's own detail only when it named no reason."""
    reasons = [
        reason_text(reason) for found in error.field_errors.values() for reason in found if reason
    ]
    return " ".join(dict.fromkeys(reasons)) or reason_text(error.detail or error.title)


def field_reasons(error: ApiError, prefix: str = "") -> dict[str, list[str]]:
    """A service's refusal by the form's fields (``prefix`` + the service's field path), its
    reasons in the reader's language; its detail under ``_schema`` when it named no field."""
    found = error.field_errors or {"_schema": [error.detail or error.title]}
    return {
        f"{prefix}{name}": [reason_text(reason) for reason in reasons]
        for name, reasons in found.items()
    }
