"""manage.py generate_demo_units --scale S: clearly marked demo units, up to national size at 1.0."""

import time

from django.core.management.base import BaseCommand

from sangkien.orgs.national import generate_demo_units


class Command(BaseCommand):
    help = "Sinh đơn vị minh hoạ (mã DEMO-…); --scale 1 cho quy mô toàn quốc."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args, scale, seed, **options):
        started = time.monotonic()
        made = generate_demo_units(scale=scale, seed=seed)
        self.stdout.write(
            f"Đơn vị minh hoạ: {made['superiors']} công đoàn cấp trên cơ sở, "
            f"{made['grassroots']} công đoàn cơ sở mới ({time.monotonic() - started:.1f} s)."
        )
