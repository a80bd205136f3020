"""Targets: what each unit is asked for, per phase and quarter, from its parent's allocation table.

A unit's target comes from the table of its parent on today's tree (`Allocation` rows): the row
naming the unit, else the row of its block's group, else the row for "all the others". The
federation's own target is the programme's (Program.total_target, Phase.target). Kinds: an
absolute number, N per unit, N per member (× member_count). A row with only a programme total is
split evenly over the phases in whole initiatives, the earlier phases taking the remainder
(seed 004: "01 SK/đoàn viên/phân bố 02 giai đoạn"). A quarter's target is the phase targets
prorated by the days of each phase's submission window that fall in the quarter.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sangkien.common.timewindows import vn_date
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.programs.models import Phase, Program
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation


@dataclass
class Target:
    """A unit's target: None where nobody set one."""

    by_phase: dict[int, int | None] = field(default_factory=dict)
    participation_percent: Decimal | None = None
    source: str = ""  # the allocation row (or "the programme") it comes from

    @property
    def total(self) -> int | None:
        values = [v for v in self.by_phase.values() if v is not None]
        return sum(values) if values else None

    def of(self, phase: int | None) -> int | None:
        return self.total if phase is None else self.by_phase.get(phase)


def whole(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split_evenly(total: int, count: int) -> list[int]:
    """12 over 2 → [6, 6]; 57 over 2 → [29, 28]."""
    if count <= 0:
        return []
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def row_target(row: Allocation, unit: Unit, numbers: list[int]) -> dict[int, int | None]:
    """The per-phase targets one allocation row gives `unit`."""
    factor = Decimal(unit.member_count) if row.kind == TargetKind.PER_MEMBER else Decimal(1)
    given = {int(k): Decimal(str(v)) for k, v in (row.phase_values or {}).items() if v != ""}
    if given:
        out = {n: whole(given[n] * factor) if n in given else None for n in numbers}
        missing = [n for n in numbers if n not in given]
        if missing and row.total is not None:  # "700, phase 1: 400": phase 2 gets the other 300
            left = max(whole(row.total * factor) - sum(v for v in out.values() if v), 0)
            out.update(zip(missing, split_evenly(left, len(missing)), strict=True))
        return out
    if row.total is None:
        return {n: None for n in numbers}
    shares = split_evenly(whole(row.total * factor), len(numbers))
    return dict(zip(numbers, shares, strict=True))


def pick_row(rows: list[Allocation], unit: Unit) -> Allocation | None:
    """The row of a parent's table that gives `unit` its target: the row naming it, else its
    block's group, else the group of all other children."""
    named = [row for row in rows if row.unit_id == unit.pk]
    if named:
        return named[0]
    for block in (unit.block, ""):
        for row in rows:
            if row.unit_id is None and row.block == block:
                return row
    return None


def targets_for(
    program: Program, units: list[Unit], phases: list[Phase], on: date | None = None
) -> dict[int, Target]:
    """Each unit's target (by id), in two queries whatever the number of units."""
    on = on or tree.today()
    # A programme without phases counts its initiatives in phase 0 (as the tallies do).
    numbers = [phase.number for phase in phases] or [0]
    parents = dict(
        UnitPlacement.objects.filter(tree.valid_on(on), unit__in=units).values_list(
            "unit_id", "parent_id"
        )
    )
    tables: dict[int, list[Allocation]] = {}
    for row in Allocation.objects.filter(program=program, parent_id__in=set(parents.values())):
        tables.setdefault(row.parent_id, []).append(row)
    out: dict[int, Target] = {}
    for unit in units:
        if unit.pk not in parents:  # not in the tree that day: no table can name it
            out[unit.pk] = Target(by_phase={n: None for n in numbers})
            continue
        parent_id = parents[unit.pk]
        if parent_id is None:  # the federation: the programme's own targets
            out[unit.pk] = Target(
                by_phase={phase.number: phase.target for phase in phases}
                or {0: program.total_target},
                participation_percent=_programme_rate(program, unit),
                source=program.short_name,
            )
            continue
        row = pick_row(tables.get(parent_id, []), unit)
        if row is None:
            out[unit.pk] = Target(
                by_phase={n: None for n in numbers},
                participation_percent=_programme_rate(program, unit),
            )
            continue
        out[unit.pk] = Target(
            by_phase=row_target(row, unit, numbers),
            participation_percent=row.participation_percent
            if row.participation_percent is not None
            else _programme_rate(program, unit),
            source=row.label,
        )
    return out


def _programme_rate(program: Program, unit: Unit) -> Decimal | None:
    """Seed 003: at least 10% of the members of every province or sector union."""
    if program.participation_target_percent is None:
        return None
    level = program.participation_target_level
    if level is not None and unit.level != level:
        return None
    return program.participation_target_percent


def quarter_bounds(key: str) -> tuple[date, date]:
    """ "2022-Q1" → (2022-01-01, 2022-03-31)."""
    year, quarter = int(key[:4]), int(key[-1])
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, after - timedelta(days=1)


def quarters_of(program: Program) -> list[str]:
    """The quarters the programme's submission window touches, in order."""
    first = vn_date(program.submission_opens_at)
    last = vn_date(program.submission_closes_at - timedelta(microseconds=1))
    keys = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while (year, quarter) <= (last.year, (last.month - 1) // 3 + 1):
        keys.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys


def quarter_target(target: Target, phases: list[Phase], key: str) -> int | None:
    """The part of the phase targets that falls in the quarter, by days of each phase's window."""
    first, last = quarter_bounds(key)
    share = Decimal(0)
    found = False
    for phase in phases:
        value = target.by_phase.get(phase.number)
        if value is None:
            continue
        opens = vn_date(phase.submission_opens_at)
        closes = vn_date(phase.submission_closes_at - timedelta(microseconds=1))
        days = (closes - opens).days + 1
        inside = (min(closes, last) - max(opens, first)).days + 1
        if inside > 0 and days > 0:
            share += Decimal(value) * inside / days
            found = True
    return whole(share) if found else None
