"""Every message of the staff web app exists in lt, lv, ka, sq and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from staff_web.i18n import LANGUAGES, TRANSLATIONS

PACKAGE = Path(__file__).resolve().parents[2] / "staff_web"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    found = extract_from_dir(
        str(PACKAGE), method_map, keywords={"_": None, "gettext": None, "lazy_gettext": None}
    )
    return {
        message
        for _file, _line, message, _comments, _context in found
        if isinstance(message, str) and message
    }


def test_the_source_has_messages_to_translate():
    messages = _source_messages()
    assert "Morning post" in messages
    assert "Your letter was registered on %(date)s." in messages


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_message_is_translated(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    translated = {message.id: message.string for message in catalogue if message.id}
    missing = sorted(m for m in _source_messages() if not translated.get(m))
    assert missing == [], f"{language} lacks translations for {missing}"
    for msgid, text in translated.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(text)), msgid
