"""Fold marked changes into the maintained numbers every few seconds (settings.STATS_FOLD =
"worker"), and move today's tree to today after midnight."""

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from sangkien.targets import services


class Command(BaseCommand):
    help = "Cập nhật số liệu duy trì liên tục (mỗi vài giây); --once: một lần rồi dừng."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=5.0, help="giây giữa hai lần")
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, every: float, once: bool, **options):
        while True:
            try:
                services.refresh_tree()
                taken = services.fold()
            except DatabaseError as error:  # the database restarting: try again next round
                self.stderr.write(f"fold failed: {error}")
                taken = 0
            if taken and options["verbosity"] > 1:
                self.stdout.write(f"folded {taken} changes")
            if once:
                return
            time.sleep(every)
            close_old_connections()  # a connection broken by a database restart is replaced
