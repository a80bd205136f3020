"""Reading the maintained numbers: one unit's figures in one query, many units' in one query."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.enums import COUNTED, Dim, Tree
from sangkien.targets.models import StatsState, Tally


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage with two decimals; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Figures:
    """One unit's subtree, one programme, one tree; `phase` None for the whole programme."""

    unit: Unit
    phase: int | None
    total: int = 0  # counted initiatives (enums.COUNTED)
    benefit: int = 0  # declared benefit of the counted ones, VND
    by_status: dict[str, int] = field(default_factory=dict)  # every initiative
    by_phase: dict[int, int] = field(default_factory=dict)
    participants_by_phase: dict[int, int] = field(default_factory=dict)
    by_quarter: dict[str, int] = field(default_factory=dict)
    by_day: dict[date, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_target_group: dict[str, int] = field(default_factory=dict)
    by_block: dict[str, int] = field(default_factory=dict)
    participants: int = 0

    @property
    def members(self) -> int:
        return self.unit.member_count

    @property
    def participation_rate(self) -> Decimal | None:
        return rate(self.participants, self.members)

    @property
    def per_thousand_members(self) -> Decimal | None:
        if not self.members:
            return None
        return (Decimal(self.total) * 1000 / self.members).quantize(Decimal("0.01"), ROUND_HALF_UP)


_BREAKDOWN = {
    Dim.KIND: "by_kind",
    Dim.TARGET_GROUP: "by_target_group",
    Dim.BLOCK: "by_block",
    Dim.QUARTER: "by_quarter",
}


def _add(mapping: dict, key, n: int) -> None:
    mapping[key] = mapping.get(key, 0) + n


def add_rows(figures: Figures, rows) -> None:
    """Add tally rows (phase, dim, key, n, benefit) of one unit to its figures: the one place that
    says what a figure is made of."""
    phase = figures.phase
    for row_phase, dim, key, n, benefit in rows:
        if not n and not benefit:  # a value that was counted once and no longer is
            continue
        if dim == Dim.PEOPLE:
            if key == "*":
                if phase is None:
                    figures.participants = n
            else:
                figures.participants_by_phase[row_phase] = n
                if phase == row_phase:
                    figures.participants = n
            continue
        if dim == Dim.STATUS and key in COUNTED:
            _add(figures.by_phase, row_phase, n)
        if phase is not None and row_phase != phase:
            continue
        if dim == Dim.STATUS:
            _add(figures.by_status, key, n)
            if key in COUNTED:
                figures.total += n
                figures.benefit += benefit
        elif dim == Dim.DAY:
            _add(figures.by_day, date.fromisoformat(key), n)
        else:
            _add(getattr(figures, _BREAKDOWN[dim]), key, n)


def figures(
    program: Program, unit: Unit, which: str = Tree.HISTORICAL, phase: int | None = None
) -> Figures:
    """Every figure of `unit`'s subtree, in one query."""
    found = Figures(unit=unit, phase=phase)
    rows = Tally.objects.filter(program=program, tree=which, unit=unit).values_list(
        "phase", "dim", "key", "n", "benefit"
    )
    add_rows(found, rows)
    found.by_day = dict(sorted(found.by_day.items()))
    return found


def figures_many(
    program: Program,
    units: list[Unit],
    which: str = Tree.HISTORICAL,
    phase: int | None = None,
    dims: tuple[str, ...] = (Dim.STATUS, Dim.PEOPLE),
) -> dict[int, Figures]:
    """The figures of many units (by id) in one query; by default totals, status, people."""
    found = {unit.pk: Figures(unit=unit, phase=phase) for unit in units}
    rows = Tally.objects.filter(
        program=program, tree=which, unit__in=list(found), dim__in=list(dims)
    ).values_list("unit_id", "phase", "dim", "key", "n", "benefit")
    grouped = defaultdict(list)
    for unit_id, *rest in rows:
        grouped[unit_id].append(rest)
    for unit_id, unit_rows in grouped.items():
        add_rows(found[unit_id], unit_rows)
    return found


def counts_on(
    program: Program, units: list[Unit], dim: str, keys: list[str], which: str = Tree.HISTORICAL
) -> dict[int, int]:
    """Counted initiatives of each unit (by id) on some days or quarters, in one query."""
    out = {unit.pk: 0 for unit in units}
    rows = Tally.objects.filter(
        program=program, tree=which, unit__in=list(out), dim=dim, key__in=keys
    ).values_list("unit_id", "n")
    for unit_id, n in rows:
        out[unit_id] += n
    return out


def programme_total(program: Program) -> int:
    """Counted initiatives of the whole programme (the federation's tally), in one query."""
    found = Tally.objects.filter(
        program=program,
        tree=Tree.HISTORICAL,
        unit__level=0,
        dim=Dim.STATUS,
        key__in=list(COUNTED),
    ).aggregate(total=Sum("n"))["total"]
    return found or 0


def as_of() -> StatsState | None:
    """When the numbers were last folded and the day of "today's tree"."""
    return StatsState.objects.filter(pk=1).first()
