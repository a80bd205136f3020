"""manage.py load_demo: the demonstration programme, demo units and demo officers."""

from django.core.management.base import BaseCommand

from sangkien.demo.services import load_demo


class Command(BaseCommand):
    help = "Tạo dữ liệu minh hoạ: chương trình đang mở, đơn vị minh hoạ, 3 cán bộ minh hoạ."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)

    def handle(self, *args, scale, **options):
        result = load_demo(scale=scale)
        self.stdout.write(
            f"Minh hoạ: chương trình {result['program'].code}; "
            f"{result['units']['grassroots']} CĐCS minh hoạ mới; cán bộ: "
            + ", ".join(officer.username for officer in result["officers"])
        )
        initiatives = result["initiatives"]
        if initiatives:
            first = initiatives[0]
            self.stdout.write(
                f"{len(initiatives)} sáng kiến minh hoạ; tra cứu thử: mã {first.receipt_display}, "
                f"số điện thoại {first.lead.phone()}"
            )
