"""Attachments: the kind decided by content, limits from the programme, staging, the sweep."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sangkien.initiatives.models import Attachment
from sangkien.initiatives.services import upload_stage
from sangkien.initiatives.sweep import sweep_uploads
from sangkien.initiatives.uploads import sniff
from tests.initiatives.files import EXE, JPEG, PDF, PNG, docx_bytes, upload, xlsx_bytes

ALL = ["jpeg", "png", "pdf", "docx"]
REFUSED = "Chỉ nhận tệp JPEG, PNG, PDF, Word (DOCX); nội dung tệp này không phải loại được nhận."


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (docx_bytes(), "docx")],
)
def test_kind_decided_by_content(content, kind):
    # The names lie on purpose: only the bytes count.
    found = sniff(upload("anh.txt", content), allowed=ALL, max_bytes=10 << 20)

    assert found.kind == kind
    assert found.size == len(content)


@pytest.mark.parametrize("content", [EXE, xlsx_bytes(), b"PK\x03\x04broken", b"hello"])
def test_other_content_refused_whatever_the_name(content):
    assert sniff(upload("sang-kien.pdf", content), allowed=ALL, max_bytes=10 << 20) == REFUSED


def test_kind_not_allowed_by_the_programme_refused():
    found = sniff(upload("a.png", PNG), allowed=["pdf"], max_bytes=10 << 20)

    assert found == "Chỉ nhận tệp PDF; nội dung tệp này không phải loại được nhận."


def test_size_limit_and_empty_file():
    big = upload("a.pdf", PDF + b"0" * (2 << 20))

    assert sniff(big, allowed=ALL, max_bytes=1 << 20) == "Tệp lớn 2,0 MB, vượt quá giới hạn 1 MB."
    assert sniff(upload("a.pdf", b""), allowed=ALL, max_bytes=1 << 20) == "Tệp rỗng."


@pytest.mark.django_db
def test_stage_writes_the_file_before_the_row(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sniffed = sniff(upload("a.pdf", PDF), allowed=ALL, max_bytes=1 << 20)

    attachment = upload_stage(
        form_token="t" * 32, sniffed=sniffed, original_name="Sáng kiến.pdf", fileobj=io.BytesIO(PDF)
    )

    stored = Path(attachment.file.path)
    assert stored.read_bytes() == PDF
    assert stored.suffix == ".pdf"
    assert "Sáng" not in stored.name  # our name, never the uploader's
    assert attachment.original_name == "Sáng kiến.pdf"


@pytest.mark.django_db
def test_sweep_removes_stale_staged_uploads_and_orphan_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sniffed = sniff(upload("a.pdf", PDF), allowed=ALL, max_bytes=1 << 20)
    stale = upload_stage(
        form_token="s" * 32, sniffed=sniffed, original_name="a.pdf", fileobj=io.BytesIO(PDF)
    )
    fresh = upload_stage(
        form_token="f" * 32, sniffed=sniffed, original_name="b.pdf", fileobj=io.BytesIO(PDF)
    )
    Attachment.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.UPLOAD_STAGING_HOURS + 1)
    )
    orphan = tmp_path / "attachments" / "2026" / "01" / "orphan.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(PDF)
    young_orphan = orphan.with_name("young.pdf")
    young_orphan.write_bytes(PDF)
    old = time.time() - 7200
    os.utime(orphan, (old, old))
    os.utime(fresh.file.path, (old, old))

    result = sweep_uploads()

    assert (result.staged_rows, result.orphan_files) == (1, 1)
    assert not Path(stale.file.path).exists()
    assert not orphan.exists()
    assert young_orphan.exists()  # may belong to an upload being committed right now
    assert Path(fresh.file.path).exists()
    assert list(Attachment.objects.values_list("pk", flat=True)) == [fresh.pk]
