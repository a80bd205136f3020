"""Benchmark of `similarity.similar()` and `queries.search()` on PostgreSQL with synthetic rows.

Not a test (pytest does not collect it): it prints numbers. Run it on a throwaway database only,
whose name must contain "bench"; the generated rows are never part of the repository:

    createdb -h 127.0.0.1 -U postgres sim_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim_bench
    .venv/bin/python -m django migrate --settings=sangkien.settings
    .venv/bin/python tests/initiatives/bench_similarity.py --rows 200000
    dropdb -h 127.0.0.1 -U postgres sim_bench

Rows: `--units` grassroots unions (so each holds rows / units initiatives, more than the 300
compared directly), 85 % fresh texts of 60, 150 or 300 words on six narrow topics (harsher than
real data: same-topic texts share many phrases), 15 % edited copies of an earlier row (a third
in the same union), 3 % withdrawn.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangkien.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sangkien.initiatives import similarity  # noqa: E402
from sangkien.initiatives.enums import Status  # noqa: E402
from sangkien.initiatives.models import Initiative  # noqa: E402
from sangkien.initiatives.queries import search  # noqa: E402
from sangkien.initiatives.receipts import new_receipt  # noqa: E402
from sangkien.initiatives.services import content_key  # noqa: E402
from sangkien.orgs.models import Unit  # noqa: E402
from sangkien.programs.services import load_demo_program  # noqa: E402
from tests.initiatives import textgen  # noqa: E402

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Sơn",
    "Tâm",
    "Tuấn",
    "Yến",
]
EDITS = [
    lambda rng, s, topic: textgen.render(textgen.change_words(rng, s, 5, topic)),
    lambda rng, s, topic: textgen.render(textgen.change_words(rng, s, 10, topic)),
    lambda rng, s, topic: textgen.render(textgen.add_sentence(rng, s, topic)),
    lambda rng, s, topic: textgen.retype(rng, textgen.render(s)),
]


def _fingerprint(pair):
    return similarity.fingerprint(*pair).as_fields()


def _texts(rng: random.Random, n: int, units: list[int]) -> list[tuple[str, str, str, int]]:
    """(title, description, author, unit) for n rows; some rows copy an earlier one, edited."""
    topics = sorted(textgen.TOPICS)
    made: list[tuple[str, list[list[str]], str, int]] = []
    out = []
    for i in range(n):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if made and rng.random() < 0.15:
            title, sentences, topic, unit = made[rng.randrange(len(made))]
            unit = unit if rng.random() < 1 / 3 else rng.choice(units)
            out.append((title, rng.choice(EDITS)(rng, sentences, topic), name, unit))
            continue
        topic = topics[i % len(topics)]
        sentences = textgen.text(rng, topic, rng.choice([60, 150, 150, 300]))
        title = textgen.render([textgen.sentence(rng, topic)])[:300]
        unit = rng.choice(units)
        made.append((title, sentences, topic, unit))
        out.append((title, textgen.render(sentences), name, unit))
    return out


def generate(rows: int, units: int, seed: int) -> None:
    rng = random.Random(seed)
    program = load_demo_program(date.today())
    Unit.objects.bulk_create(
        [
            Unit(
                code=f"BENCH-{u:05d}",
                name=f"CĐCS thử {u}",
                search_name=f"cdcs thu {u}",
                level=3,
                kind="grassroots",
                block="enterprise",
            )
            for u in range(units)
        ],
        ignore_conflicts=True,
    )
    unit_ids = list(Unit.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
    texts = _texts(rng, rows, unit_ids)
    started = time.perf_counter()
    with Pool() as pool:
        prints = pool.map(_fingerprint, [(t, d) for t, d, _, _ in texts], chunksize=2000)
    print(f"fingerprints: {rows} in {time.perf_counter() - started:.0f} s")
    base = datetime(2024, 1, 1, tzinfo=UTC)
    receipts: set[str] = set(Initiative.objects.values_list("receipt", flat=True))
    batch = []
    for i, ((title, description, name, unit), fields) in enumerate(zip(texts, prints, strict=True)):
        receipt = new_receipt()
        while receipt in receipts:
            receipt = new_receipt()
        receipts.add(receipt)
        batch.append(
            Initiative(
                receipt=receipt,
                program=program,
                unit_id=unit,
                unit_path="/",
                status=Status.WITHDRAWN if rng.random() < 0.03 else Status.SUBMITTED,
                block="doanh-nghiep",
                target_group="cong-nhan",
                kind="giai-phap-ky-thuat",
                title=title,
                description=description,
                first_applied_on=date(2023, 6, 1),
                recognized_by="council",
                recognition_number="1/QĐ",
                recognition_date=date(2023, 7, 1),
                benefit_vnd=1_000_000,
                not_ip_protected=True,
                lawful=True,
                consent_at=base,
                consent_version="2026-01",
                channel="bulk",
                submitted_at=base + timedelta(seconds=i),
                content_key=content_key(title, description),
                search_text=similarity.search_text(receipt, title, [name]),
                **fields,
            )
        )
        if len(batch) == 5000:
            Initiative.objects.bulk_create(batch)
            batch = []
    Initiative.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE initiatives_initiative")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return (
        f"p50 {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms, "
        f"max {ordered[-1]:.1f} ms, mean {statistics.mean(ordered):.1f} ms"
    )


def bench(samples: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    total = Initiative.objects.count()
    top = Initiative.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = [top - rng.randrange(total // 2) for _ in range(samples)]
    rows = list(Initiative.objects.filter(pk__in=ids))
    for row in rows[:20]:  # warm the caches, as a running site has them
        similarity.similar(row)
    timings, sql, found = [], [], [0, 0]
    for row in rows:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            in_unit, nationwide = similarity.similar(row)
            timings.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        found[0] += bool(in_unit)
        found[1] += bool(nationwide)
    print(f"similar() over {total} rows, {len(rows)} samples: {_percentiles(timings)}")
    print(f"  of which SQL: {_percentiles(sql)}")
    print(f"  samples with a match in the union: {found[0]}, nationwide: {found[1]}")
    row = rows[0]
    fields = similarity.Fingerprint(row.sim_hash, [getattr(row, f) for f in similarity.BAND_FIELDS])
    table = connection.ops.quote_name(Initiative._meta.db_table)
    params = [row.unit_id, row.submitted_at, Status.WITHDRAWN]
    for key in fields.bands:
        params += [key, row.submitted_at, Status.WITHDRAWN]
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
            + similarity._candidate_sql(table, len(fields.bands)),
            params,
        )
        plan = [line for (line,) in cursor.fetchall()]
    print("  candidate query plan (first lines):", *plan[:12], plan[-1], sep="\n    ")
    for term in ["nguyen van hung", "dong dien", rows[1].receipt_display]:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            list(search(Initiative.objects.all(), term).values_list("pk", flat=True)[:50])
            times.append((time.perf_counter() - started) * 1000)
        print(f"search({term!r})[:50]: {_percentiles(times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-generate", action="store_true", help="time the rows already there")
    args = parser.parse_args()
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"refusing to write synthetic rows into {connection.vendor} database {name!r}")
    if not args.no_generate:
        generate(args.rows, args.units, args.seed)
    bench(args.samples, args.seed)


if __name__ == "__main__":
    main()
