"""Where scans are kept, outside the database: files under a folder, or objects in an
S3-compatible bucket (docs/decisions/0068). Both stores have the same stream interface:
``save`` (write from a stream), ``open`` (read as a stream), ``size`` and ``delete``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol

from chancery.db import new_id
from chancery.errors import DomainError

CHUNK = 64 * 1024
HEAD = 4096
# An upload is kept in memory up to this size on its way to a bucket, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


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


class AttachmentStore(Protocol):
    """Writes and reads attachment files by key; keys are random, never user-supplied."""

    def save(self, stream: BinaryIO) -> StoredFile:
        """Copy ``stream`` into the store, hashing it; refuse it past the size limit."""

    def open(self, key: str) -> BinaryIO:
        """The stored file of ``key`` for reading (the caller closes it);
        :class:`FileNotFoundError` when there is none."""

    def size(self, key: str) -> int:
        """The stored file's size in bytes; :class:`FileNotFoundError` when there is none."""

    def delete(self, key: str) -> None:
        """Remove a file, if it is there."""


def _copy_measured(stream: BinaryIO, out: IO[bytes], max_bytes: int) -> tuple[int, str, bytes]:
    """Copy ``stream`` to ``out``: its size, SHA-256 and first bytes; :class:`TooLarge`
    as soon as it passes ``max_bytes`` (the rest is never read)."""
    digest, size, head = hashlib.sha256(), 0, b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(
                f"The file is larger than {max_bytes} bytes.",
                field="file",
                reason=f"larger than {max_bytes} bytes",
            )
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        digest.update(chunk)
        out.write(chunk)
    return size, digest.hexdigest(), head


class FileAttachmentStore:
    """Attachments as files under ``root`` (a volume every intake process mounts)."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def save(self, stream: BinaryIO) -> StoredFile:
        """Copy ``stream`` into the store, hashing it; refuse it past the size limit."""
        key = new_id()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "wb") as out:
                size, sha256, head = _copy_measured(stream, out, self.max_bytes)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            self.delete(key)
            raise
        return StoredFile(key=key, size=size, sha256=sha256, head=head)

    def open(self, key: str) -> BinaryIO:
        """The file of ``key`` for reading."""
        return open(self._path(key), "rb")

    def size(self, key: str) -> int:
        """The file's size in bytes."""
        return self._path(key).stat().st_size

    def delete(self, key: str) -> None:
        """Remove a file, if it is there."""
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        # A two-level fan-out keeps directories small.
        return self.root / key[:2] / key


class S3AttachmentStore:
    """Attachments as objects in an S3-compatible bucket, under ``prefix``.

    ``client`` is a boto3 S3 client (built by :func:`s3_client`). An upload is measured
    and hashed on its way into a spooled temporary file and put only when whole and
    within the limit, so a refused or broken upload leaves no object behind.
    """

    def __init__(self, client: Any, bucket: str, max_bytes: int, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.max_bytes = max_bytes
        self.prefix = prefix

    def save(self, stream: BinaryIO) -> StoredFile:
        """Copy ``stream`` into the bucket, hashing it; refuse it past the size limit."""
        key = new_id()
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            size, sha256, head = _copy_measured(stream, spool, self.max_bytes)
            spool.seek(0)
            self.client.upload_fileobj(spool, self.bucket, self._name(key))
        return StoredFile(key=key, size=size, sha256=sha256, head=head)

    def open(self, key: str) -> BinaryIO:
        """The object of ``key`` as a stream read from the bucket as it is consumed."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(f"no object {self._name(key)} in {self.bucket}") from None

    def size(self, key: str) -> int:
        """The object's size in bytes."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise FileNotFoundError(f"no object {self._name(key)} in {self.bucket}") from None
            raise
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        """Remove the object, if it is there (S3 answers a missing key's delete alike)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"


def s3_client(
    endpoint_url: str | None, region: str, access_key: str | None, secret_key: str | None
) -> Any:
    """A boto3 S3 client for ``endpoint_url`` (None: AWS itself). Without keys, boto3's
    own chain (instance role, web identity) supplies the credentials."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        # Path-style addressing: most S3-compatible servers (MinIO, Ceph, moto) want it.
        config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}),
    )
