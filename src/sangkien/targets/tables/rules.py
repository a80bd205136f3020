"""A table's rows as typed (AllocationInput), their conversions, and the rules a table must keep."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from sangkien.orgs import queries as tree
from sangkien.orgs.enums import Block
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation
from sangkien.targets.tables.numbers import MAX_VALUE, format_number


class AllocationRefused(Exception):
    """The table breaks a rule; `problems` say where, `message`/`field`/`row` the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.message)
        self.message = first.message
        self.field = first.field
        self.row = first.index


@dataclass(frozen=True)
class Problem:
    """What is wrong with row `index` (its position in the list given; -1: the whole table) and
    which of its fields: unit, block, kind, total, phase_<n>, participation_percent, label."""

    index: int
    field: str
    message: str


@dataclass
class AllocationInput:
    """One row of a table as typed: a named child (`unit`) or a group (`block`, "" = all the
    other children), a kind, a total and/or values per phase number, a participation rate."""

    label: str = ""
    unit: Unit | None = None
    block: str = ""
    kind: str = TargetKind.ABSOLUTE
    total: Decimal | None = None
    phase_values: dict[int, Decimal] = field(default_factory=dict)
    participation_percent: Decimal | None = None

    def key(self) -> tuple:
        """What the row says, for comparing two tables."""
        return (
            self.label,
            self.unit.pk if self.unit else None,
            "" if self.unit else self.block,
            self.kind,
            _norm(self.total),
            {n: _norm(v) for n, v in sorted(self.phase_values.items())},
            _norm(self.participation_percent),
        )


def _norm(value: Decimal | None) -> Decimal | None:
    """700, 700.00 and 7E+2 compare as one key (adding 0 undoes normalize's exponent form)."""
    return None if value is None else Decimal(value).normalize() + 0


def _phase_values(row: AllocationInput | Allocation) -> dict[int, Decimal]:
    """A row's values by phase number, stored (JSON: "1": 700) or typed alike."""
    return {int(k): Decimal(str(v)) for k, v in (row.phase_values or {}).items()}


def inputs_of(rows: list[Allocation]) -> list[AllocationInput]:
    """Stored rows as inputs (for the edit form and for comparing tables)."""
    return [
        AllocationInput(
            label=row.label,
            unit=row.unit,
            block=row.block,
            kind=row.kind,
            total=row.total,
            phase_values=_phase_values(row),
            participation_percent=row.participation_percent,
        )
        for row in rows
    ]


def _text_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def inputs_to_data(rows: list[AllocationInput]) -> list[dict]:
    """Rows as JSON-able data (an import kept in the session between preview and confirm)."""
    return [
        {
            "label": row.label,
            "unit": row.unit.pk if row.unit is not None else None,
            "block": row.block,
            "kind": row.kind,
            "total": _text_or_none(row.total),
            "phases": {str(n): str(v) for n, v in row.phase_values.items()},
            "participation": _text_or_none(row.participation_percent),
        }
        for row in rows
    ]


def inputs_from_data(data: list[dict]) -> list[AllocationInput]:
    """The rows back from `inputs_to_data` (one query for the named units, wherever they are
    today: allocation_replace checks they are still children)."""
    units = Unit.objects.in_bulk([row["unit"] for row in data if row["unit"] is not None])
    return [
        AllocationInput(
            label=row["label"],
            unit=units.get(row["unit"]) if row["unit"] is not None else None,
            block=row["block"] if row["unit"] is None else "",
            kind=row["kind"],
            total=None if row["total"] is None else Decimal(row["total"]),
            phase_values={int(n): Decimal(v) for n, v in row["phases"].items()},
            participation_percent=None
            if row["participation"] is None
            else Decimal(row["participation"]),
        )
        for row in data
        # A named unit deleted since the preview cannot be allocated to; its row is dropped.
        if row["unit"] is None or row["unit"] in units
    ]


def group_name(block: str) -> str:
    if not block:
        return _("các đơn vị còn lại")
    return _("các đơn vị khối %(block)s") % {"block": str(Block(block).label).lower()}


def _no_such_phase(program: Program, n: int) -> str:
    return _("Chương trình %(program)s không có giai đoạn %(n)s.") % {
        "program": program.short_name,
        "n": n,
    }


def check_rows(
    program: Program,
    parent: Unit,
    rows: list[AllocationInput],
    *,
    children: list[Unit] | None = None,
    phases: list[Phase] | None = None,
) -> list[Problem]:
    """Every rule a table must keep, row by row: a named unit is a child of the parent today and
    has one row; a group has one row per block; kinds are known; numbers are ≥ 0 and for phases
    the programme has; a participation rate is 0–100; a row says some number."""
    if children is None:
        children = list(tree.children(parent))
    if phases is None:
        phases = list(program.phases.order_by("number"))
    child_ids = {child.pk for child in children}
    numbers = {phase.number for phase in phases}
    problems: list[Problem] = []
    named: set[int] = set()
    groups: set[str] = set()
    for index, row in enumerate(rows):

        def bad(field_name: str, message: str, index: int = index) -> None:
            problems.append(Problem(index, field_name, message))

        if len(row.label) > 255:
            bad("label", _("Tên dòng dài quá 255 ký tự."))
        if row.kind not in TargetKind.values:
            bad("kind", _("Cách tính không hợp lệ."))
        if row.unit is not None:
            if row.unit.pk not in child_ids:
                bad(
                    "unit",
                    _("%(unit)s không trực thuộc %(parent)s.")
                    % {"unit": row.unit.name, "parent": parent.name},
                )
            elif row.unit.pk in named:
                bad("unit", _("Đã có một dòng khác cho %(unit)s.") % {"unit": row.unit.name})
            named.add(row.unit.pk)
        elif row.block not in Block.values and row.block != "":
            bad("block", _("Khối không hợp lệ."))
        elif row.block in groups:
            bad(
                "block",
                _("Đã có một dòng khác cho nhóm %(group)s.") % {"group": group_name(row.block)},
            )
        else:
            groups.add(row.block)
        numbered = [("total", row.total)]
        numbered += [(f"phase_{n}", v) for n, v in sorted(row.phase_values.items())]
        for name, value in numbered:
            if value is not None and value < 0:
                bad(name, _("Số không được âm."))
            elif value is not None and value >= MAX_VALUE:
                bad(name, _("Số quá lớn."))
        for n in sorted(row.phase_values):
            if n not in numbers:
                bad(f"phase_{n}", _no_such_phase(program, n))
        rate = row.participation_percent
        if rate is not None and not (0 <= rate <= 100):
            bad("participation_percent", _("Tỷ lệ tham gia phải từ 0 đến 100 (%)."))
        given = [v for n, v in row.phase_values.items() if v is not None and n in numbers]
        if row.total is None and not given and rate is None:
            bad("total", _("Nhập tổng số hoặc số theo từng giai đoạn."))
        elif (
            row.total is not None
            and numbers
            and set(row.phase_values) == numbers
            and sum(given, Decimal(0)) != row.total
        ):
            bad(
                "total",
                _("Tổng số (%(total)s) khác tổng các giai đoạn (%(sum)s).")
                % {"total": format_number(row.total), "sum": format_number(sum(given))},
            )
    return problems
