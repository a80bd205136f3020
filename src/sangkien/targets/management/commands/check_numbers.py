"""Compare the maintained numbers with a direct count, unit by unit (slow; for verification)."""

from django.core.management.base import BaseCommand, CommandError

from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets import direct, services
from sangkien.targets.enums import Tree


class Command(BaseCommand):
    help = (
        "Đối chiếu số liệu duy trì với số đếm trực tiếp cho từng đơn vị (chậm, dùng để kiểm tra). "
        "Mặc định các đơn vị cấp 0–1; --all: mọi đơn vị."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", help="mã chương trình (mặc định: tất cả)")
        parser.add_argument(
            "--all", dest="every_unit", action="store_true", help="mọi đơn vị, không chỉ cấp 0–1"
        )

    def handle(self, *args, program: str | None, every_unit: bool, **options):
        services.fold()
        programs = Program.objects.all()
        if program:
            programs = programs.filter(code=program)
        units = Unit.objects.all() if every_unit else Unit.objects.filter(level__lte=1)
        on = services.state().tree_on
        wrong = 0
        checked = 0
        for each in programs:
            for unit in units:
                for which in Tree.values:
                    checked += 1
                    kept = direct.maintained_rows(each, which, unit)
                    counted = direct.direct_rows(each, which, unit, on)
                    if kept != counted:
                        wrong += 1
                        diff = sorted(set(kept.items()) ^ set(counted.items()))[:5]
                        self.stdout.write(f"{each.code} {unit.code} {which}: {diff}")
        self.stdout.write(f"checked {checked} (programme, unit, tree); differing: {wrong}")
        if wrong:
            raise CommandError("maintained numbers differ from the direct count")
