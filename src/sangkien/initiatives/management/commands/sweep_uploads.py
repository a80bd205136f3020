"""Remove uploads that never became part of an initiative, and files that have no row."""

from django.core.management.base import BaseCommand

from sangkien.initiatives.sweep import sweep_uploads


class Command(BaseCommand):
    help = "Xoá tệp tải lên không thuộc sáng kiến nào (quá hạn giữ) và tệp không có bản ghi."

    def handle(self, *args, **options):
        result = sweep_uploads()
        self.stdout.write(
            f"staged rows removed: {result.staged_rows}; orphan files removed: {result.orphan_files}"
        )
