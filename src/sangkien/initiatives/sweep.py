"""Housekeeping of attachments: staged uploads past their time, files left without a row.

A row is committed only after its file is written, so the only inconsistency a crash can leave is
a file without a row; this removes those (older than an hour, so an upload being committed right
now is never touched) and the staged uploads of forms that were abandoned. Files are listed, aged
and deleted through the storage, so the same sweep serves a disk and an object-storage bucket.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
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
    storage = Attachment.file.field.storage
    orphans = 0
    limit = now - timedelta(seconds=GRACE_SECONDS)
    for batch in _batches(_files_under(storage, "attachments"), 1000):
        known = set(Attachment.objects.filter(file__in=batch).values_list("file", flat=True))
        # Only a name without a row costs a look at its age (one request on object storage).
        for name in batch:
            if name not in known and _older_than(storage, name, limit):
                storage.delete(name)
                orphans += 1
    return SweepResult(staged_rows=len(stale), orphan_files=orphans)


def _files_under(storage, directory: str):
    """Every file's name under `directory`, through the storage: a disk or an object store."""
    try:
        subdirectories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing uploaded yet (object stores answer an empty listing)
        return
    for name in sorted(files):
        yield f"{directory}/{name}"
    for subdirectory in sorted(subdirectories):
        yield from _files_under(storage, f"{directory}/{subdirectory}")


def _older_than(storage, name: str, limit) -> bool:
    try:
        return storage.get_modified_time(name) < limit
    except Exception:
        if storage.exists(name):
            raise
        return False  # removed meanwhile (an upload taken off its form)


def _batches(items, size: int):
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
