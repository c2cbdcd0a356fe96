"""Intake's plain rules: who reads what, access codes, file sniffing, names, statuses, tallies."""

from __future__ import annotations

import hashlib
import hmac
import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chancery.auth import Principal
from intake import domain
from intake.domain import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    Period,
    TallyGroup,
    access_code_matches,
    can_read,
    detect_media_type,
    hash_access_code,
    new_access_code,
    period_of,
    periods,
    safe_filename,
    takes_status,
    tally,
)
from intake.models import Letter

VILNIUS = ZoneInfo("Europe/Vilnius")


def _letter(department: str | None = None, addressee: str | None = None,
            copies: tuple[str, ...] = (), confidentiality: str = "normal") -> Letter:
    return Letter(department_code=department, addressee_department_code=addressee,
                  copy_departments="," + "".join(f"{code}," for code in copies),
                  confidentiality=confidentiality)


def _who(*roles: str, department: str | None = None) -> Principal:
    return Principal(subject="tester", roles=frozenset(roles), department=department)


# can_read -------------------------------------------------------------------------------

SOC_LETTER = {"department": "SOC"}
ADDRESSED_TO_SOC = {"addressee": "SOC"}
COPIED_TO_SOC = {"department": "LEGAL", "copies": ("COMM", "SOC")}
OTHER_LETTER = {"department": "LEGAL", "addressee": "EDU", "copies": ("COMM",)}
UNROUTED = {}


@pytest.mark.parametrize("role", ["registrar", "mayor_office", "operator"])
@pytest.mark.parametrize("letter", [SOC_LETTER, ADDRESSED_TO_SOC, COPIED_TO_SOC, OTHER_LETTER,
                                    UNROUTED])
def test_registry_mayor_office_and_operators_read_every_normal_letter(role, letter):
    assert can_read(_who(role), _letter(**letter)) is True
    assert can_read(_who(role, department="EDU"), _letter(**letter)) is True


@pytest.mark.parametrize("role", ["department_staff", "department_head"])
@pytest.mark.parametrize(("letter", "expected"), [
    (SOC_LETTER, True),
    (ADDRESSED_TO_SOC, True),
    (COPIED_TO_SOC, True),
    (OTHER_LETTER, False),
    (UNROUTED, False),
])
def test_department_people_read_only_their_departments_letters(role, letter, expected):
    assert can_read(_who(role, department="SOC"), _letter(**letter)) is expected


def test_department_staff_without_a_department_reads_nothing():
    assert can_read(_who("department_staff"), _letter(department="SOC")) is False
    assert can_read(_who("department_staff"), _letter()) is False


def test_a_copy_matches_the_whole_department_code_only():
    letter = _letter(department="LEGAL", copies=("SOCIAL",))
    assert can_read(_who("department_staff", department="SOC"), letter) is False


@pytest.mark.parametrize("confidentiality", ["confidential", "secret"])
@pytest.mark.parametrize(("roles", "department", "expected"), [
    (("registrar",), None, False),
    (("mayor_office",), None, False),
    (("operator",), None, False),
    (("department_staff",), "SOC", False),
    (("registrar", "clearance_secret"), None, True),
    (("mayor_office", "clearance_secret"), None, True),
    (("department_staff", "clearance_secret"), "SOC", True),
    (("department_staff", "clearance_secret"), "EDU", False),
    (("clearance_secret",), None, False),
])
def test_confidential_letters_need_clearance_on_top_of_the_usual_rule(
        confidentiality, roles, department, expected):
    letter = _letter(department="SOC", confidentiality=confidentiality)
    assert can_read(_who(*roles, department=department), letter) is expected


@pytest.mark.parametrize(("confidentiality", "expected"), [("confidential", True),
                                                           ("secret", False)])
def test_confidential_clearance_does_not_open_secret_letters(confidentiality, expected):
    letter = _letter(department="SOC", confidentiality=confidentiality)
    assert can_read(_who("registrar", "clearance_confidential"), letter) is expected


# Access codes -----------------------------------------------------------------------------

def test_access_codes_use_the_unambiguous_alphabet_and_length():
    codes = [new_access_code() for _ in range(300)]
    assert all(len(code) == ACCESS_CODE_LENGTH == 10 for code in codes)
    assert set("".join(codes)) <= set(ACCESS_CODE_ALPHABET)
    assert not set("".join(codes)) & set("0O1I")
    assert len(set(codes)) == 300
    assert ACCESS_CODE_ALPHABET == "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def test_the_hash_is_sha256_of_the_normalised_code():
    expected = "f57cbf1e3e471b25db4b8ad0844df41b2dae9c7d1944944d128e49294d412f66"
    assert hash_access_code("ABCDEFGHJK") == expected
    for typed in ("abcdefghjk", "ABCDE-FGHJK", " abcde fghjk ", "AbCd-Ef Gh-Jk", "ABCDE\tFGHJK"):
        assert hash_access_code(typed) == expected


def test_a_different_code_hashes_differently():
    assert hash_access_code("ABCDEFGHJM") != hash_access_code("ABCDEFGHJK")


def test_access_code_matches_compares_in_constant_time(monkeypatch):
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(domain.hmac, "compare_digest", recording)
    code = new_access_code()
    stored = hash_access_code(code)

    assert access_code_matches(code.lower(), stored) is True
    assert access_code_matches(f"{code[:5]}-{code[5:]}", stored) is True
    assert access_code_matches("ZZZZZZZZZZ" if code != "ZZZZZZZZZZ" else "YYYYYYYYYY",
                               stored) is False
    assert compared[0] == (stored, stored)
    assert len(compared) == 3
    # A number without a code costs the same comparison, so timing tells nothing.
    assert access_code_matches(code, None) is False
    assert len(compared) == 4


# Media types -------------------------------------------------------------------------

@pytest.mark.parametrize(("head", "expected"), [
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
])
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


@pytest.mark.parametrize("head", [
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    b"PK\x03\x04",
    b"\x7fELF\x02\x01\x01\x00",
    b"MZ\x90\x00\x03\x00\x00\x00",
    b"text with a NUL\x00 inside",
    b"text with DEL\x7f inside",
    b"\x1b[31mescape codes\x1b[0m",
    b"",
])
def test_archives_binaries_control_bytes_and_empty_files_are_refused(head):
    assert detect_media_type(head) is None


def test_random_binary_is_refused():
    assert detect_media_type(os.urandom(4096)) is None


# File names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
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
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_composes_decomposed_letters():
    decomposed = "s\u030ciuks\u030clio\u0308.pdf"
    assert safe_filename(decomposed) == "šiukšliö.pdf"
    assert safe_filename(decomposed).encode() == "šiukšliö.pdf".encode()


def test_safe_filename_is_at_most_200_characters():
    assert safe_filename("ž" * 300 + ".pdf") == "ž" * 200


# Status ordering ------------------------------------------------------------------------

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("current", ["registered", "routed", "in_progress",
                                     "awaiting_endorsement", "answered", "closed"])
def test_workflow_statuses_take_newer_and_simultaneous_changes_only(current):
    assert takes_status(current, T0, T0 + timedelta(seconds=1)) is True
    assert takes_status(current, T0, T0) is True
    assert takes_status(current, T0, T0 - timedelta(microseconds=1)) is False


@pytest.mark.parametrize("final", ["voided", "not_ours", "archived"])
def test_intakes_own_final_decisions_are_never_overwritten(final):
    assert takes_status(final, T0, T0 + timedelta(days=30)) is False
    assert takes_status(final, T0, T0) is False


# Statistics ----------------------------------------------------------------------------

def _group(period: str, count: int = 1, kind: str = "complaint",
           addressee: str | None = "mayor", status: str = "registered",
           channel: str | None = "email") -> TallyGroup:
    return TallyGroup(period=period, kind=kind, addressee_kind=addressee, status=status,
                      channel=channel, count=count)


def test_period_of_weeks_and_months():
    assert period_of(date(2026, 11, 29), "week") == "2026-W48"
    assert period_of(date(2026, 11, 30), "week") == "2026-W49"
    assert period_of(date(2027, 1, 1), "week") == "2026-W53"
    assert period_of(date(2027, 1, 4), "week") == "2027-W01"
    assert period_of(date(2026, 3, 1), "month") == "2026-03"


def test_weeks_run_monday_to_sunday_and_are_cut_to_the_range():
    assert periods(date(2026, 11, 27), date(2026, 12, 9), "week") == [
        Period("2026-W48", date(2026, 11, 27), date(2026, 11, 30)),
        Period("2026-W49", date(2026, 11, 30), date(2026, 12, 7)),
        Period("2026-W50", date(2026, 12, 7), date(2026, 12, 10)),
    ]
    assert [p.label for p in periods(date(2026, 12, 28), date(2027, 1, 4), "week")] == [
        "2026-W53", "2027-W01"]


def test_months_cross_the_year_and_one_day_is_one_period():
    assert periods(date(2026, 11, 15), date(2027, 1, 31), "month") == [
        Period("2026-11", date(2026, 11, 15), date(2026, 12, 1)),
        Period("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        Period("2027-01", date(2027, 1, 1), date(2027, 2, 1)),
    ]
    assert periods(date(2026, 3, 1), date(2026, 3, 1), "month") == [
        Period("2026-03", date(2026, 3, 1), date(2026, 3, 2))]
    assert periods(date(2026, 3, 2), date(2026, 3, 1), "week") == []


def test_tally_adds_up_groups_per_dimension_oldest_first():
    groups = [
        _group("2026-12", kind="invitation", addressee="director"),
        _group("2026-11", 3, status="answered"),
        _group("2026-12", 2, addressee=None, channel=None),
    ]
    assert tally(groups) == [
        {"period": "2026-11", "total": 3, "kind": {"complaint": 3},
         "addressee": {"mayor": 3}, "status": {"answered": 3}, "channel": {"email": 3}},
        {"period": "2026-12", "total": 3, "kind": {"complaint": 2, "invitation": 1},
         "addressee": {"director": 1, "none": 2}, "status": {"registered": 3},
         "channel": {"email": 1, "none": 2}},
    ]


def test_tally_of_nothing_is_empty():
    assert tally([]) == []


def test_sha256_of_normalised_code_matches_hashlib():
    assert hash_access_code("k2m-9") == hashlib.sha256(b"K2M9").hexdigest()


def test_registration_number_shapes_come_from_the_registers_formats():
    shape = domain.registration_number_pattern(["G-{year}-{seq:05d}", "P.{year}/{seq}"])
    assert shape.fullmatch("G-2026-00012")
    assert shape.fullmatch("g-2026-12")
    assert shape.fullmatch("P.2019/7")
    assert not shape.fullmatch("P-2019-7")
    assert not shape.fullmatch("G-2026-00012 skundas")
    assert not domain.registration_number_pattern([]).fullmatch("G-2026-00012")
