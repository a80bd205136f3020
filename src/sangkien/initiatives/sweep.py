"""Housekeeping of attachments: staged uploads past their time, files left without a row.

A row is committed only after its file is written, so the only inconsistency a crash can leave is
a file without a row; this removes those (older than an hour, so an upload being committed right
now is never touched) and the staged uploads of forms that were abandoned.
"""

import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from sangkien.initiatives.models import Attachment

GRACE_SECONDS = 3600


@dataclass(frozen=True)
class SweepResult:
    staged_rows: int
    orphan_files: int


def sweep_uploads(*, now=None) -> SweepResult:
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.UPLOAD_STAGING_HOURS)
    stale = list(Attachment.objects.filter(initiative=None, created_at__lt=cutoff))
    for attachment in stale:
        attachment.delete()
        attachment.file.delete(save=False)
    root = Path(settings.MEDIA_ROOT) / "attachments"
    orphans = 0
    limit = time.time() - GRACE_SECONDS
    candidates = (
        path.relative_to(settings.MEDIA_ROOT).as_posix()
        for path in (root.rglob("*") if root.exists() else [])
        if path.is_file() and path.stat().st_mtime < limit
    )
    for batch in _batches(candidates, 1000):
        known = set(Attachment.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name not in known:
                default_storage.delete(name)
                orphans += 1
    return SweepResult(staged_rows=len(stale), orphan_files=orphans)


def _batches(items, size: int):
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
