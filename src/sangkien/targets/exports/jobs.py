"""Export jobs: requested, claimed by one runner, made into a stored file, re-queued, purged."""

import logging
import os
import secrets
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangkien.accounts import rules
from sangkien.common.audit import audit
from sangkien.common.background import run_after_commit
from sangkien.initiatives.enums import Status
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import anchor_path
from sangkien.programs.models import Phase, Program
from sangkien.targets.exports.rows import CHUNK_SIZE, export_queryset, row_chunks
from sangkien.targets.exports.writers import csv_lines, write_xlsx
from sangkien.targets.models import ExportJob, ExportStatus

log = logging.getLogger("sangkien.targets.exports")

FORMATS = ("xlsx", "csv")
STALE_MINUTES = 60  # a job "running" longer than this is taken as left by a dead process


class ExportFailed(Exception):
    """The job cannot be made; `message` says why, in the job's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Superseded(Exception):
    """Another runner claimed the job (it was taken as stale): this run's work is dropped."""


def export_request(
    *,
    actor,
    unit: Unit,
    program: Program,
    fmt: str,
    phase: Phase | None = None,
    status: str | None = None,
) -> ExportJob:
    """Queue the list of `unit`'s initiatives and start making it once the request is committed.

    Raises PermissionDenied when the actor may not see the unit, ValueError for a format, phase or
    status that does not exist; nothing is written then.
    """
    if not rules.can_view_unit(actor, unit):
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if phase is not None and phase.program_id != program.pk:
        raise ValueError("the phase belongs to another programme")
    if status and status not in Status.values:
        raise ValueError(f"unknown status {status!r}")
    params = {
        "phase": phase.number if phase is not None else None,
        "status": status or "",
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    with transaction.atomic():
        job = ExportJob.objects.create(
            owner=actor,
            unit=unit,
            program=program,
            fmt=fmt,
            params=params,
            created_at=timezone.now(),
        )
        audit(
            actor=actor,
            action="export.request",
            obj=job,
            unit=unit.code,
            program=program.code,
            fmt=fmt,
            phase=params["phase"],
            status=params["status"],
        )
    start(job)
    return job


def start(job: ExportJob) -> None:
    """Run the job in a daemon thread after the commit, or right now with EXPORT_INLINE."""
    run_after_commit(
        export_run, job.pk, name="export", inline=getattr(settings, "EXPORT_INLINE", False)
    )


def _claim(job_id: int) -> ExportJob | None:
    """Mark the job running if it is queued: of two runners, exactly one gets it."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING,
        started_at=now,
        finished_at=None,
        rows_done=0,
        error="",
    )
    if not claimed:
        return None
    return ExportJob.objects.select_related("owner", "unit", "program").get(pk=job_id)


def requeue_stale(stale_after: timedelta) -> int:
    """Put back in the queue the jobs "running" for longer than `stale_after` (their process died);
    a run still alive then notices at its next chunk that it was superseded and stops."""
    cutoff = timezone.now() - stale_after
    return ExportJob.objects.filter(status=ExportStatus.RUNNING, started_at__lt=cutoff).update(
        status=ExportStatus.QUEUED
    )


def queued_jobs() -> list[int]:
    return list(
        ExportJob.objects.filter(status=ExportStatus.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def export_run(job_id: int, *, chunk_size: int = CHUNK_SIZE) -> ExportJob | None:
    """Make the file of a queued job. Answers the finished job, or None when the job was not
    queued (done, failed, or being made by another runner): it is never made twice at once."""
    job = _claim(job_id)
    if job is None:
        return None
    language = job.params.get("language") or settings.LANGUAGE_CODE
    mine = ExportJob.objects.filter(
        pk=job.pk, status=ExportStatus.RUNNING, started_at=job.started_at
    )
    try:
        with translation.override(language):
            name, done = _make(job, mine, chunk_size)
    except _Superseded:
        log.warning("export %s was taken over by another runner", job_id)
        return ExportJob.objects.get(pk=job_id)
    except ExportFailed as failed:
        return _fail(job, mine, failed.message)
    except Exception:
        log.exception("export %s failed", job_id)
        with translation.override(language):
            message = _(
                "Không tạo được tệp do lỗi hệ thống. Hãy yêu cầu xuất lại; nếu vẫn lỗi, "
                "hãy báo bộ phận kỹ thuật."
            )
        return _fail(job, mine, message)
    finished = mine.update(
        status=ExportStatus.DONE,
        file=name,
        rows_done=done,
        rows_total=done,
        finished_at=timezone.now(),
    )
    if not finished:  # superseded after the last chunk: the other run's file is the one kept
        ExportJob.file.field.storage.delete(name)
        return ExportJob.objects.get(pk=job_id)
    audit(actor=job.owner, action="export.finish", obj=job, status=ExportStatus.DONE, rows=done)
    return ExportJob.objects.get(pk=job_id)


def _fail(job: ExportJob, mine: QuerySet[ExportJob], message: str) -> ExportJob:
    if mine.update(status=ExportStatus.FAILED, error=message, finished_at=timezone.now()):
        audit(actor=job.owner, action="export.finish", obj=job, status=ExportStatus.FAILED)
    return ExportJob.objects.get(pk=job.pk)


class _MovedFile(File):
    """A finished temporary file that storage may move into place instead of copying it."""

    def temporary_file_path(self) -> str:
        return self.name


def _make(job: ExportJob, mine: QuerySet[ExportJob], chunk_size: int) -> tuple[str, int]:
    """Write the file to storage; answers its stored name and the number of rows."""
    if not rules.can_view_unit(job.owner, job.unit):
        raise ExportFailed(
            _("Tài khoản yêu cầu không còn quyền xem đơn vị %(unit)s; không xuất được.")
            % {"unit": job.unit.code}
        )
    path = anchor_path(job.unit)
    if path is None:
        raise ExportFailed(
            _("Đơn vị %(unit)s không có trong cây tổ chức.") % {"unit": job.unit.code}
        )
    qs = export_queryset(
        program=job.program,
        path=path,
        phase=job.params.get("phase"),
        status=job.params.get("status") or None,
    )
    total = qs.count()
    if not mine.update(rows_total=total):
        raise _Superseded
    done = 0

    def progress(rows: int) -> None:
        nonlocal done
        done += rows
        if not mine.update(rows_done=done, rows_total=max(total, done)):
            raise _Superseded

    chunks = row_chunks(qs, program=job.program, chunk_size=chunk_size)
    handle, temporary = tempfile.mkstemp(prefix="sangkien-export-", suffix=f".{job.fmt}")
    os.close(handle)
    try:
        if job.fmt == "xlsx":
            write_xlsx(temporary, chunks, progress)
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as out:
                for piece in csv_lines(chunks, progress):
                    out.write(piece)
        stored = f"sang-kien-{job.unit.code}-{job.program.code}-{job.pk}-{secrets.token_urlsafe(8)}"
        with open(temporary, "rb") as content:
            name = job.file.field.generate_filename(job, f"{stored}.{job.fmt}")
            name = job.file.field.storage.save(name, _MovedFile(content), max_length=255)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return name, done


def download_name(job: ExportJob) -> str:
    return (
        f"sang-kien-{job.unit.code}-{job.program.code}-{job.created_at:%Y%m%d}-{job.pk}.{job.fmt}"
    )


def percent(job: ExportJob) -> int:
    if job.status == ExportStatus.DONE:
        return 100
    return min(job.rows_done * 100 // job.rows_total, 100) if job.rows_total else 0


def is_finished(job: ExportJob) -> bool:
    return job.status in (ExportStatus.DONE, ExportStatus.FAILED)


def purge_files(*, older_than: timedelta) -> int:
    """Delete the files of jobs finished long ago (the job rows stay, without a file)."""
    cutoff = timezone.now() - older_than
    count = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count


def jobs_of(owner) -> QuerySet[ExportJob]:
    """The owner's own jobs, newest first, with what the list shows."""
    return ExportJob.objects.filter(owner=owner).select_related("unit", "program")


# --- downloads ----------------------------------------------------------------------------------


def export_open(*, actor, job: ExportJob):
    """The job's file opened for its owner, the download written to the audit log; None when
    there is nothing to give (not the owner, not done, file purged, unit no longer visible)."""
    if job.owner_id != getattr(actor, "pk", None) or job.status != ExportStatus.DONE:
        return None
    if not job.file or not rules.can_view_unit(actor, job.unit):
        return None
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        return None
    audit(actor=actor, action="export.download", obj=job, fmt=job.fmt, rows=job.rows_done)
    return handle
