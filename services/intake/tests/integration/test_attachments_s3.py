"""Scans in an S3-compatible bucket (moto's server over HTTP): the store's stream interface
beside the folder's, and intake's uploads, downloads, scan reading and destruction on it."""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.principal import Principal
from chancery.runtime import ServiceWiring, web_app
from chancery_testing import Clock, S3Server, wired_service
from intake.adapters.storage import (
    AttachmentStore,
    FileAttachmentStore,
    S3AttachmentStore,
    TooLarge,
)
from intake.bootstrap import attachment_store, bootstrap
from intake.config import IntakeSettings, load_settings
from intake.usecases.destruction import Destruction
from intake.usecases.records import FilePlans

pytestmark = pytest.mark.integration
LIMIT = 100_000
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed (see .ci/run)"
)


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    """A new, empty bucket of the test's own."""
    name = f"chancery-t-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


def _objects(s3_server: S3Server, bucket: str) -> dict[str, bytes]:
    client = s3_server.client()
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def _s3_env(s3_server: S3Server, bucket: str, **extra: str) -> dict[str, str]:
    return {
        "INTAKE_ATTACHMENTS_STORE": "s3",
        "INTAKE_S3_BUCKET": bucket,
        "INTAKE_S3_ENDPOINT_URL": s3_server.endpoint_url,
        "INTAKE_S3_REGION": s3_server.region,
        "INTAKE_S3_ACCESS_KEY_ID": s3_server.access_key_id,
        "INTAKE_S3_SECRET_ACCESS_KEY": s3_server.secret_access_key,
        **extra,
    }


# The stores' one interface ------------------------------------------------------------------


@pytest.fixture(params=["files", "s3"])
def store(request, tmp_path: Path) -> AttachmentStore:
    if request.param == "files":
        return FileAttachmentStore(tmp_path / "attachments", LIMIT)
    s3_server = request.getfixturevalue("s3_server")
    settings = load_settings(
        {
            "CHANCERY_DATA_DIR": str(tmp_path),
            **_s3_env(
                s3_server,
                request.getfixturevalue("bucket"),
                INTAKE_S3_PREFIX="scans/",
                MAX_ATTACHMENT_BYTES=str(LIMIT),
            ),
        }
    )
    chosen = attachment_store(settings)
    assert isinstance(chosen, S3AttachmentStore), "INTAKE_ATTACHMENTS_STORE=s3 chooses the bucket"
    return chosen


def test_a_stored_file_is_read_back_measured_and_deleted(store: AttachmentStore) -> None:
    content = "Skundas dėl Žalgirio gatvės — ქუთაისი\n".encode() * 1500  # past one chunk
    stored = store.save(io.BytesIO(content))
    assert (stored.size, stored.head) == (len(content), content[:4096])

    with store.open(stored.key) as file:
        assert file.read() == content, "byte for byte"
    assert store.size(stored.key) == len(content)
    store.delete(stored.key)
    with pytest.raises(FileNotFoundError):
        store.open(stored.key)
    with pytest.raises(FileNotFoundError):
        store.size(stored.key)
    store.delete(stored.key)  # deleting what is gone is no error


def test_a_file_past_the_limit_is_refused_and_leaves_nothing(
    store: AttachmentStore, tmp_path: Path
) -> None:
    kept = store.save(io.BytesIO(b"first"))
    with pytest.raises(TooLarge):
        store.save(io.BytesIO(b"x" * (LIMIT + 1)))
    if isinstance(store, S3AttachmentStore):
        listed = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
        assert [item["Key"] for item in listed] == [f"scans/{kept.key}"]
    else:
        assert [p.name for p in (tmp_path / "attachments").rglob("*") if p.is_file()] == [kept.key]


# Intake on a bucket ---------------------------------------------------------------------------


@pytest.fixture
def intake_on_s3(
    database_url: str, tmp_path: Path, s3_server: S3Server, bucket: str
) -> Iterator[tuple[IntakeSettings, ServiceWiring]]:
    settings, wiring = wired_service(
        tmp_path,
        load_settings,
        bootstrap,
        _s3_env(s3_server, bucket, MAX_ATTACHMENT_BYTES="2000000"),
        database_url=database_url,
    )
    yield settings, wiring
    wiring.engine.dispose()


def _headers(*roles: str) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, list(roles), subject=f"clerk-{uuid.uuid4().hex[:8]}")
    return {"Authorization": f"Bearer {token}"}


def _register(client: Any, subject: str) -> dict[str, Any]:
    answer = client.post(
        "/letters",
        headers=_headers("registrar"),
        json={
            "kind": "complaint",
            "channel": "email",
            "language": "lt",
            "subject": subject,
            "addressee": {"kind": "department", "department_code": "LEGAL"},
            "sender": {"type": "person", "name": "Ona Žemaitytė"},
        },
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _upload(client: Any, letter: dict[str, Any], name: str, content: bytes) -> Any:
    return client.post(
        f"/letters/{letter['id']}/attachments",
        headers=_headers("registrar"),
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _scan(text: str) -> bytes:
    """``text`` rendered black on white at a scanner's size, as a one-page PDF of an image."""
    image = Image.new("L", (1800, 300), 255)
    ImageDraw.Draw(image).text((40, 100), text, font=ImageFont.truetype(str(FONT), 48), fill=0)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=300.0)
    return out.getvalue()


def test_an_upload_goes_to_the_bucket_and_its_download_comes_from_it(
    intake_on_s3, s3_server: S3Server, bucket: str, tmp_path: Path
) -> None:
    settings, wiring = intake_on_s3
    client = web_app(wiring).test_client()
    letter = _register(client, "Skundas dėl triukšmo")
    content = "Pastaba apie Kęstučio gatvę; შენიშვნა\n".encode()
    uploaded = _upload(client, letter, "pastaba.txt", content)
    assert uploaded.status_code == 201, uploaded.get_json()
    attachment = uploaded.get_json()

    assert list(_objects(s3_server, bucket).values()) == [content]
    assert not settings.attachments_dir.exists(), "nothing kept on the local disk"
    downloaded = client.get(
        f"/letters/{letter['id']}/attachments/{attachment['id']}", headers=_headers("registrar")
    )
    assert downloaded.status_code == 200
    assert (downloaded.data, downloaded.content_length) == (content, len(content))

    too_large = _upload(
        client, letter, "didelis.txt", b"x" * (settings.common.max_attachment_bytes + 1)
    )
    assert too_large.status_code == 413
    assert too_large.get_json()["errors"][0]["field"] == "file"
    assert len(_objects(s3_server, bucket)) == 1, "the refused upload left no object"


@needs_tesseract
def test_the_worker_reads_a_scan_from_the_bucket(intake_on_s3) -> None:
    _, wiring = intake_on_s3
    client = web_app(wiring).test_client()
    letter = _register(client, "Kvietimas į forumą")
    _upload(client, letter, "skenuota.pdf", _scan("ქალაქების ფორუმი თელავში"))
    _upload(client, letter, "pastaba.txt", "Pastaba apie Kęstučio gatvę".encode())

    assert wiring.extensions["attachments"].extract_pending_scans() == 2
    read = client.get(f"/letters/{letter['id']}", headers=_headers("registrar")).get_json()
    scans = {item["filename"]: item for item in read["attachments"]}
    assert {name: scan["extraction_state"] for name, scan in scans.items()} == {
        "skenuota.pdf": "done",
        "pastaba.txt": "done",
    }
    assert "თელავში" in scans["skenuota.pdf"]["extracted_text"], "OCR of a non-seekable stream"
    assert scans["pastaba.txt"]["extracted_text"] == "Pastaba apie Kęstučio gatvę"


def test_a_destruction_act_deletes_the_scans_from_the_bucket(
    intake_on_s3, s3_server: S3Server, bucket: str
) -> None:
    settings, wiring = intake_on_s3
    year = datetime.now(UTC).year
    clock = Clock(datetime(year + 1, 1, 5, 8, 0, tzinfo=UTC))
    plans = FilePlans(wiring.unit_of_work, wiring.extensions["file_plans"].profile, clock=clock)
    plans.import_shipped_plan(year)
    client = web_app(wiring).test_client()
    letter = _register(client, "Skundas dėl šiukšlių")
    assert _upload(client, letter, "skundas.txt", b"Skundas").status_code == 201
    assert len(_objects(s3_server, bucket)) == 1

    plans.close_year(year)
    destruction = Destruction(wiring.unit_of_work, attachment_store(settings), clock=clock)
    clerk = Principal(subject="clerk-1", roles=frozenset({"registrar"}))
    officer = Principal(subject="dpo-1", roles=frozenset({"data_protection_officer"}))
    act = destruction.draft(date(year + 50, 1, 1), clerk)
    destruction.approve(act.number, "registrar", clerk)
    destruction.approve(act.number, "data_protection_officer", officer)
    assert destruction.execute(act.number, clerk, "c").letters_destroyed == 1
    assert _objects(s3_server, bucket) == {}, "the scan is gone from the bucket"
