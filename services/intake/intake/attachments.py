"""Where scans are kept: files under a configurable root, outside the database."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from chancery.db import new_id
from chancery.errors import DomainError

CHUNK = 64 * 1024
HEAD = 4096


class TooLarge(DomainError):
    """The file is larger than the limit (413)."""

    status = 413
    title = "Payload too large"


@dataclass(frozen=True)
class StoredFile:
    """A file written to the store."""

    key: str
    size: int
    sha256: str
    head: bytes


class AttachmentStore:
    """Writes and reads attachment files by key; keys are random, never user-supplied."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO) -> StoredFile:
        """Copy ``stream`` into the store, hashing it; refuse it past the size limit."""
        key = new_id()
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with open(path, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(f"The file is larger than {self.max_bytes} bytes.",
                                       field="file", reason=f"larger than {self.max_bytes} bytes")
                    if len(head) < HEAD:
                        head += chunk[: HEAD - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            self.delete(key)
            raise
        return StoredFile(key=key, size=size, sha256=digest.hexdigest(), head=head)

    def path(self, key: str) -> Path:
        """The file of ``key`` (two-level fan-out keeps directories small)."""
        return self.root / key[:2] / key

    def delete(self, key: str) -> None:
        """Remove a file, if it is there."""
        self.path(key).unlink(missing_ok=True)
