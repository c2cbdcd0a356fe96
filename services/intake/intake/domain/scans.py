"""What may be attached: a scan's type judged by its content, and the names it is kept under."""

from __future__ import annotations

import unicodedata

# Content signatures of what may be attached: scans and documents, no archives.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
TEXT_CONTROLS = frozenset(b"\t\n\r\f")
# The extensions each detected type is saved and downloaded with (the first is the usual one).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/tiff": (".tif", ".tiff"),
    "text/plain": (".txt",),
}


def detect_media_type(head: bytes) -> str | None:
    """The type of a file from its first bytes, if it is on the allow-list.

    Plain text is allowed when it is valid UTF-8 without control bytes other
    than tab, line breaks and form feed (which rules out archives and binaries).
    """
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head and not any(
        (byte < 0x20 and byte not in TEXT_CONTROLS) or byte == 0x7F for byte in head
    ):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The sample may end inside a multi-byte character.
            if exc.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def safe_filename(name: str) -> str:
    """A filename without paths or control characters, Unicode letters kept."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    return cleaned[:200] or "attachment"


def named_for_type(filename: str, media_type: str) -> str:
    """``filename`` with the extension of the type its content was detected as.

    A scan sent as ``invitation.html`` that is plain text is saved as
    ``invitation.txt``: the name a download gets never makes a browser or a
    desktop open it as something other than what was checked.
    """
    extensions = EXTENSIONS[media_type]
    stem, dot, extension = filename.rpartition(".")
    if dot and stem and f".{extension.lower()}" in extensions:
        return filename
    base = stem if dot and stem else filename
    return base[: 200 - len(extensions[0])] + extensions[0]
