"""Languages: the five catalogues, who reads which, and dates in the municipality's zone."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import Babel, lazy_gettext

LANGUAGES = {"lt": "Lietuvių", "lv": "Latviešu", "ka": "ქართული", "sq": "Shqip",
             "en": "English"}
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
    app.config.update(BABEL_DEFAULT_LOCALE=default, BABEL_DEFAULT_TIMEZONE=time_zone,
                      BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS))

    def locale() -> str:
        if "language" not in g:
            g.language = choose_language(default)
        return g.language

    Babel(app, locale_selector=locale)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = locale
    app.jinja_env.add_extension("jinja2.ext.i18n")


# The services' usual validation reasons, in the person's language; others are shown as sent.
KNOWN_REASONS = (
    (re.compile(r"^Missing data for required field\.$|^required for \w+ letters$|"
                r"^Shorter than minimum length 1\.$|^Field may not be null\.$"),
     lazy_gettext("This field is required.")),
    (re.compile(r"^Length must be between 1 and (?P<max>\d+)\.$"),
     lazy_gettext("Enter between 1 and %(max)s characters.")),
    (re.compile(r"^Not a valid email address\.$"),
     lazy_gettext("This is not a valid e-mail address.")),
    (re.compile(r"^Not a valid datetime\.$|^Not a valid aware datetime\.$"),
     lazy_gettext("This is not a valid date and time.")),
    (re.compile(r"^Must be one of: .*$|^must be one of .*$"),
     lazy_gettext("Choose one of the offered values.")),
)


def reason_text(reason: str) -> str:
    """A service's reason for a field, translated when it is one of the known ones."""
    for pattern, message in KNOWN_REASONS:
        found = pattern.match(reason)
        if found:
            return str(message) % found.groupdict() if found.groupdict() else str(message)
    return reason
