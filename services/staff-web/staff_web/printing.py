"""QR codes for the acknowledgement and the label, drawn on the server as SVG."""

from __future__ import annotations

import io

import segno


def qr_svg(text: str, title: str, scale: int = 4) -> str:
    """An inline SVG QR code of ``text`` (error correction M, quiet zone kept)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def status_link(base_url: str, registration_number: str) -> str:
    """The citizen's status page for a number (the code is typed by the citizen)."""
    return f"{base_url.rstrip('/')}/status/{registration_number}"
