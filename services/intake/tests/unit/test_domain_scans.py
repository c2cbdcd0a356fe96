"""What may be attached: types judged by content, safe names (intake.domain.scans)."""

from __future__ import annotations

import os

import pytest

from intake.domain.scans import detect_media_type, safe_filename

# Media types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        ("Gerbiamas mere,\r\nprašau išvežti šiukšles.\n\tOna Žemaitytė\f".encode(), "text/plain"),
        ("Labdien! Jānis Bērziņš, Ķīšezera iela".encode(), "text/plain"),
        ("მოწვევა ფორუმზე — ნინო ბერიძე\n".encode(), "text/plain"),
        ("Kërkesë nga Arbër Hoxha".encode(), "text/plain"),
        (b"plain ascii", "text/plain"),
    ],
)
def test_allowed_types_are_recognised_by_content(head, expected):
    assert detect_media_type(head) == expected


@pytest.mark.parametrize("cut", [1, 2])
def test_text_cut_inside_a_georgian_character_at_the_end_is_still_text(cut):
    head = "ნინო ბერიძე".encode()[:-cut]
    with pytest.raises(UnicodeDecodeError):
        head.decode("utf-8")
    assert detect_media_type(head) == "text/plain"


def test_text_cut_after_three_bytes_of_a_four_byte_character_is_still_text():
    head = "Arbër 🙂".encode()[:-1]
    assert detect_media_type(head) == "text/plain"


def test_broken_utf8_before_the_end_is_not_text():
    head = "ნინო".encode()[:-1] + b" and more text"
    assert detect_media_type(head) is None
    assert detect_media_type("Dėl šiukšlių išvežimo".encode("cp1257")) is None
    assert detect_media_type(b"\xff\xfe\xfd" * 50) is None


@pytest.mark.parametrize(
    "head",
    [
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"PK\x03\x04",
        b"\x7fELF\x02\x01\x01\x00",
        b"MZ\x90\x00\x03\x00\x00\x00",
        b"text with a NUL\x00 inside",
        b"text with DEL\x7f inside",
        b"\x1b[31mescape codes\x1b[0m",
        b"",
    ],
)
def test_archives_binaries_control_bytes_and_empty_files_are_refused(head):
    assert detect_media_type(head) is None


def test_random_binary_is_refused():
    assert detect_media_type(os.urandom(4096)) is None


# File names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ona\\Desktop\\raštas.pdf", "raštas.pdf"),
        ("/tmp/uploads/../skundas.pdf", "skundas.pdf"),
        ("a\x00b\x1fc\x7fd\n.pdf", "abcd.pdf"),
        ("\u202efdp.exe", "fdp.exe"),
        ("ąčęėįšųūž ĄČĘĖĮŠŲŪŽ.pdf", "ąčęėįšųūž ĄČĘĖĮŠŲŪŽ.pdf"),
        ("Ķīšezera iela ķ.png", "Ķīšezera iela ķ.png"),
        ("მოწვევა ფორუმზე.pdf", "მოწვევა ფორუმზე.pdf"),
        ("Kërkesë Arbër Hoxha.tiff", "Kërkesë Arbër Hoxha.tiff"),
        (" . raštas.pdf . ", "raštas.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        ("dir/", "attachment"),
        ("\x00\x01", "attachment"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_composes_decomposed_letters():
    decomposed = "s\u030ciuks\u030clio\u0308.pdf"
    assert safe_filename(decomposed) == "šiukšliö.pdf"
    assert safe_filename(decomposed).encode() == "šiukšliö.pdf".encode()


def test_safe_filename_is_at_most_200_characters():
    assert safe_filename("ž" * 300 + ".pdf") == "ž" * 200
