"""manage.py load_programs: the programmes of the seeds (existing ones are left as edited)."""

from django.core.management.base import BaseCommand

from sangkien.programs.services import load_seed_programs


class Command(BaseCommand):
    help = "Nạp các chương trình trong tài liệu gốc (01 triệu sáng kiến, 75 nghìn sáng kiến)."

    def handle(self, *args, **options):
        for program in load_seed_programs():
            self.stdout.write(f"Chương trình: {program.code}")
