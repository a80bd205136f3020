"""manage.py generate_country: a national-size generated dataset for benchmarks (PostgreSQL)."""

from django.core.management.base import BaseCommand, CommandError

from sangkien.demo.country import DEFAULT_PROGRAM, CountryError, generate_country


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu quy mô toàn quốc để đo hiệu năng: đơn vị minh hoạ và số đoàn viên, "
        "2,5 triệu sáng kiến trong 600 ngày của chương trình (với tác giả, lịch sử trạng thái, "
        "đề nghị lên cấp trên, khen thưởng), rồi đếm lại số liệu. --scale 0.001 cho một bản nhỏ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 = toàn quốc; thu nhỏ cả đơn vị và sáng kiến"
        )
        parser.add_argument(
            "--initiatives",
            type=int,
            default=None,
            help="số sáng kiến (mặc định 2.500.000 × scale)",
        )
        parser.add_argument("--seed", type=int, default=2022, help="cùng seed, cùng dữ liệu")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="xoá sáng kiến, đề nghị và khen thưởng của chương trình trước khi sinh",
        )
        parser.add_argument("--program", default=DEFAULT_PROGRAM, help="mã chương trình")
        parser.add_argument("--workers", type=int, default=2, help="số tiến trình dựng dữ liệu")
        parser.add_argument(
            "--no-rebuild", action="store_true", help="không đếm lại số liệu (rebuild) ở cuối"
        )

    def handle(self, *args, **options):
        try:
            result = generate_country(
                scale=options["scale"],
                initiatives=options["initiatives"],
                seed=options["seed"],
                reset=options["reset"],
                program_code=options["program"],
                workers=options["workers"],
                rebuild=not options["no_rebuild"],
                stream=getattr(self.stderr, "_out", self.stderr),  # raw: the bar redraws with \r
            )
        except CountryError as error:
            raise CommandError(error.message) from None
        self.stdout.write("Số lượng:")
        for name, value in result.counts.items():
            shown = f"{value / 2**30:.2f} GiB" if name == "database_bytes" else f"{value:,}"
            self.stdout.write(f"  {name:<22} {shown}")
        self.stdout.write("Thời gian (giây):")
        for name, seconds in result.seconds.items():
            self.stdout.write(f"  {name:<22} {seconds:8.1f}")
        folded = result.counts.get("folded")
        if folded and result.seconds.get("numbers"):
            rate = folded / result.seconds["numbers"]
            self.stdout.write(f"  numbers: {rate:,.0f} sáng kiến/giây")
