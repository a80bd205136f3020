"""manage.py run_exports: make the queued export files, take back jobs a dead process left, purge
old files.

A job normally runs in a thread of the web process that received the request. For cron (every few
minutes) or a dedicated worker: a job still "running" after --stale-minutes is taken as left by a
process that died and is queued again; every queued job is then made, each by one runner only.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from sangkien.targets.exports import (
    STALE_MINUTES,
    export_run,
    purge_files,
    queued_jobs,
    requeue_stale,
)
from sangkien.targets.models import ExportJob, ExportStatus


class Command(BaseCommand):
    help = (
        "Tạo tệp của các yêu cầu xuất dữ liệu đang chờ, chạy lại những yêu cầu bị gián đoạn và "
        "xoá tệp xuất cũ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=STALE_MINUTES,
            help="Một yêu cầu 'đang tạo' quá số phút này được coi là bị gián đoạn và chạy lại.",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=7,
            help="Xoá tệp của các yêu cầu đã xong quá số ngày này (0: không xoá).",
        )
        parser.add_argument("--job", type=int, help="Chỉ chạy yêu cầu này (kể cả khi đã lỗi).")

    def handle(self, *args, **options):
        requeued = requeue_stale(timedelta(minutes=options["stale_minutes"]))
        if requeued:
            self.stdout.write(f"Đưa lại vào hàng đợi {requeued} yêu cầu bị gián đoạn.")
        if options["job"] is not None:
            if not ExportJob.objects.filter(pk=options["job"]).exists():
                raise CommandError(f"no export job {options['job']}")
            ExportJob.objects.filter(pk=options["job"], status=ExportStatus.FAILED).update(
                status=ExportStatus.QUEUED
            )
            ids = [options["job"]]
        else:
            ids = queued_jobs()
        for job_id in ids:
            job = export_run(job_id)
            if job is None:
                self.stdout.write(f"#{job_id}: đang được tạo ở nơi khác hoặc đã xong, bỏ qua.")
                continue
            self.stdout.write(
                f"#{job.pk}: {job.get_status_display()}, {job.rows_done}/{job.rows_total} dòng."
                + (f" {job.error}" if job.error else "")
            )
        if options["keep_days"] > 0:
            purged = purge_files(older_than=timedelta(days=options["keep_days"]))
            if purged:
                self.stdout.write(f"Đã xoá {purged} tệp xuất cũ.")
