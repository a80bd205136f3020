"""manage.py run_bulk_imports: run queued bulk submissions, resume interrupted ones, purge old files.

Meant for cron (every few minutes): a job normally runs in a thread of the web process that
received the file; if that process died, the job stays "running" without progress and is picked
up here once it has been silent for --stale-minutes. Running a job twice stores nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sangkien.initiatives.bulk import (
    STALE_MINUTES,
    pending_jobs,
    purge_files,
    requeue,
    run_bulk_import,
)
from sangkien.initiatives.bulk_models import BulkImport


class Command(BaseCommand):
    help = (
        "Chạy các lần nộp theo danh sách đang chờ và chạy tiếp những lần bị gián đoạn "
        "(không ghi trùng); xoá tệp đã tải lên của các lần đã xong quá BULK_IMPORT_KEEP_DAYS ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=STALE_MINUTES,
            help="Một lần đang chạy mà không tiến triển quá số phút này được coi là bị gián đoạn.",
        )
        parser.add_argument(
            "--job",
            type=int,
            help="Chỉ chạy lần nhập này (kể cả khi nó đã bị gián đoạn với trạng thái lỗi).",
        )

    def handle(self, *args, **options):
        stale = timedelta(minutes=options["stale_minutes"])
        if options["job"] is not None:
            if not BulkImport.objects.filter(pk=options["job"]).exists():
                raise CommandError(f"no bulk import {options['job']}")
            requeue(options["job"])
            ids = [options["job"]]
        else:
            ids = pending_jobs(stale)
        for job_id in ids:
            job = run_bulk_import(job_id, stale_after=stale)
            if job is None:
                self.stdout.write(f"#{job_id}: đang được xử lý ở nơi khác, bỏ qua.")
                continue
            self.stdout.write(
                f"#{job.pk}: {job.get_status_display()}, {job.rows_stored} dòng đã ghi, "
                f"{job.rows_refused} dòng lỗi / {job.rows_total}."
            )
        keep = timedelta(days=getattr(settings, "BULK_IMPORT_KEEP_DAYS", 30))
        purged = purge_files(older_than=keep)
        if purged:
            self.stdout.write(f"Đã xoá {purged} tệp tải lên cũ.")
