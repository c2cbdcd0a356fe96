"""Searching the protocol book (SQLite FTS5) and the text of scans read by the worker."""

from __future__ import annotations

import io
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from intake.adapters.search import FullTextSearch
from intake.domain.searching import highlight, query_words

# DejaVu Sans covers Latin with diacritics and Georgian Mkhedruli (Debian's fonts-dejavu-core).
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed (see .ci/run)"
)


def _letter(tag: str, **changes: Any) -> dict[str, Any]:
    body = {
        "kind": "complaint",
        "channel": "email",
        "language": "lt",
        "addressee": {"kind": "mayor"},
        "subject": f"Prašymas {tag}",
        "sender": {"type": "person", "name": "Petras Petraitis"},
    }
    body.update(changes)
    return body


def _register(system, body: dict[str, Any]) -> dict[str, Any]:
    response = system.client.post("/letters", json=body, headers=system.headers("registrar"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _search(system, text: str, *roles: str) -> dict[str, Any]:
    response = system.client.get(
        "/letters",
        query_string={"q": text, "with_total": "true"},
        headers=system.headers(*(roles or ("registrar",))),
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _marked(item: dict[str, Any]) -> list[str]:
    return [fragment["text"] for fragment in item["match"]["fragments"] if fragment["marked"]]


def test_a_correspondent_is_found_by_name_email_and_organisation_in_any_case(system):
    tag = uuid.uuid4().hex[:8]
    letter = _register(
        system,
        _letter(
            tag,
            sender={
                "type": "organisation",
                "name": "Ona Žemaitytė",
                "email": f"ona.{tag}@example.org",
                "organisation": "Žaliųjų Namų Bendrija",
            },
        ),
    )
    for text in ("ZEMAITYTE", "žemaitytė", f"ona.{tag}@example.org", "zaliuju namu"):
        found = _search(system, text)
        assert [item["registration_number"] for item in found["items"]] == [
            letter["registration_number"]
        ], text
        assert found["items"][0]["match"]["field"] == "correspondent"
    assert _marked(_search(system, "ZEMAITYTE")["items"][0]) == ["Žemaitytė"]


def test_the_summary_is_searched_and_its_snippet_marks_the_original_spelling(system):
    summary = (
        "Gyventojai skundžiasi, kad " + "ilgai " * 30 + "neišvežamos šiukšlės "
        "prie Žalgirio mokyklos."
    )
    letter = _register(system, _letter("summary", summary=summary))
    found = _search(system, "NEISVEZAMOS")["items"]
    assert [item["id"] for item in found] == [letter["id"]]
    match = found[0]["match"]
    assert match["field"] == "summary"
    assert _marked(found[0]) == ["neišvežamos"]
    assert match["fragments"][0]["text"].startswith("…")


def test_a_match_in_the_subject_ranks_before_one_in_the_summary(system):
    tag = uuid.uuid4().hex[:8]
    in_summary = _register(system, _letter("a", summary=f"Kelias {tag} duobėtas"))
    in_subject = _register(system, _letter(f"b {tag}"))
    numbers = [item["id"] for item in _search(system, tag)["items"]]
    assert numbers == [in_subject["id"], in_summary["id"]]


def test_every_word_must_match(system):
    tag = uuid.uuid4().hex[:8]
    both = _register(system, _letter(f"{tag} apšvietimas"))
    _register(system, _letter(f"{tag} šaligatvis"))
    assert [i["id"] for i in _search(system, f"{tag} APSVIETIMAS")["items"]] == [both["id"]]


def test_a_confidential_letter_is_not_matched_on_its_content_without_clearance(system):
    tag = uuid.uuid4().hex[:8]
    secret = _register(
        system, _letter(tag, confidentiality="confidential", summary=f"Slapta {tag}")
    )
    assert _search(system, f"slapta {tag}")["items"] == []
    assert _search(system, f"slapta {tag}")["total"] == 0
    cleared = _search(system, f"slapta {tag}", "registrar", "clearance_confidential")
    assert [item["id"] for item in cleared["items"]] == [secret["id"]]


def test_an_exact_registration_number_finds_that_letter_only(system):
    first = _register(system, _letter("pirmas"))
    second = _register(system, _letter(first["registration_number"]))
    found = _search(system, first["registration_number"])
    assert [item["id"] for item in found["items"]] == [first["id"]]
    assert found["items"][0]["match"] is None or found["items"][0]["id"] != second["id"]


def test_a_query_without_letters_matches_nothing_and_is_not_an_error(system):
    _register(system, _letter("kažkas"))
    assert _search(system, "§§ --")["items"] == []


def test_a_common_word_walking_the_list_finds_what_sorting_its_matches_finds(system, monkeypatch):
    # A word in at least COMMON letters walks the list newest first; a rarer one sorts its
    # matches (decision 0091): the same hits in the same order either way, the confidential
    # one left out.
    tag = uuid.uuid4().hex[:8]
    letters = [
        _register(system, _letter(f"{tag} nr {n}", summary="Šaligatvis" if n % 2 else None))
        for n in range(4)
    ]
    _register(system, _letter(f"{tag} slaptas", confidentiality="confidential"))
    letters += [_register(system, _letter(f"kitas {n}", summary=f"Apie {tag}")) for n in range(3)]

    def hits(text: str, common: int) -> list[str]:
        monkeypatch.setattr(FullTextSearch, "COMMON", common)
        return [item["id"] for item in _search(system, text)["items"]]

    assert hits(f"{tag.upper()} saligatvis", 1) == hits(f"{tag} šaligatvis", 1000)
    assert set(hits(f"{tag} saligatvis", 2)) == {letters[1]["id"], letters[3]["id"]}
    walked, sorted_ = hits(tag, 1), hits(tag, 1000)
    assert walked == sorted_
    assert sorted(walked) == sorted(letter["id"] for letter in letters)


def test_highlight_marks_every_occurrence_in_georgian_and_latin():
    match = highlight(query_words("ფორუმ"), [("subject", "ფორუმი და ფორუმზე")])
    assert match is not None
    assert [(f.text, f.marked) for f in match.fragments] == [
        ("ფორუმ", True),
        ("ი და ", False),
        ("ფორუმ", True),
        ("ზე", False),
    ]
    assert highlight(query_words("neko"), [("subject", "nieko")]) is None


# Scans ------------------------------------------------------------------------------------


def _scan(text: str, fmt: str = "PNG") -> bytes:
    """``text`` rendered black on white at a scanner's size, as an image file."""
    font = ImageFont.truetype(str(FONT), 48)
    image = Image.new("L", (1800, 300), 255)
    ImageDraw.Draw(image).text((40, 100), text, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, fmt, **({"resolution": 300.0} if fmt == "PDF" else {}))
    return out.getvalue()


def _attach(system, letter: dict[str, Any], name: str, content: bytes) -> dict[str, Any]:
    response = system.client.post(
        f"/letters/{letter['id']}/attachments",
        data={"file": (io.BytesIO(content), name)},
        headers=system.headers("registrar"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _read(system, letter: dict[str, Any]) -> dict[str, Any]:
    return system.client.get(
        f"/letters/{letter['id']}", headers=system.headers("registrar")
    ).get_json()


@needs_tesseract
@pytest.mark.parametrize(
    ("fmt", "name", "text", "query"),
    [
        ("PNG", "skundas.png", "Šiukšlės Žalgirio gatvėje", "siuksles zalgirio"),
        ("PDF", "skenuota.pdf", "ქალაქების ფორუმი თელავში", "თელავში"),
    ],
)
def test_a_scan_is_read_by_the_worker_and_then_found(system, fmt, name, text, query):
    letter = _register(system, _letter("skenuotas"))
    attachment = _attach(system, letter, name, _scan(text, fmt))
    assert attachment["extraction_state"] == "pending"
    assert _search(system, query)["items"] == []
    assert system.attachments.extract_pending_scans() == 1
    scan = _read(system, letter)["attachments"][0]
    assert scan["extraction_state"] == "done"
    assert query_words(query)[0] in query_words(scan["extracted_text"])
    found = _search(system, query)["items"]
    assert [item["id"] for item in found] == [letter["id"]]
    assert found[0]["match"]["field"] == "scan"
    assert system.attachments.extract_pending_scans() == 0


def test_a_text_file_is_read_without_ocr_and_a_broken_pdf_is_marked_failed(system):
    letter = _register(system, _letter("priedai"))
    _attach(system, letter, "pastaba.txt", "Pastaba apie Kęstučio gatvę".encode())
    _attach(system, letter, "sugadintas.pdf", b"%PDF-1.7\nnot really a pdf")
    assert system.attachments.extract_pending_scans() == 2
    states = {a["filename"]: a["extraction_state"] for a in _read(system, letter)["attachments"]}
    assert states == {"pastaba.txt": "done", "sugadintas.pdf": "failed"}
    assert [item["id"] for item in _search(system, "kestucio")["items"]] == [letter["id"]]
