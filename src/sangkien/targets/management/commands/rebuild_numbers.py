"""Recount every maintained number from the initiatives (both trees), or only today's tree."""

import time

from django.core.management.base import BaseCommand

from sangkien.targets import services


class Command(BaseCommand):
    help = (
        "Đếm lại toàn bộ số liệu duy trì (chỉ tiêu, tiến độ, bảng vinh danh) từ các sáng kiến; "
        "--today-tree: chỉ đếm lại theo cây đơn vị hiện nay (sau khi sắp xếp lại đơn vị)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today-tree", action="store_true")

    def handle(self, *args, today_tree: bool, **options):
        started = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if options["verbosity"] > 0 and (now - last[0] > 2 or done == total):
                last[0] = now
                percent = 100 * done // total if total else 100
                self.stdout.write(f"  {done:,}/{total:,} ({percent}%)")

        if today_tree:
            done = services.rebuild_today_tree(progress=progress)
        else:
            done = services.rebuild(progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(f"initiatives counted: {done:,} in {seconds:.1f} s")
