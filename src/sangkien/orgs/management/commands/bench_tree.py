"""manage.py bench_tree: subtree and permission questions timed on the loaded tree (prints numbers)."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection

from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement


def _timed(function, repeat: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], result


class Command(BaseCommand):
    help = "Đo thời gian các câu hỏi cây con trên cây đã nạp (in bảng số liệu)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=50)

    def handle(self, *args, repeat, **options):
        today = tree.today()
        units = Unit.objects.count()
        grassroots = Unit.objects.filter(level=3).count()
        self.stdout.write(
            f"database: {connection.vendor}; units: {units:,}; grassroots: {grassroots:,}"
        )
        federation = tree.placement_on(Unit.objects.get(code="TLD"))
        hanoi = tree.placement_on(Unit.objects.get(code="T01"))
        district = (
            UnitPlacement.objects.filter(tree.valid_on(today), unit__level=2, unit__is_demo=True)
            .order_by("unit__code")
            .first()
        ) or tree.placement_on(Unit.objects.get(code="T01-D018"))
        leaf = UnitPlacement.objects.filter(
            tree.valid_on(today), path__startswith=district.path, unit__level=3
        ).first()
        cases = [
            (
                "subtree count: federation (whole country)",
                lambda: tree.subtree(federation.path, today).count(),
            ),
            ("subtree count: a province (Hà Nội)", lambda: tree.subtree(hanoi.path, today).count()),
            (
                "subtree list: a direct-superior union",
                lambda: len(list(tree.subtree(district.path, today))),
            ),
            (
                "subtree count: federation on 2022-06-01",
                lambda: tree.subtree(
                    federation.path, today.replace(year=2022, month=6, day=1)
                ).count(),
            ),
            ("children list: federation", lambda: len(list(tree.children(federation.unit, today)))),
            (
                "anchor path of a grassroots union",
                lambda: tree.anchor_path(leaf.unit) if leaf else None,
            ),
            ("ancestors of a grassroots union", lambda: len(tree.ancestors(leaf)) if leaf else 0),
            ("search 'gia lam' (accent-insensitive)", lambda: len(list(tree.search("gia lam")))),
        ]
        self.stdout.write(f"{'question':48} {'median ms':>10} {'p95 ms':>9} {'rows':>9}")
        for label, function in cases:
            median, p95, result = _timed(function, repeat)
            self.stdout.write(f"{label:48} {median:10.2f} {p95:9.2f} {result!s:>9}")
