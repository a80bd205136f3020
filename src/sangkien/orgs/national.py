"""Loading the real national structure, the 2025 merger of the provinces, and demo units."""

import csv
import random
from datetime import date
from pathlib import Path

from django.db import connection, transaction

from sangkien.common.audit import audit
from sangkien.common.text import fold
from sangkien.common.timewindows import END_OF_TIME
from sangkien.orgs.enums import Block, Level, UnitKind
from sangkien.orgs.models import Cluster, ClusterMembership, Unit, UnitPlacement
from sangkien.orgs.queries import today as local_today
from sangkien.orgs.queries import valid_on
from sangkien.orgs.services import refresh_member_totals, unit_create, units_merge
from sangkien.orgs.tree_io import ImportResult, import_tree

DATA = Path(__file__).parent / "data"
FEDERATION_CODE = "TLD"
MERGER_2025 = date(2025, 7, 1)
# The day units_2022.csv describes. Checking the file against the tree of that day (not today's)
# keeps the load repeatable after restructurings such as the 2025 merger.
NATIONAL_TREE_DAY = date(2022, 1, 1)
DEMO_PREFIX = "DEMO-"
NATIONAL_SCALE = {"superiors": 1226, "grassroots": 127_000, "members": 11_800_000}


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_national_tree() -> ImportResult:
    """The federation, the 83 direct units of 2022 and the lower units the seeds name, then the
    competition clusters. Running it again changes nothing (the file's zero member counts do not
    wipe what grassroots unions declared since)."""
    result = import_tree(
        (DATA / "units_2022.csv").read_bytes(),
        filename="units_2022.csv",
        effective_on=NATIONAL_TREE_DAY,
        keep_member_counts=True,
    )
    if result.ok:
        load_clusters()
    return result


@transaction.atomic
def load_clusters() -> int:
    organiser = Unit.objects.get(code=FEDERATION_CODE)
    created = 0
    for row in _csv("clusters.csv"):
        cluster, made = Cluster.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "organiser": organiser}
        )
        created += made
        for code in row["members"].split():
            ClusterMembership.objects.get_or_create(
                cluster=cluster, unit=Unit.objects.get(code=code)
            )
    return created


def merger_2025_rows() -> list[dict[str, str]]:
    return _csv("provinces_2025.csv")


@transaction.atomic
def apply_merger_2025(actor=None) -> list[Unit]:
    """Sáp nhập tỉnh 1/7/2025 (63 → 34): for each merged province a new provincial federation
    takes over the children and the history of the old ones, which end on 30/6/2025. Unchanged
    provinces keep their unit. Applying it twice changes nothing."""
    federation = Unit.objects.get(code=FEDERATION_CODE)
    created = []
    for row in merger_2025_rows():
        old_codes = row["old_codes"].split()
        if len(old_codes) == 1:
            continue
        if Unit.objects.filter(code=row["new_code"]).exists():
            continue
        olds = list(Unit.objects.filter(code__in=old_codes))
        new = unit_create(
            code=row["new_code"],
            name=row["new_name"],
            level=Level.DIRECT,
            kind=UnitKind.PROVINCE_FEDERATION,
            block=Block.ADMINISTRATIVE,
            parent=federation,
            effective_on=MERGER_2025,
            actor=actor,
        )
        units_merge(units=olds, into=new, effective_on=MERGER_2025, actor=actor)
        memberships = list(
            ClusterMembership.objects.filter(unit__in=olds, valid_to=END_OF_TIME).select_related(
                "unit"
            )
        )
        for membership in memberships:
            membership.valid_to = MERGER_2025
            membership.save(update_fields=["valid_to"])
        # A unit competes in one cluster only. Where the old provinces came from different
        # clusters, the new federation takes the cluster of the province it is numbered after
        # (T25-51 after T51), whose seat it keeps.
        seat = "T" + row["new_code"].rsplit("-", 1)[1]
        home = [m for m in memberships if m.unit.code == seat] or memberships[:1]
        for membership in home:
            ClusterMembership.objects.get_or_create(
                cluster=membership.cluster, unit=new, valid_from=MERGER_2025
            )
        created.append(new)
    if created:
        audit(
            actor=actor,
            action="tree.merger_2025",
            object_type="orgs.tree",
            object_id="/",
            provinces=[unit.code for unit in created],
        )
        refresh_member_totals()
    return created


def generate_demo_units(
    *, scale: float = 0.01, seed: int = 2022, batch: int = 5000
) -> dict[str, int]:
    """Clearly marked demo units (code DEMO-…, name "(minh hoạ)") under every direct unit:
    `scale` 1.0 gives the national size (1,226 direct-superior unions, 127,000 grassroots
    unions, 11.8 million members). Existing demo units are kept; only the missing are added."""
    rng = random.Random(seed)
    today = local_today()
    direct = list(Unit.objects.filter(valid_on(today), level=Level.DIRECT).order_by("code"))
    if not direct:
        raise ValueError("load the national tree first")
    n_superiors = max(len(direct), round(NATIONAL_SCALE["superiors"] * scale))
    n_grassroots = max(n_superiors, round(NATIONAL_SCALE["grassroots"] * scale))
    mean_members = NATIONAL_SCALE["members"] / NATIONAL_SCALE["grassroots"]
    existing = set(Unit.objects.filter(code__startswith=DEMO_PREFIX).values_list("code", flat=True))
    placements = {
        p.unit_id: p for p in UnitPlacement.objects.filter(valid_on(today), unit__in=direct)
    }
    blocks = (
        [Block.ENTERPRISE] * 6 + [Block.ADMINISTRATIVE] * 2 + [Block.SCHOOL] * 2 + [Block.COMMUNE]
    )
    made = {"superiors": 0, "grassroots": 0}

    def flush(units: list[Unit], parents: list[tuple[int, str]]) -> list[Unit]:
        # Bulk insert returns primary keys on PostgreSQL and SQLite ≥ 3.35, which paths need.
        created = Unit.objects.bulk_create(units, batch_size=batch)
        UnitPlacement.objects.bulk_create(
            [
                UnitPlacement(
                    unit=unit,
                    parent_id=parent_id,
                    path=f"{parent_path}{unit.pk}/",
                    valid_from=unit.valid_from,
                    valid_to=unit.valid_to,
                )
                for unit, (parent_id, parent_path) in zip(created, parents, strict=True)
            ],
            batch_size=batch,
        )
        return created

    superiors: list[Unit] = []
    sup_parents: list[tuple[int, str]] = []
    for i in range(n_superiors):
        parent = direct[i % len(direct)]
        code = f"{DEMO_PREFIX}{parent.code}-D{i // len(direct) + 1:03d}"
        if code in existing:
            continue
        name = f"Công đoàn cấp trên cơ sở số {i // len(direct) + 1} thuộc {parent.name} (minh hoạ)"
        kind = (
            UnitKind.DISTRICT_FEDERATION
            if parent.kind == UnitKind.PROVINCE_FEDERATION
            else UnitKind.OTHER_DIRECT_SUPERIOR
        )
        superiors.append(
            _demo_unit(code, name, Level.DIRECT_SUPERIOR, kind, parent.block, placements[parent.pk])
        )
        sup_parents.append((parent.pk, placements[parent.pk].path))
    with transaction.atomic():
        flush(superiors, sup_parents)
    made["superiors"] = len(superiors)
    all_superiors = list(
        UnitPlacement.objects.filter(
            valid_on(today), unit__code__startswith=DEMO_PREFIX, unit__level=Level.DIRECT_SUPERIOR
        )
        .select_related("unit")
        .order_by("unit__code")
    )
    units: list[Unit] = []
    parents: list[tuple[int, str]] = []
    for i in range(n_grassroots):
        placement = all_superiors[i % len(all_superiors)]
        number = i // len(all_superiors) + 1
        code = f"{placement.unit.code}-C{number:04d}"
        if code in existing:
            continue
        name = f"Công đoàn cơ sở số {number} thuộc {placement.unit.code} (minh hoạ)"
        members = max(5, int(rng.lognormvariate(0, 0.9) * mean_members / 1.5))
        units.append(
            _demo_unit(
                code,
                name,
                Level.GRASSROOTS,
                UnitKind.GRASSROOTS,
                rng.choice(blocks),
                placement,
                members,
            )
        )
        parents.append((placement.unit_id, placement.path))
        if len(units) >= batch:
            with transaction.atomic():
                flush(units, parents)
            made["grassroots"] += len(units)
            units, parents = [], []
    with transaction.atomic():
        flush(units, parents)
    made["grassroots"] += len(units)
    _analyze()
    refresh_member_totals()
    return made


def _demo_unit(
    code: str,
    name: str,
    level: int,
    kind: str,
    block: str,
    parent_placement: UnitPlacement,
    members: int = 0,
) -> Unit:
    """A demo unit that exists exactly while its parent's placement does: never older than
    where it hangs (a province created on 1/7/2025)."""
    return Unit(
        code=code,
        name=name,
        search_name=fold(name),
        level=level,
        kind=kind,
        block=block,
        member_count=members,
        is_demo=True,
        valid_from=parent_placement.valid_from,
        valid_to=parent_placement.valid_to,
    )


def _analyze() -> None:
    """Refresh PostgreSQL's statistics after a bulk load: with stale ones (a table it believes
    empty) the planner picks nested loops that take minutes instead of milliseconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgs_unit, orgs_unitplacement")


__all__ = [
    "apply_merger_2025",
    "generate_demo_units",
    "load_clusters",
    "load_national_tree",
]
