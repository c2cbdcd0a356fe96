"""What a search text looks like when it is a registration number (intake.domain.searching)."""

from __future__ import annotations

from intake.domain.searching import registration_number_pattern


def test_registration_number_shapes_come_from_the_registers_formats():
    shape = registration_number_pattern(["G-{year}-{seq:05d}", "P.{year}/{seq}"])
    assert shape.fullmatch("G-2026-00012")
    assert shape.fullmatch("g-2026-12")
    assert shape.fullmatch("P.2019/7")
    assert not shape.fullmatch("P-2019-7")
    assert not shape.fullmatch("G-2026-00012 skundas")
    assert not registration_number_pattern([]).fullmatch("G-2026-00012")
