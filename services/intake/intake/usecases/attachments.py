"""A letter's attachments: scans typed by their content, kept in the store (decision 68) and
their text extracted by the worker for the search.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select

from chancery.audited import record_access_in
from chancery.clock import utcnow
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput, NotFound
from chancery.principal import Principal
from chancery.profiles import Profile
from intake.adapters.extraction import ExtractionFailed, Ocr, extract_text
from intake.adapters.models import Attachment, Letter
from intake.adapters.storage import AttachmentStore
from intake.domain import searching
from intake.domain.scans import detect_media_type, named_for_type, safe_filename
from intake.usecases import LetterUseCase, data_subjects

# A voided registration and a file handed to the archive are not added to any more.
CLOSED_TO_ATTACHMENTS = ("voided", "archived")


class Attachments(LetterUseCase):
    """A letter's scans: stored, downloaded (audited) and read for the search."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        store: AttachmentStore,
        *,
        clock: Callable[[], datetime] = utcnow,
        ocr: Ocr | None = None,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self._store = store
        self._ocr = ocr or Ocr()

    def attach(
        self, letter_id: str, filename: str, stream: BinaryIO, principal: Principal
    ) -> Attachment:
        """Store a scan for a letter; its type is judged by its content, not its name."""
        with self._uow() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            if letter.status in CLOSED_TO_ATTACHMENTS:
                raise Conflict(f"A letter that is {letter.status} takes no attachments.")
        stored = self._store.save(stream)
        try:
            media_type = detect_media_type(stored.head)
            if media_type is None or stored.size == 0:
                raise InvalidInput(
                    "Attach a PDF, PNG, JPEG, TIFF or UTF-8 text file.",
                    field="file",
                    reason="content type not allowed",
                )
            attachment = Attachment(
                id=new_id(),
                letter_id=letter_id,
                filename=named_for_type(safe_filename(filename), media_type),
                media_type=media_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_key=stored.key,
                uploaded_at=self._clock(),
                uploaded_by=principal.subject,
            )
            with self._uow() as uow:
                uow.session.add(attachment)
                uow.commit()
            return attachment
        except BaseException:
            self._store.delete(stored.key)
            raise

    def attachment(
        self, letter_id: str, attachment_id: str, principal: Principal
    ) -> tuple[Attachment, BinaryIO]:
        """An attachment's record and its file opened for reading (the caller closes it);
        the download is audited."""
        with self._uow() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            attachment = uow.session.get(Attachment, attachment_id)
            if attachment is None or attachment.letter_id != letter_id:
                raise NotFound(f"No attachment {attachment_id} on this letter.")
            record_access_in(
                uow,
                principal,
                "download",
                "attachment",
                [attachment.id],
                {attachment.id: data_subjects([letter])[letter.id]},
            )
            uow.commit()
            return attachment, self._store.open(attachment.storage_key)

    def extract_pending_scans(self, batch: int = 10) -> int:
        """Read the text of up to ``batch`` attachments still pending; the number done.

        The worker's periodic job: the file is read outside any transaction, then
        the text (or why it failed) is stored and the letter's search text
        rebuilt with it, so the scan is found by search from then on.
        """
        with self._uow() as uow:
            pending = list(
                uow.session.execute(
                    select(Attachment.id, Attachment.storage_key, Attachment.media_type)
                    .where(Attachment.extraction_state == "pending")
                    .order_by(Attachment.uploaded_at)
                    .limit(batch)
                )
            )
        for attachment_id, storage_key, media_type in pending:
            try:
                with self._store.open(storage_key) as file:
                    text, error = extract_text(file, media_type, self._ocr), None
            except (ExtractionFailed, OSError) as exc:
                text, error = None, str(exc)[:2000]
            self._store_extraction(attachment_id, text, error)
        return len(pending)

    def _store_extraction(self, attachment_id: str, text: str | None, error: str | None) -> None:
        with self._uow() as uow:
            attachment = uow.session.get(Attachment, attachment_id)
            if attachment is None or attachment.extraction_state != "pending":
                return  # removed, or another worker was quicker
            attachment.extraction_state = "failed" if error else "done"
            attachment.extracted_text, attachment.extraction_error = text, error
            attachment.extracted_at = self._clock()
            letter = uow.session.get(Letter, attachment.letter_id)
            scans = uow.session.scalars(
                select(Attachment.extracted_text)
                .where(Attachment.letter_id == letter.id, Attachment.extracted_text.is_not(None))
                .order_by(Attachment.uploaded_at)
            )
            letter.search_text = searching.search_text(
                letter.subject, letter.summary, letter.correspondent, scans
            )
            uow.commit()
