"""Where scans are kept: a folder by default, a bucket when asked, refused when half set."""

from __future__ import annotations

import pytest

from chancery.config import ConfigurationError
from intake.adapters.storage import FileAttachmentStore, S3AttachmentStore
from intake.bootstrap import attachment_store
from intake.config import load_settings


def test_scans_are_files_under_the_data_folder_by_default(tmp_path) -> None:
    settings = load_settings({"CHANCERY_DATA_DIR": str(tmp_path)})
    store = attachment_store(settings)
    assert isinstance(store, FileAttachmentStore)
    assert store.root == tmp_path / "attachments"


def test_a_bucket_is_chosen_with_its_endpoint_region_prefix_and_keys(tmp_path) -> None:
    settings = load_settings(
        {
            "CHANCERY_DATA_DIR": str(tmp_path),
            "INTAKE_ATTACHMENTS_STORE": "S3",
            "INTAKE_S3_BUCKET": "alytus-scans",
            "INTAKE_S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "INTAKE_S3_REGION": "eu-north-1",
            "INTAKE_S3_PREFIX": "intake/",
            "INTAKE_S3_ACCESS_KEY_ID": "key",
            "INTAKE_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    store = attachment_store(settings)  # builds a client; connects only when used
    assert isinstance(store, S3AttachmentStore)
    assert (store.bucket, store.prefix) == ("alytus-scans", "intake/")
    assert store.client.meta.endpoint_url == "http://127.0.0.1:9"
    assert store.client.meta.region_name == "eu-north-1"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"INTAKE_ATTACHMENTS_STORE": "s3"}, "INTAKE_S3_BUCKET"),
        (
            {
                "INTAKE_ATTACHMENTS_STORE": "s3",
                "INTAKE_S3_BUCKET": "b",
                "INTAKE_S3_ACCESS_KEY_ID": "key",
            },
            "INTAKE_S3_SECRET_ACCESS_KEY",
        ),
        ({"INTAKE_ATTACHMENTS_STORE": "disk"}, "INTAKE_ATTACHMENTS_STORE"),
    ],
)
def test_a_store_half_configured_is_refused_naming_the_variable(env, variable) -> None:
    with pytest.raises(ConfigurationError) as refused:
        load_settings(env)
    assert refused.value.variable == variable
