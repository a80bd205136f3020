"""A unit's target page: its own target, its children's and their sum; each row said in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets.allocation import Target, targets_for
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation
from sangkien.targets.tables.numbers import _per_phase, format_number
from sangkien.targets.tables.rules import AllocationInput, _phase_values, group_name


@dataclass
class ChildLine:
    unit: Unit
    target: Target


@dataclass
class Shortfall:
    phase: Phase | None  # None: the whole programme
    own: int
    children: int

    @property
    def missing(self) -> int:
        return self.own - self.children


@dataclass
class Overview:
    """A unit's own target and where it comes from, its children's, and their sum against it."""

    program: Program
    unit: Unit
    parent: Unit | None
    phases: list[Phase]
    own: Target
    children: list[ChildLine]
    rows: list[Allocation]
    sums: dict[int, int]
    sum_total: int
    shortfalls: list[Shortfall]
    without_target: int


def overview(program: Program, unit: Unit, phases: list[Phase]) -> Overview:
    """Five queries whatever the number of children."""
    placement = tree.placement_on(unit)
    kids = list(tree.children(unit))
    targets = targets_for(program, [unit, *kids], phases)
    rows = list(Allocation.objects.filter(program=program, parent=unit).select_related("unit"))
    numbers = [phase.number for phase in phases]
    lines = [ChildLine(kid, targets[kid.pk]) for kid in kids]
    sums = {n: sum(line.target.by_phase.get(n) or 0 for line in lines) for n in numbers}
    own = targets[unit.pk]
    shortfalls = [
        Shortfall(phase, own.by_phase[phase.number], sums[phase.number])
        for phase in phases
        if own.by_phase.get(phase.number) is not None
        and sums[phase.number] < own.by_phase[phase.number]
    ]
    sum_total = sum(sums.values())
    if own.total is not None and sum_total < own.total:
        shortfalls.append(Shortfall(None, own.total, sum_total))
    return Overview(
        program=program,
        unit=unit,
        parent=placement.parent if placement else None,
        phases=phases,
        own=own,
        children=lines,
        rows=rows,
        sums=sums,
        sum_total=sum_total,
        shortfalls=shortfalls,
        without_target=sum(1 for line in lines if line.target.total is None),
    )


def describe(row: AllocationInput | Allocation, phases: list[Phase]) -> str:
    """ "2 sáng kiến mỗi đơn vị (Giai đoạn 1: 1; Giai đoạn 2: 1)": what a row asks."""
    values = _phase_values(row)
    total = row.total
    if total is None and values:
        total = sum(values.values(), Decimal(0))
    amount = format_number(total) if total is not None else "—"
    if row.kind == TargetKind.PER_UNIT:
        text = _("%(n)s sáng kiến mỗi đơn vị") % {"n": amount}
    elif row.kind == TargetKind.PER_MEMBER:
        text = _("%(n)s sáng kiến mỗi đoàn viên") % {"n": amount}
    else:
        text = _("%(n)s sáng kiến") % {"n": amount}
    if values:
        text = f"{text} ({_per_phase(values, phases)})"
    elif total is not None and len(phases) > 1:
        text = _("%(text)s, chia đều cho %(n)s giai đoạn") % {"text": text, "n": len(phases)}
    if row.participation_percent is not None:
        text = _("%(text)s; tỷ lệ đoàn viên tham gia %(rate)s%%") % {
            "text": text,
            "rate": format_number(row.participation_percent),
        }
    return text


def applies_to(row: AllocationInput | Allocation) -> str:
    """Whom a row is for: the named unit, or the group."""
    unit = row.unit
    return unit.name if unit is not None else group_name(row.block)
