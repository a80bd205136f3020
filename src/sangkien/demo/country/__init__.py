"""A generated country for benchmarks: the national tree with demo units and member counts, and
a campaign's worth of initiatives (2.5 million over the 600 days of "01 triệu sáng kiến" at
national size) with authors, status history, forwardings, scores and awards, then the
maintained numbers rebuilt.

`generate_country` runs the steps in order, each with a progress bar on stderr:

    units        demo units under the 83 direct units (orgs.national.generate_demo_units)
    officers     one support-team officer per reviewing unit (gen-<code>, no usable password)
    plan         when, where and with what outcome each initiative was submitted (plan.py)
    initiatives  rows built by worker processes (rows.py), written with COPY (load.py)
    indexes      the big tables' indexes and constraints recreated after the load
    review       quotas, forwardings, nominations, scores, awards (review.py)
    numbers      targets.services.rebuild()

PostgreSQL is the target. SQLite takes the same rows through plain inserts, for small runs
(tests, a look at the data) only.
"""

import multiprocessing
import sys
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from sangkien.awards.models import Award, GalleryConsent
from sangkien.common.setaside import SetAside
from sangkien.demo.country import load, plan, review, rows
from sangkien.demo.country.fingerprints import Fingerprinter, pieces_of
from sangkien.demo.country.progress import Progress
from sangkien.demo.country.texts import Bank
from sangkien.initiatives.models import Author, Initiative, StatusChange
from sangkien.initiatives.services import CONSENT_VERSION
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.national import generate_demo_units
from sangkien.orgs.queries import today
from sangkien.programs.models import Program
from sangkien.programs.queries import options_of
from sangkien.review.models import Forwarding, Nomination, Quota, Score
from sangkien.targets import services as numbers
from sangkien.targets.models import Tally

DEFAULT_PROGRAM = "01-trieu-sang-kien"
CHUNK = 2000  # initiatives per worker task
WARM_FROM = 200_000  # from this many initiatives, the text bank is fingerprinted ahead
WARM_SLICE = 2000
SQLITE_LIMIT = 50_000


class CountryError(Exception):
    """The generation cannot run; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _unions(program: Program) -> list[plan.Union]:
    """Grassroots unions standing in one place from the programme's opening until today."""
    first = timezone.localtime(program.submission_opens_at).date()
    rows_ = (
        UnitPlacement.objects.filter(
            unit__level=3,
            valid_from__lte=first,
            valid_to__gt=today(),
            unit__valid_from__lte=first,
            unit__valid_to__gt=today(),
        )
        .order_by("unit_id")
        .values_list("unit_id", "path", "unit__block", "unit__member_count")
    )
    return [plan.Union(*row) for row in rows_]


def _blocks(program: Program) -> list[str]:
    codes = [o.code for o in options_of(program, "block")]
    if not codes:
        raise CountryError(f"Chương trình {program.code} chưa có danh mục khối.")
    enterprise = "doanh-nghiep" if "doanh-nghiep" in codes else codes[0]
    other = next((c for c in codes if c != enterprise), enterprise)
    return [enterprise, other]


def _slices(strings: list[str]) -> list[list[str]]:
    return [strings[k : k + WARM_SLICE] for k in range(0, len(strings), WARM_SLICE)]


def _load(
    context: rows.Context, *, workers: int, truncate_first: bool, reset: bool, stream
) -> dict[str, float]:
    """Build and write the initiatives, authors and history; answers the seconds of the steps
    inside it (fingerprinting the text bank ahead, recreating the indexes on PostgreSQL)."""
    seconds: dict[str, float] = {}
    n = context.plan.n
    chunks = [(start, min(n, start + CHUNK)) for start in range(0, n, CHUNK)]
    parallel = load.postgres() and workers > 1 and len(chunks) > 1
    fingerprinter = Fingerprinter()
    if parallel and n >= WARM_FROM:
        # Every sentence and title of the bank fingerprinted once, split over the workers,
        # instead of once per worker as they first meet it.
        strings = context.bank.strings()
        bar = Progress("texts", len(strings), stream)
        with multiprocessing.get_context("fork").Pool(workers) as warm:
            for done, pieces in enumerate(warm.imap_unordered(pieces_of, _slices(strings)), 1):
                fingerprinter.add(pieces)
                bar.update(min(len(strings), done * WARM_SLICE))
        seconds["texts"] = bar.finish()
    rows.install(context, fingerprinter)
    bar = Progress("initiatives", n, stream)
    pool = None
    if parallel:
        # Forked after `install`: the workers share the plan and never touch the database.
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap(rows.build_chunk, chunks)
    else:
        results = map(rows.build_chunk, chunks)
    own = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if load.postgres():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            freeze = False
            if truncate_first:
                load.truncate()
                freeze = own  # FREEZE needs the TRUNCATE in the same (sub)transaction
            if reset or truncate_first:
                load.delete_review(context.program)
            aside = SetAside(load.BIG) if load.postgres() else None
            if aside:
                aside.drop()
            done = 0
            for initiatives, authors, history, (count, _a, _h) in results:
                if aside:
                    load.copy(Initiative, rows.INITIATIVE_COLUMNS, initiatives, freeze=freeze)
                    load.copy(Author, rows.AUTHOR_COLUMNS, authors, freeze=freeze)
                    load.copy(StatusChange, rows.HISTORY_COLUMNS, history, freeze=freeze)
                else:
                    load.insert(Initiative, rows.INITIATIVE_COLUMNS, initiatives)
                    load.insert(Author, rows.AUTHOR_COLUMNS, authors)
                    load.insert(StatusChange, rows.HISTORY_COLUMNS, history)
                done += count
                bar.update(done)
            bar.finish()
            if aside:
                statements = aside.statements()
                indexes = Progress("indexes", len(statements), stream)
                with connection.cursor() as cursor:
                    for k, statement in enumerate(statements, start=1):
                        cursor.execute(statement)
                        indexes.update(k)
                seconds["indexes"] = indexes.finish()
    finally:
        if pool is not None:
            pool.terminate()  # every result was read, or the load failed: nothing to wait for
            pool.join()
    return seconds


def generate_country(
    *,
    scale: float = 1.0,
    initiatives: int | None = None,
    seed: int = 2022,
    reset: bool = False,
    program_code: str = DEFAULT_PROGRAM,
    workers: int = 2,
    rebuild: bool = True,
    stream=None,
) -> Result:
    stream = stream or sys.stderr
    result = Result()
    started = time.perf_counter()
    program = (
        Program.objects.prefetch_related("phases", "options").filter(code=program_code).first()
    )
    if program is None:
        raise CountryError(
            f"Không có chương trình {program_code}; hãy chạy manage.py load_programs trước."
        )
    phases = sorted(program.phases.all(), key=lambda phase: phase.number)
    if not phases:
        raise CountryError(f"Chương trình {program_code} chưa có giai đoạn.")
    n = initiatives if initiatives is not None else round(plan.NATIONAL_INITIATIVES * scale)
    if scale <= 0 or n < 0:
        raise CountryError("--scale phải lớn hơn 0 và số sáng kiến không được âm.")
    if not load.postgres() and n > SQLITE_LIMIT:
        raise CountryError(
            f"Trên SQLite chỉ sinh tối đa {SQLITE_LIMIT:,} sáng kiến; quy mô toàn quốc cần "
            "PostgreSQL (DATABASE_URL=postgres://…)."
        )
    existing = Initiative.objects.filter(program=program).count()
    if existing and not reset:
        raise CountryError(
            f"Chương trình {program_code} đã có {existing:,} sáng kiến. Chạy lại với --reset để "
            "xoá sáng kiến, đề nghị và khen thưởng đã sinh trước đó."
        )

    def step(name: str, seconds: float) -> None:
        result.seconds[name] = seconds

    bar = Progress("units", 1, stream)
    if not Unit.objects.filter(level=1).exists():
        raise CountryError("Chưa có cây tổ chức; hãy chạy manage.py load_national_tree trước.")
    made = generate_demo_units(scale=scale, seed=seed)
    bar.update(1)
    step("units", bar.finish())
    result.counts["new_grassroots"] = made["grassroots"]

    bar = Progress("officers", 1, stream)
    tree = review.officers()
    bar.update(1)
    step("officers", bar.finish())

    unions = _unions(program)
    if not unions:
        raise CountryError("Không có công đoàn cơ sở nào tồn tại suốt thời gian của chương trình.")
    windows = [
        plan.PhaseWindow(ph.pk, ph.number, ph.submission_opens_at, ph.submission_closes_at)
        for ph in phases
    ]
    bar = Progress("plan", n, stream)
    now = timezone.now()
    the_plan = plan.build(
        unions=unions, phases=windows, n=n, seed=seed, now=now, progress=bar.update
    )
    step("plan", bar.finish())

    truncate_first = load.can_truncate(program, reset=reset)
    if existing and not truncate_first:
        bar = Progress("reset", 1, stream)
        load.delete_program(program)
        bar.update(1)
        step("reset", bar.finish())
    taken = set() if truncate_first else set(Initiative.objects.values_list("receipt", flat=True))
    context = rows.Context(
        seed=seed,
        program=program,
        plan=the_plan,
        phases=phases,
        first_id=load.next_id(Initiative),
        bank=Bank(seed),
        kinds=[o.code for o in options_of(program, "kind")],
        groups=[o.code for o in options_of(program, "target_group")],
        blocks=_blocks(program),
        officers={unit: officer for unit, officer in tree.officer.items()},
        taken_receipts=taken,
        consent_version=CONSENT_VERSION,
        encode=load.postgres(),
    )
    began = time.perf_counter()
    inside = _load(
        context, workers=workers, truncate_first=truncate_first, reset=reset, stream=stream
    )
    spent = time.perf_counter() - began
    if "texts" in inside:
        step("texts", inside["texts"])
    step("initiatives", spent - sum(inside.values()))
    if "indexes" in inside:
        step("indexes", inside["indexes"])

    bar = Progress("review", 1, stream)
    with transaction.atomic():
        made_review = review.generate(
            program=program, plan=the_plan, first_id=context.first_id, tree=tree, seed=seed, now=now
        )
        load.insert(Quota, review.QUOTA_COLUMNS, made_review.quotas)
        load.insert(Forwarding, review.FORWARDING_COLUMNS, made_review.forwardings)
        load.insert(Nomination, review.NOMINATION_COLUMNS, made_review.nominations)
        load.insert(Score, review.SCORE_COLUMNS, _json(made_review.scores, 4))
        load.insert(Award, review.AWARD_COLUMNS, made_review.awards)
        load.insert(GalleryConsent, review.CONSENT_COLUMNS, made_review.consents)
        load.set_sequences(
            [Initiative, Forwarding, Nomination, Quota, Score, Award, GalleryConsent]
        )
    bar.update(1)
    step("review", bar.finish())
    bar = Progress("analyze", 1, stream)
    load.analyze([*load.BIG, Forwarding, Nomination, Award, Unit, UnitPlacement])
    bar.update(1)
    step("analyze", bar.finish())

    if rebuild:
        bar = Progress("numbers", n, stream)
        folded = numbers.rebuild(progress=bar.update)
        step("numbers", bar.finish())
        result.counts["folded"] = folded
    result.seconds["total"] = time.perf_counter() - started
    result.counts.update(_counts(program))
    return result


def _json(scores: list[tuple], column: int) -> list[tuple]:
    """Score points as JSON text for COPY / SQLite (the column is a JSON field)."""
    import json

    return [(*row[:column], json.dumps(row[column]), *row[column + 1 :]) for row in scores]


def _counts(program: Program) -> dict[str, int]:
    counts = {}
    units = Unit.objects.values("level").annotate(n=Count("pk"), members=Sum("member_count"))
    for row in units:
        counts[f"units_level_{row['level']}"] = row["n"]
    counts["members"] = (
        Unit.objects.filter(level=0).aggregate(total=Sum("member_count"))["total"] or 0
    )
    ours = Initiative.objects.filter(program=program)
    counts["initiatives"] = ours.count()
    for row in ours.values("status").annotate(n=Count("pk")):
        counts[f"status_{row['status']}"] = row["n"]
    counts["authors"] = Author.objects.filter(initiative__program=program).count()
    counts["history"] = StatusChange.objects.filter(initiative__program=program).count()
    counts["forwardings"] = Forwarding.objects.filter(program=program).count()
    counts["nominations"] = Nomination.objects.filter(forwarding__program=program).count()
    counts["quotas"] = Quota.objects.filter(program=program).count()
    counts["scores"] = Score.objects.filter(initiative__program=program).count()
    counts["awards"] = Award.objects.filter(program=program).count()
    counts["gallery_consents"] = GalleryConsent.objects.filter(initiative__program=program).count()
    counts["tallies"] = Tally.objects.filter(program=program).count()
    if load.postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            counts["database_bytes"] = cursor.fetchone()[0]
    return counts
