"""manage.py load_national_tree: the real national structure and the clusters (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from sangkien.orgs.national import load_national_tree


class Command(BaseCommand):
    help = "Nạp cây tổ chức công đoàn toàn quốc (2022) và các cụm thi đua."

    def handle(self, *args, **options):
        result = load_national_tree()
        if not result.ok:
            for issue in result.issues:
                self.stderr.write(f"dòng {issue.row}, cột {issue.column}: {issue.message}")
            raise CommandError("units_2022.csv has errors")
        self.stdout.write(
            f"Cây tổ chức: {result.created} đơn vị mới, {result.updated} cập nhật, "
            f"{result.moved} chuyển, {result.unchanged} không đổi."
        )
