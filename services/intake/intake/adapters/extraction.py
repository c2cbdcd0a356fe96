"""The text of a scan: the PDF's text layer, else Tesseract OCR of its images.

Run by intake's worker (never in a request): it can take seconds per page.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from pypdf import PdfReader

# A text layer shorter than this per page is taken for a scanned page (OCR'd instead).
MIN_TEXT_PER_PAGE = 20
OCR_SECONDS = 120
# A PDF read from a stream that cannot seek is copied here first: memory, then disk.
SPOOL_BYTES = 8 * 1024 * 1024


class ExtractionFailed(Exception):
    """The file's text could not be read (a broken PDF, OCR failed or timed out)."""


@dataclass(frozen=True)
class Ocr:
    """How Tesseract is run: its command and languages (e.g. ``lit+lav+kat+sqi+eng``)."""

    command: str = "tesseract"
    languages: str = "lit+lav+kat+sqi+eng"

    def read(self, image: bytes, suffix: str) -> str:
        """The text Tesseract reads in one image."""
        with tempfile.NamedTemporaryFile(suffix=suffix) as file:
            file.write(image)
            file.flush()
            try:
                done = subprocess.run(
                    [self.command, file.name, "stdout", "-l", self.languages],
                    capture_output=True,
                    timeout=OCR_SECONDS,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ExtractionFailed(f"OCR could not run: {exc}") from exc
        if done.returncode != 0:
            raise ExtractionFailed("OCR failed: " + done.stderr.decode(errors="replace")[-500:])
        return done.stdout.decode("utf-8", errors="replace")


IMAGE_SUFFIXES = {"image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}


def extract_text(file: BinaryIO, media_type: str, ocr: Ocr) -> str:
    """The text of the stored ``file`` (read from its start) of ``media_type`` (as
    detected on upload); it may be a stream that cannot seek, as a bucket's object is."""
    if media_type == "text/plain":
        return file.read().decode("utf-8", errors="replace")
    if media_type in IMAGE_SUFFIXES:
        return _tidy(ocr.read(file.read(), IMAGE_SUFFIXES[media_type]))
    if media_type == "application/pdf":
        return _tidy(_pdf_text(file, ocr))
    raise ExtractionFailed(f"No text is extracted from {media_type}.")


def _pdf_text(file: BinaryIO, ocr: Ocr) -> str:
    if _seekable(file):
        return _pdf_pages(file, ocr)
    # pypdf reads a PDF from its end (the cross-reference table), so it needs to seek.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        shutil.copyfileobj(file, spool)
        spool.seek(0)
        return _pdf_pages(spool, ocr)


def _pdf_pages(file: IO[bytes], ocr: Ocr) -> str:
    try:
        reader = PdfReader(file)
        pages = []
        for page in reader.pages:
            layer = page.extract_text() or ""
            if len(layer.strip()) >= MIN_TEXT_PER_PAGE:
                pages.append(layer)
                continue
            # A scanned page: its text is in the images it shows.
            pages.append(
                "\n".join(ocr.read(image.data, _suffix(image.name)) for image in page.images)
            )
        return "\n\n".join(pages)
    except ExtractionFailed:
        raise
    except Exception as exc:  # pypdf raises many kinds for a broken file
        raise ExtractionFailed(f"The PDF could not be read: {exc}") from exc


def _seekable(file: BinaryIO) -> bool:
    seekable = getattr(file, "seekable", None)
    return bool(seekable and seekable())


def _suffix(name: str) -> str:
    return Path(name).suffix or ".png"


def _tidy(text: str) -> str:
    """Lines stripped, runs of empty lines kept to one."""
    lines = [line.strip() for line in io.StringIO(text)]
    tidied: list[str] = []
    for line in lines:
        if line or (tidied and tidied[-1]):
            tidied.append(line)
    return "\n".join(tidied).strip()
