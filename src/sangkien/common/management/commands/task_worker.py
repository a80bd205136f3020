"""manage.py task_worker: run the background jobs queued in Redis (settings.TASK_QUEUE = "rq").

Receipts and status messages, bulk imports and exports are queued by `sangkien.common.tasks`
after their transaction commits; this runs them. Start as many as the queue needs (under systemd
or any supervisor); SIGTERM lets the current job finish, then stops. Each job runs in a fresh
child process (rq's forking worker) unless --no-fork.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sangkien.common import tasks


class Command(BaseCommand):
    help = (
        "Chạy các việc nền đang chờ trong hàng đợi Redis (gửi biên nhận và thông báo, nhập theo "
        "danh sách, xuất tệp); --burst: chạy hết việc đang chờ rồi dừng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Chạy hết các việc đang chờ rồi dừng."
        )
        parser.add_argument(
            "--no-fork",
            action="store_true",
            help="Chạy mọi việc ngay trong tiến trình này thay vì một tiến trình con cho mỗi việc.",
        )
        parser.add_argument(
            "--max-jobs", type=int, default=None, help="Dừng sau khi chạy chừng này việc."
        )

    def handle(self, *args, burst: bool, no_fork: bool, max_jobs: int | None, **options):
        if not settings.TASK_QUEUE_URL:
            raise CommandError("Không có hàng đợi: hãy đặt REDIS_URL hoặc TASK_QUEUE_URL.")
        if settings.TASK_QUEUE != "rq":
            self.stderr.write(
                f"TASK_QUEUE={settings.TASK_QUEUE}: các tiến trình web tự chạy việc nền; tiến "
                "trình này chỉ chạy những việc đã có sẵn trong hàng đợi."
            )
        tasks.work(burst=burst, fork=not no_fork, max_jobs=max_jobs)
