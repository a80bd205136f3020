"""Attachments in S3-compatible object storage, against a real S3 server (moto_server).

The storage configuration is the one settings.py builds from S3_* variables; the flows are the real
ones: the public form stages and claims, the officer downloads through the permission-checked view,
the sweep deletes from the bucket.
"""

import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.test import Client
from django.utils import timezone

import sangkien.settings
from sangkien.initiatives.models import Attachment, Initiative
from sangkien.initiatives.services import upload_stage
from sangkien.initiatives.sweep import sweep_uploads
from sangkien.initiatives.uploads import sniff
from tests.conftest import STANLEY
from tests.initiatives.files import PDF, PNG, upload
from tests.services import service_missing

MOTO = Path(sys.executable).parent / "moto_server"
SETTINGS_FILE = Path(sangkien.settings.__file__)
KEY_ID, SECRET = "test-key-id", "test-secret-key"
S3_VARIABLES = (
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_ACL",
    "S3_ADDRESSING_STYLE",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """A moto S3 server in its own process for this module."""
    if not MOTO.exists():
        service_missing(f"moto_server is not installed at {MOTO}")
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            if process.poll() is not None:
                service_missing(f"moto_server exited at start: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(endpoint + "/moto-api/", timeout=2):
                    break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if time.monotonic() > deadline:
                    service_missing(
                        f"moto_server did not answer in 30 s: {log.read_text()[-2000:]}"
                    )
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def settings_from_environment(monkeypatch, **variables) -> dict:
    """settings.py executed afresh with these variables (the others S3_* unset)."""
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """A fresh bucket, and the site's default storage configured for it from S3_* variables."""
    name = f"sangkien-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    configured = settings_from_environment(
        monkeypatch,
        S3_BUCKET=name,
        S3_ENDPOINT_URL=s3_endpoint,
        S3_ACCESS_KEY_ID=KEY_ID,
        S3_SECRET_ACCESS_KEY=SECRET,
    )
    # The disk is somewhere we can watch stay empty.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTCHA_MODE = "off"
    # Setting STORAGES resets django.core.files.storage.storages and default_storage.
    settings.STORAGES = configured["STORAGES"]
    assert type(storages["default"]).__name__ == "S3Storage"
    client.name = name
    return client


def keys(client) -> set[str]:
    listed = client.list_objects_v2(Bucket=client.name)
    return {item["Key"] for item in listed.get("Contents", [])}


def body(client, key: str) -> bytes:
    return client.get_object(Bucket=client.name, Key=key)["Body"].read()


def files_on_disk(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_settings_without_s3_bucket_keep_files_on_disk(monkeypatch):
    configured = settings_from_environment(monkeypatch)

    assert "S3_BUCKET" not in configured or not configured["S3_BUCKET"]
    assert "STORAGES" not in configured
    assert isinstance(storages["default"], FileSystemStorage)


def test_settings_with_s3_bucket_use_private_unsigned_s3(monkeypatch):
    configured = settings_from_environment(
        monkeypatch,
        S3_BUCKET="sangkien-files",
        S3_ENDPOINT_URL="http://minio.internal:9000",
        S3_ACCESS_KEY_ID=KEY_ID,
        S3_SECRET_ACCESS_KEY=SECRET,
    )

    default = configured["STORAGES"]["default"]
    options = default["OPTIONS"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "sangkien-files",
        "http://minio.internal:9000",
        "us-east-1",
    )
    assert (options["access_key"], options["secret_key"]) == (KEY_ID, SECRET)
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is False  # a URL of a file is never a key to it
    assert options["file_overwrite"] is False
    assert configured["STORAGES"]["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


@pytest.mark.django_db
def test_form_upload_goes_to_the_bucket_and_the_officer_downloads_it(
    bucket, national, open_program, form_data, make_officer, client_for, settings
):
    url = f"/chuong-trinh/{open_program.code}/nop/"
    client = Client()
    data = form_data(open_program)

    # An error on the form: the file is staged in the bucket and kept for the next try.
    first = client.post(url, {**data, "title": "", "attachments": [upload("bao-cao.pdf", PDF)]})
    assert first.status_code == 422
    staged = Attachment.objects.get()
    assert staged.initiative is None
    assert keys(bucket) == {staged.file.name}

    done = client.post(url, {**data, "attachments": [upload("anh.png", PNG)]})

    assert done.status_code == 302
    initiative = Initiative.objects.get()
    attachments = {a.original_name: a for a in initiative.attachments.all()}
    assert set(attachments) == {"bao-cao.pdf", "anh.png"}
    assert keys(bucket) == {a.file.name for a in attachments.values()}
    assert body(bucket, attachments["bao-cao.pdf"].file.name) == PDF
    assert body(bucket, attachments["anh.png"].file.name) == PNG
    assert files_on_disk(Path(settings.MEDIA_ROOT)) == []
    grants = bucket.get_object_acl(Bucket=bucket.name, Key=attachments["bao-cao.pdf"].file.name)
    assert [g["Permission"] for g in grants["Grants"]] == ["FULL_CONTROL"]  # the owner only
    assert all("URI" not in g["Grantee"] for g in grants["Grants"])  # no AllUsers

    pdf = attachments["bao-cao.pdf"]
    path = f"/office/sang-kien/{initiative.receipt}/tep/{pdf.pk}/"
    reviewer = client_for(make_officer("stanley", STANLEY))
    outsider = client_for(make_officer("longbien", "T01-D004", "unit_admin"))

    download = reviewer.get(path)
    refused = outsider.get(path)

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="bao-cao.pdf"' in download["Content-Disposition"]
    assert refused.status_code == 404


@pytest.mark.django_db
def test_missing_object_answers_404_not_500(
    bucket, national, open_program, form_data, make_officer, client_for
):
    client = Client()
    url = f"/chuong-trinh/{open_program.code}/nop/"
    assert client.post(url, {**form_data(open_program), "attachments": [upload("a.pdf", PDF)]})
    attachment = Attachment.objects.get()
    bucket.delete_object(Bucket=bucket.name, Key=attachment.file.name)

    response = client_for(make_officer("stanley", STANLEY)).get(
        f"/office/sang-kien/{attachment.initiative.receipt}/tep/{attachment.pk}/"
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_sweep_deletes_stale_staged_and_orphan_objects_from_the_bucket(bucket, settings):
    sniffed = sniff(upload("a.pdf", PDF), allowed=["pdf"], max_bytes=1 << 20)

    def stage(token: str) -> Attachment:
        return upload_stage(
            form_token=token * 32, sniffed=sniffed, original_name="a.pdf", fileobj=upload("a", PDF)
        )

    stale, fresh = stage("s"), stage("f")
    Attachment.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.UPLOAD_STAGING_HOURS + 1)
    )
    orphan = "attachments/2026/01/orphan.pdf"
    bucket.put_object(Bucket=bucket.name, Key=orphan, Body=PDF)
    assert keys(bucket) == {stale.file.name, fresh.file.name, orphan}

    # Now: the orphan is younger than an hour (maybe an upload being committed), it stays.
    first = sweep_uploads()
    assert (first.staged_rows, first.orphan_files) == (1, 0)
    assert keys(bucket) == {fresh.file.name, orphan}

    # Two hours later it is an orphan for sure.
    later = sweep_uploads(now=timezone.now() + timedelta(hours=2))

    assert (later.staged_rows, later.orphan_files) == (0, 1)
    assert keys(bucket) == {fresh.file.name}
    assert list(Attachment.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.django_db
def test_readyz_checks_the_bucket(bucket, settings):
    ready = Client().get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["storage"] == "ok"

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    missing = Client().get("/readyz")

    assert missing.status_code == 503
    assert missing.json()["checks"]["storage"] == "error"
    assert missing["Retry-After"] == "10"
