"""allocation_xlsx: a parent's table written back in seed 004's shape, with each child's target."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sangkien.common.sheets import put_text
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets.enums import TargetKind
from sangkien.targets.tables.labels import BLOCK_WORDS, KIND_WORDS
from sangkien.targets.tables.page import overview

# The spreadsheet is an administrative document sent between union units, so — like the
# dossier — what is written into it is fixed Vietnamese whatever the interface language; what
# the officer reads on the page (the import's report, the messages) goes through gettext.


def _put_number(cell: Cell, value: Decimal | int | None) -> None:
    if value is None:
        return
    value = Decimal(value)
    cell.value = int(value) if value == value.to_integral_value() else value
    cell.number_format = "#,##0" if value == value.to_integral_value() else "#,##0.00"


def phase_heading(phase: Phase) -> str:
    return (
        f"{phase.name} (Sáng kiến từ {phase.eligible_from:%d/%m/%Y}-{phase.eligible_to:%d/%m/%Y})"
    )


def allocation_xlsx(program: Program, parent: Unit) -> bytes:
    """The parent's table in seed 004's shape (title block, TT | Tên đơn vị | Tổng số | one column
    per phase, then what makes it re-import exactly: Cách tính | Áp dụng cho | Tỷ lệ), a
    "Tổng cộng" row of what the table gives today's children, and a second sheet with every
    child's resolved target."""
    phases = list(program.phases.order_by("number"))
    view = overview(program, parent, phases)
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phân bổ chỉ tiêu"
    put_text(sheet.cell(row=1, column=1), parent.name.upper())
    put_text(
        sheet.cell(row=2, column=1),
        f"DANH SÁCH PHÂN BỔ CHỈ TIÊU CHƯƠNG TRÌNH “{program.name.upper()}”",
    )
    for row_number in (1, 2):
        sheet.cell(row=row_number, column=1).font = bold
    header = [
        "TT",
        "Tên đơn vị",
        "Tổng số sáng kiến/đơn vị",
        *[phase_heading(phase) for phase in phases],
        "Cách tính",
        "Áp dụng cho (mã đơn vị hoặc khối)",
        "Tỷ lệ đoàn viên tham gia (%)",
    ]
    header_row = 4
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=header_row, column=column)
        put_text(cell, text)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [6, 48, 14, *[24 for _p in phases], 26, 30, 14]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    first_phase = 4
    kind_column = first_phase + len(phases)
    for offset, row in enumerate(view.rows, start=1):
        line = header_row + offset
        sheet.cell(row=line, column=1, value=offset)
        put_text(sheet.cell(row=line, column=2), row.label)
        _put_number(sheet.cell(row=line, column=3), row.total)
        values = row.phase_values or {}
        for position, phase in enumerate(phases):
            value = values.get(str(phase.number))
            if value not in (None, ""):
                _put_number(
                    sheet.cell(row=line, column=first_phase + position), Decimal(str(value))
                )
        put_text(sheet.cell(row=line, column=kind_column), KIND_WORDS[TargetKind(row.kind)])
        put_text(
            sheet.cell(row=line, column=kind_column + 1),
            row.unit.code if row.unit is not None else BLOCK_WORDS[row.block],
        )
        _put_number(sheet.cell(row=line, column=kind_column + 2), row.participation_percent)
    total_line = header_row + len(view.rows) + 1
    put_text(sheet.cell(row=total_line, column=2), "Tổng cộng")
    sheet.cell(row=total_line, column=2).font = bold
    if view.children:
        _put_number(sheet.cell(row=total_line, column=3), view.sum_total)
        for position, phase in enumerate(phases):
            _put_number(
                sheet.cell(row=total_line, column=first_phase + position), view.sums[phase.number]
            )

    kids = workbook.create_sheet("Chỉ tiêu từng đơn vị")
    heads = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Khối",
        "Số đoàn viên",
        *[phase.name for phase in phases],
        "Tổng số",
        "Tỷ lệ đoàn viên tham gia (%)",
        "Theo dòng của bảng phân bổ",
    ]
    for column, text in enumerate(heads, start=1):
        put_text(kids.cell(row=1, column=column), text)
        kids.cell(row=1, column=column).font = bold
    for line, child in enumerate(view.children, start=2):
        unit, target = child.unit, child.target
        put_text(kids.cell(row=line, column=1), unit.code)
        put_text(kids.cell(row=line, column=2), unit.name)
        put_text(kids.cell(row=line, column=3), BLOCK_WORDS[unit.block])
        _put_number(kids.cell(row=line, column=4), unit.member_count)
        for position, phase in enumerate(phases):
            _put_number(kids.cell(row=line, column=5 + position), target.by_phase.get(phase.number))
        _put_number(kids.cell(row=line, column=5 + len(phases)), target.total)
        _put_number(kids.cell(row=line, column=6 + len(phases)), target.participation_percent)
        put_text(kids.cell(row=line, column=7 + len(phases)), target.source)
    for column, width in enumerate([18, 48, 24, 12, *[14 for _p in phases], 12, 14, 40], start=1):
        kids.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
