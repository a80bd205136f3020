"""The row report: each row below the header read, checked across the table, total compared."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets.allocation import pick_row, row_target
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation
from sangkien.targets.tables.cells import _Columns, _Read, _read_numbers
from sangkien.targets.tables.labels import _applies_from, _group_of, _Names, _text, _words
from sangkien.targets.tables.numbers import _per_phase, format_number, parse_number
from sangkien.targets.tables.page import applies_to, describe
from sangkien.targets.tables.rules import AllocationInput, check_rows


class Outcome:
    IMPORTED = "imported"
    HEADING = "heading"
    ERROR = "error"
    TOTAL = "total"


@dataclass
class ReportLine:
    """What became of one row of the spreadsheet (numbered as the spreadsheet numbers it)."""

    row: int
    tt: str
    label: str
    outcome: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)


class _TableReader:
    """Reads the rows below the header one by one, then checks them across the table."""

    def __init__(self, program: Program, parent: Unit, columns: _Columns):
        self.program, self.parent, self.columns = program, parent, columns
        self.phases = list(program.phases.order_by("number"))
        self.children = list(tree.children(parent))
        self.names = _Names(self.children)
        self.section: str | None = None  # the block of the last heading ("Khối doanh nghiệp")
        self.seen_tt: dict[str, int] = {}
        self.lines: list[tuple[ReportLine, AllocationInput | None, int | None]] = []
        self.written_total: tuple[ReportLine, Decimal | None, dict[int, Decimal]] | None = None

    def column_names(self) -> list[tuple[str, str]]:
        columns = self.columns
        names = [(columns.name, _("Tên đơn vị")), (columns.total, _("Tổng số"))]
        for position, i in enumerate(columns.phases):
            if position < len(self.phases):
                names.append((i, self.phases[position].name))
            else:
                names.append((i, _("không dùng: chương trình không có giai đoạn này")))
        for i, what in (
            (columns.kind, _("Cách tính")),
            (columns.applies, _("Áp dụng cho")),
            (columns.participation, _("Tỷ lệ đoàn viên tham gia (%)")),
        ):
            if i is not None:
                names.append((i, what))
        return [(get_column_letter(i + 1), what) for i, what in names]

    def read(self, number: int, values: list[object]) -> None:
        columns = self.columns

        def cell(i: int | None) -> object:
            if i is None or i >= len(values):
                return None
            value = values[i]
            return (value.strip() or None) if isinstance(value, str) else value

        tt = _text(cell(columns.tt))
        label = _text(cell(columns.name))
        numeric = [columns.total, *columns.phases, columns.participation]
        has_numbers = any(cell(i) is not None for i in numeric)
        if not (tt or label or has_numbers or cell(columns.kind) or cell(columns.applies)):
            return
        line = ReportLine(row=number, tt=tt, label=label, outcome=Outcome.ERROR)
        self._check_tt(line)
        if re.match(r"^(tong cong|tong so|tong|cong)$", _words(label)):
            self._total(line, cell)
            return
        if not label:
            if has_numbers:
                line.message = _("Thiếu tên đơn vị hoặc nhóm đơn vị.")
            else:
                line.outcome = Outcome.HEADING
            self.lines.append((line, None, None))
            return
        row = AllocationInput(label=label)
        problem = ""
        read = _Read()
        try:
            read = _read_numbers(row, cell, columns, self.phases, self.program)
        except ValueError as error:
            problem = str(error)
        whom = self._whom(label, _text(cell(columns.applies)), has_numbers)
        if whom is None:  # a section heading
            line.outcome = Outcome.HEADING
            self.lines.append((line, None, None))
            return
        unit, block, declared, whom_problem = whom
        problem = problem or whom_problem or ("" if has_numbers else _("Thiếu số sáng kiến."))
        if problem:
            line.message = problem
            self.lines.append((line, None, None))
            return
        row.unit, row.block = unit, block if unit is None else ""
        # Plain numbers: a named unit's own target, or so many for each unit of a group.
        row.kind = read.kind or (TargetKind.ABSOLUTE if unit is not None else TargetKind.PER_UNIT)
        if read.split is not None and read.split != len(self.phases):
            line.warnings.append(
                _("Dòng ghi chia cho %(n)s giai đoạn; chương trình có %(m)s giai đoạn.")
                % {"n": read.split, "m": len(self.phases)}
            )
        line.outcome = Outcome.IMPORTED
        self.lines.append((line, row, declared if unit is None else None))

    def _check_tt(self, line: ReportLine) -> None:
        if not line.tt:
            return
        if line.tt in self.seen_tt:
            line.warnings.append(
                _("Số thứ tự %(tt)s trùng với dòng %(row)s.")
                % {"tt": line.tt, "row": self.seen_tt[line.tt]}
            )
        else:
            self.seen_tt[line.tt] = line.row

    def _total(self, line: ReportLine, cell) -> None:
        line.outcome = Outcome.TOTAL
        self.lines.append((line, None, None))
        try:
            written = parse_number(cell(self.columns.total))
            by_phase = {}
            for position, i in enumerate(self.columns.phases[: len(self.phases)]):
                value = parse_number(cell(i))
                if value is not None:
                    by_phase[self.phases[position].number] = value
        except ValueError as error:
            line.message = _("Không đọc được dòng tổng cộng: %(reason)s") % {"reason": str(error)}
            return
        self.written_total = (line, written, by_phase)

    def _whom(self, label: str, applies_text: str, has_numbers: bool):
        """(unit, block, declared count, problem) of a row, or None for a section heading:
        the "Áp dụng cho" column, else a child's name, else a group's label."""
        parent = self.parent
        unit, ambiguous = self.names.find(label)
        is_group, block, declared, group_problem = _group_of(label, self.section)
        if applies_text:
            unit, block = _applies_from(applies_text, self.names)
            if unit is None and block is None:
                return _nobody(
                    _("«%(value)s» không phải là mã một đơn vị trực thuộc %(parent)s hay một khối.")
                    % {"value": applies_text, "parent": parent.name},
                )
            return unit, block, declared, ""
        if unit is not None:
            return unit, None, None, ""
        if not has_numbers:
            if is_group and block is not None:
                self.section = block
            elif not is_group:
                self.section = None
            return None
        if ambiguous:
            return _nobody(
                _(
                    "Có nhiều đơn vị trực thuộc %(parent)s cùng tên này; ghi mã đơn vị ở cột «Áp dụng cho»."
                )
                % {"parent": parent.name},
            )
        if not is_group:
            return _nobody(
                _(
                    "Không tìm thấy đơn vị tên «%(name)s» trong các đơn vị trực thuộc %(parent)s (so tên không phân biệt dấu, chữ hoa; CĐ = Công đoàn, CĐCS = Công đoàn cơ sở)."
                )
                % {"name": label, "parent": parent.name},
            )
        return None, block, declared, group_problem

    def finish(self) -> tuple[list[AllocationInput], list[ReportLine]]:
        # Across rows: the table's own rules (one row per child and per group) …
        kept = [(line, row) for line, row, _d in self.lines if row is not None]
        for problem in check_rows(
            self.program,
            self.parent,
            [row for _l, row in kept],
            children=self.children,
            phases=self.phases,
        ):
            line, _row = kept[problem.index]
            if line.outcome == Outcome.IMPORTED:
                line.outcome, line.message = Outcome.ERROR, problem.message
        lines = [(ln, row, d) for ln, row, d in self.lines if ln.outcome == Outcome.IMPORTED]
        rows = [row for _l, row, _d in lines if row is not None]
        # … how many children each group reaches today, against what the row declares …
        named = {row.unit.pk for row in rows if row.unit is not None}
        blocks = {row.block for row in rows if row.unit is None}
        for line, row, declared in lines:
            whom = applies_to(row)
            line.message = _("%(whom)s: %(what)s") % {
                "whom": whom[:1].upper() + whom[1:],
                "what": describe(row, self.phases),
            }
            if row.unit is not None:
                continue
            reached = sum(
                1
                for child in self.children
                if child.pk not in named
                and (child.block == row.block or (row.block == "" and child.block not in blocks))
            )
            if declared is not None and declared != reached:
                line.warnings.append(
                    _(
                        "Dòng ghi %(declared)s đơn vị; hiện %(parent)s có %(n)s đơn vị thuộc nhóm này (không kể đơn vị có dòng riêng)."
                    )
                    % {"declared": declared, "parent": self.parent.name, "n": reached}
                )
            elif declared is None and not reached:
                line.warnings.append(_("Hiện không có đơn vị trực thuộc nào thuộc nhóm này."))
        # … and the written "Tổng cộng" against what the rows give today's children.
        if self.written_total is not None:
            line, written, by_phase = self.written_total
            line.message = _total_note(self.phases, self.children, rows, written, by_phase)
        return rows, [line for line, _row, _d in self.lines]


def _nobody(problem: str) -> tuple[None, None, None, str]:
    """What `_TableReader._whom` says of a row that applies to no one, and why."""
    return None, None, None, problem


def _resolve(rows: list[AllocationInput], children: list[Unit], numbers: list[int]):
    """What unsaved rows give each child (the precedence of allocation.pick_row)."""
    table = [
        Allocation(
            label=row.label,
            unit=row.unit,
            block="" if row.unit is not None else row.block,
            kind=row.kind,
            total=row.total,
            phase_values={str(n): str(v) for n, v in row.phase_values.items()},
        )
        for row in rows
    ]
    out = {}
    for child in children:
        picked = pick_row(table, child)
        out[child.pk] = row_target(picked, child, numbers) if picked else {n: None for n in numbers}
    return out


def _amounts(total: int | Decimal | None, by_phase: dict, phases: list[Phase]) -> str:
    parts = _per_phase(by_phase, phases)
    text = format_number(total) if total is not None else "—"
    return f"{text} ({parts})" if parts else text


def _total_note(phases, children, rows, written, by_phase) -> str:
    numbers = [phase.number for phase in phases]
    resolved = _resolve(rows, children, numbers)
    computed = {n: sum(r.get(n) or 0 for r in resolved.values()) for n in numbers}
    computed_total = sum(computed.values())
    if written is None and not by_phase:
        return _("Dòng tổng cộng không có số.")
    if written is None:
        written = sum(by_phase.values(), Decimal(0))
    same = (written is None or written == computed_total) and all(
        by_phase[n] == computed[n] for n in by_phase
    )
    if same:
        return _("Khớp với các dòng đã nhập: %(computed)s.") % {
            "computed": _amounts(computed_total, computed, phases)
        }
    return _(
        "Bảng ghi %(written)s; các dòng đã nhập tính cho %(n)s đơn vị trực thuộc hiện có được %(computed)s, chênh lệch %(diff)s. Chỉ là ghi chú: số tổng không được lưu."
    ) % {
        "written": _amounts(written, by_phase, phases),
        "n": len(children),
        "computed": _amounts(computed_total, computed, phases),
        "diff": format_number((written or 0) - computed_total),
    }
