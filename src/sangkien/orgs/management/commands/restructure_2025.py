"""manage.py restructure_2025: apply the 1/7/2025 merger of the provinces (optional demonstration)."""

from django.core.management.base import BaseCommand

from sangkien.orgs.national import apply_merger_2025


class Command(BaseCommand):
    help = "Áp dụng sáp nhập tỉnh từ 01/7/2025 (63 → 34), giữ nguyên lịch sử."

    def handle(self, *args, **options):
        created = apply_merger_2025()
        self.stdout.write(f"Sáp nhập 2025: {len(created)} LĐLĐ tỉnh, thành phố mới.")
