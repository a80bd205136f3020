"""Benchmark steps that run inside Django, each in its own process so that its peak memory is its
own: `python -m bench.tasks <step>` prints one JSON object on its last line.

    setup     the open programme for submissions, the national administrator, sample units
    export    the national CSV of every initiative, streamed to a file (time, rows, peak memory)
    import    an XLSX of N rows through the office's bulk import (nộp hộ theo danh sách)
    rebuild   every maintained number recounted from the initiatives
    cleanup   the rows of the ceiling view deleted
"""

import io
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench import submissions  # noqa: E402
from bench.ceiling import CEILING_KEY  # noqa: E402

OFFICER = "bench-quantri"
PASSWORD = "bench-mat-khau-2026"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup() -> dict:
    from sangkien.accounts.enums import RoleKind
    from sangkien.accounts.models import Officer
    from sangkien.accounts.services import officer_create, role_grant
    from sangkien.initiatives.models import Initiative
    from sangkien.orgs.models import Unit
    from sangkien.orgs.queries import children, today
    from sangkien.programs.services import load_demo_program

    day = today()
    program = load_demo_program(day)
    federation = Unit.objects.get(level=0)
    officer = Officer.objects.filter(username=OFFICER).first()
    if officer is None:
        officer = officer_create(username=OFFICER, password=PASSWORD, full_name="Bench Quản trị")
        role_grant(officer=officer, unit=federation, kind=RoleKind.NATIONAL_ADMIN)
    # The dashboards' units: the federation, the busiest province, its busiest district, and that
    # district's busiest grassroots union, in the programme with the most initiatives.
    busiest = Initiative.objects.values("program__code").order_by().annotate(n=django_count())
    counted = max(busiest, key=lambda row: row["n"], default=None)
    chain = [federation]
    for _level in range(3):
        kids = list(children(chain[-1], day))
        if not kids:
            break
        chain.append(max(kids, key=lambda u: (u.member_count or 0, -u.pk)))
    units = list(
        Unit.objects.filter(level=3, code__startswith="DEMO-").values_list("code", flat=True)[:5000]
    ) or list(Unit.objects.filter(level=3).values_list("code", flat=True)[:5000])
    sample = list(
        Initiative.objects.filter(program__code=counted["program__code"] if counted else "")
        .order_by("?")
        .values_list("receipt", flat=True)[:200]
    )
    return {
        "program": program.code,
        "program_id": program.pk,
        "applied_from": program.eligible_from.isoformat(),
        "stats_program": counted["program__code"] if counted else program.code,
        "initiatives": sum(row["n"] for row in busiest),
        "dashboard_units": [u.code for u in chain],
        "units": units,
        "receipts": sample,
        "officer": OFFICER,
        "password": PASSWORD,
    }


def django_count():
    from django.db.models import Count

    return Count("id")


def export(path: str) -> dict:
    from sangkien.targets.exports.stream import national_csv

    started = time.perf_counter()
    rows = -1  # the header line
    size = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        for piece in national_csv(None):
            out.write(piece)
            size += len(piece)
            rows += piece.count("\r\n") or piece.count("\n")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
        "megabytes": round(Path(path).stat().st_size / 1e6, 1),
        "peak_mb": round(peak_mb(), 1),
    }


def _workbook(rows: int, units: list[str], applied_from) -> bytes:
    from openpyxl import Workbook

    from sangkien.initiatives import bulk

    rng = random.Random(2026)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(bulk.SHEET_TITLE))
    sheet.append([column.title for column in bulk.COLUMNS])
    labels = {"council": "Hội đồng sáng kiến"}
    for i in range(rows):
        body = submissions.form_body(rng, rng.choice(units), f"x{i:020d}", applied_from)
        body.update(
            {
                "recognized_by": labels["council"],
                "not_ip_protected": "Có",
                "lawful": "Có",
                "consent": "Có",
            }
        )
        sheet.append([body.get(column.key, "") for column in bulk.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_rows(rows: int) -> dict:
    from datetime import date

    from django.conf import settings

    from sangkien.accounts.models import Officer
    from sangkien.initiatives import bulk
    from sangkien.initiatives.bulk_models import BulkMode
    from sangkien.programs.models import Program

    info = json.loads(os.environ["BENCH_SETUP"])
    settings.BULK_IMPORT_INLINE = True
    program = Program.objects.get(code=info["program"])
    officer = Officer.objects.get(username=OFFICER)
    started = time.perf_counter()
    content = _workbook(rows, info["units"], date.fromisoformat(info["applied_from"]))
    built = time.perf_counter() - started
    started = time.perf_counter()
    job = bulk.bulk_upload(
        officer=officer,
        program=program,
        mode=BulkMode.ROW_BY_ROW,
        content=content,
        original_name="bench.xlsx",
    )
    job.refresh_from_db()
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
        "stored": job.rows_stored,
        "refused": job.rows_refused,
        "status": job.status,
        "file_megabytes": round(len(content) / 1e6, 1),
        "build_seconds": round(built, 1),
        "peak_mb": round(peak_mb(), 1),
    }


def rebuild() -> dict:
    from sangkien.targets.services import rebuild as recount

    started = time.perf_counter()
    done = recount()
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "initiatives": done,
        "peak_mb": round(peak_mb(), 1),
    }


def cleanup() -> dict:
    from sangkien.initiatives.models import Initiative

    deleted, _detail = Initiative.objects.filter(idempotency_key__startswith=CEILING_KEY).delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")
    return {"deleted": deleted}


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "setup":
        result = setup()
    elif step == "export":
        result = export(sys.argv[2])
    elif step == "import":
        result = import_rows(int(sys.argv[2]))
    elif step == "rebuild":
        result = rebuild()
    elif step == "cleanup":
        result = cleanup()
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result, ensure_ascii=False))
