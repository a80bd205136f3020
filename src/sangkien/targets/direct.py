"""The figures counted directly from the initiatives, the slow way, to check the maintained ones
(tests, `manage.py check_numbers`). Deliberately shares nothing with the fold but the definitions:
which states count (COUNTED) and who a person is (person_key)."""

from collections import defaultdict

from django.db.models import Count, Sum

from sangkien.common.timewindows import vn_date
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.programs.models import Program
from sangkien.targets.enums import COUNTED, Dim, Tree
from sangkien.targets.models import Tally
from sangkien.targets.services import person_key, quarter_of

Rows = dict[tuple[int, str, str], tuple[int, int]]  # (phase, dim, key) → (n, benefit)


def maintained_rows(program: Program, which: str, unit: Unit) -> Rows:
    rows = Tally.objects.filter(program=program, tree=which, unit=unit).values_list(
        "phase", "dim", "key", "n", "benefit"
    )
    return {(p, d, k): (n, b) for p, d, k, n, b in rows if n or b}


def _paths_on(on) -> dict[int, str]:
    """Every unit's path on the tree of day `on`, successors standing in for units gone."""
    paths = dict(UnitPlacement.objects.filter(tree.valid_on(on)).values_list("unit_id", "path"))
    for unit in Unit.objects.exclude(pk__in=paths.keys()):
        paths[unit.pk] = tree.anchor_path(unit, on) or ""
    return paths


def direct_rows(program: Program, which: str, unit: Unit, on=None) -> Rows:
    """What the tallies of `unit` should hold, counted from the initiatives."""
    qs = Initiative.objects.filter(program=program)
    if which == Tree.HISTORICAL:
        paths_of = dict(
            qs.filter(unit_path__contains=f"/{unit.pk}/").values_list("pk", "unit_path")
        )
    else:
        paths = _paths_on(on or tree.today())
        paths_of = {
            pk: paths[unit_id]
            for pk, unit_id in qs.values_list("pk", "unit_id")
            if f"/{unit.pk}/" in paths[unit_id]
        }
    base = Initiative.objects.filter(pk__in=list(paths_of))
    out: Rows = {}

    def put(phase, dim, key, n, benefit):
        if n or benefit:
            out[(phase or 0, dim, key)] = (n, benefit or 0)

    for row in base.values("phase__number", "status").annotate(n=Count("pk"), b=Sum("benefit_vnd")):
        put(row["phase__number"], Dim.STATUS, row["status"], row["n"], row["b"])
    counted = base.filter(status__in=COUNTED)
    for dim in (Dim.KIND, Dim.TARGET_GROUP, Dim.BLOCK):
        for row in counted.values("phase__number", dim.value).annotate(
            n=Count("pk"), b=Sum("benefit_vnd")
        ):
            put(row["phase__number"], dim, row[dim.value], row["n"], row["b"])
    days: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    quarters: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for phase, at, benefit in counted.values_list("phase__number", "submitted_at", "benefit_vnd"):
        day = vn_date(at)
        for bucket, key in ((days, day.isoformat()), (quarters, quarter_of(day))):
            bucket[(phase or 0, key)][0] += 1
            bucket[(phase or 0, key)][1] += benefit or 0
    for (phase, key), (n, b) in days.items():
        put(phase, Dim.DAY, key, n, b)
    for (phase, key), (n, b) in quarters.items():
        put(phase, Dim.QUARTER, key, n, b)
    people: dict[int, set] = defaultdict(set)
    everyone: set = set()
    for pk, phase, id_hash, phone_hash, name in Author.objects.filter(
        initiative__in=counted
    ).values_list(
        "initiative_id", "initiative__phase__number", "id_hash", "phone_hash", "full_name"
    ):
        who = (paths_of[pk], person_key(id_hash, phone_hash, name))
        people[phase or 0].add(who)
        everyone.add(who)
    for phase, who in people.items():
        put(phase, Dim.PEOPLE, "", len(who), 0)
    put(0, Dim.PEOPLE, "*", len(everyone), 0)
    return out
