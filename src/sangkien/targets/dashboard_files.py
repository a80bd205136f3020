"""A unit's dashboard as files: XLSX (one sheet per table), CSV (the tables one under another,
UTF-8 with a BOM so Excel reads Vietnamese) and PDF (A4 landscape, Crimson Text).

All three are made from `sections(board)`, the same figures the page shows: the summary, per
phase, per quarter, per status, the three breakdowns, the children and the days. Pure functions
from a `Dashboard` to bytes: no database, no request. Text is written as text (an XLSX string
cell, a CSV cell that cannot start a formula), numbers as numbers.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sangkien.common import pdf
from sangkien.common.sheets import BOM, csv_cells, put_text
from sangkien.common.templatetags.vn import group_thousands
from sangkien.common.text import nfc
from sangkien.targets.dashboard import Dashboard, Line, counted_statuses

Value = str | int | Decimal | date | None


@dataclass(frozen=True)
class Section:
    title: str
    header: list[str]
    rows: list[list[Value]]


def _when(instant: datetime | None) -> str:
    return timezone.localtime(instant).strftime("%H:%M %d/%m/%Y") if instant else "—"


def _summary(board: Dashboard) -> Section:
    found = board.figures
    rows: list[list[Value]] = [
        [_("Đơn vị"), f"{board.unit.name} ({board.unit.code})"],
        [_("Chương trình"), board.program.name],
        [_("Phạm vi"), board.scope_label],
        [_("Cây đơn vị"), board.tree_label],
        [_("Số liệu cập nhật lúc"), _when(board.folded_at)],
        [_("Số sáng kiến được tính"), found.total],
        [_("Chỉ tiêu"), board.target_count],
        [_("Tỷ lệ hoàn thành chỉ tiêu (%)"), board.progress],
        [_("Người tham gia"), found.participants],
        [_("Số đoàn viên"), found.members],
        [_("Tỷ lệ đoàn viên tham gia (%)"), found.participation_rate],
        [_("Tỷ lệ tham gia phải đạt (%)"), board.participation_target],
        [_("Giá trị làm lợi (đồng)"), found.benefit],
        [_("Sáng kiến trên 1.000 đoàn viên"), found.per_thousand_members],
    ]
    return Section(_("Tổng quan"), [_("Chỉ số"), _("Giá trị")], rows)


def _against_target(title: str, first: str, lines: list[Line]) -> Section:
    return Section(
        title,
        [first, _("Số sáng kiến"), _("Chỉ tiêu"), _("Đạt (%)")],
        [[line.label, line.count, line.target, line.percent] for line in lines],
    )


def _counts(title: str, first: str, lines: list[Line]) -> Section:
    return Section(title, [first, _("Số sáng kiến")], [[line.label, line.count] for line in lines])


def _children(board: Dashboard) -> Section:
    rows: list[list[Value]] = []
    for child in board.children:
        notes = []
        if not child.figures.total:
            notes.append(_("chưa có sáng kiến"))
        if child.moved:
            notes.append(_("đã chuyển đơn vị cấp trên trong thời gian chương trình"))
        found = child.figures
        rows.append(
            [
                child.unit.code,
                child.unit.name,
                found.total,
                child.target,
                child.percent,
                found.participants,
                found.members,
                found.participation_rate,
                found.benefit,
                "; ".join(notes),
            ]
        )
    header = [
        _("Mã đơn vị"),
        _("Đơn vị trực thuộc"),
        _("Số sáng kiến"),
        _("Chỉ tiêu"),
        _("Đạt (%)"),
        _("Người tham gia"),
        _("Đoàn viên"),
        _("Tỷ lệ tham gia (%)"),
        _("Giá trị làm lợi (đồng)"),
        _("Ghi chú"),
    ]
    return Section(_("Đơn vị trực thuộc"), header, rows)


def sections(board: Dashboard) -> list[Section]:
    counted = counted_statuses()
    return [
        _summary(board),
        _against_target(_("Theo giai đoạn"), _("Giai đoạn"), board.by_phase),
        _against_target(_("Theo quý"), _("Quý"), board.by_quarter),
        Section(
            _("Theo trạng thái"),
            [_("Trạng thái"), _("Số sáng kiến"), _("Tính vào kết quả")],
            [
                [line.label, line.count, _("Có") if line.key in counted else _("Không")]
                for line in board.by_status
            ],
        ),
        _counts(_("Theo loại giải pháp"), _("Loại giải pháp"), board.by_kind),
        _counts(_("Theo đối tượng"), _("Đối tượng"), board.by_target_group),
        _counts(_("Theo khối"), _("Khối"), board.by_block),
        _children(board),
        Section(
            _("Theo ngày"),
            [_("Ngày"), _("Số sáng kiến mới"), _("Cộng dồn")],
            [[day.day, day.count, day.cumulative] for day in board.days if day.count],
        ),
    ]


def filename(board: Dashboard, fmt: str) -> str:
    phase = f"-gd{board.phase.number}" if board.phase else ""
    return f"thong-ke-{board.unit.code}-{board.program.code}{phase}-{board.which}.{fmt}"


# -- XLSX -----------------------------------------------------------------------------------------


def _put(cell: Cell, value: Value) -> None:
    if value is None:
        return
    if isinstance(value, str):
        put_text(cell, value)  # "=HYPERLINK(…)" typed as a unit name is a string cell
        return
    cell.value = value
    if isinstance(value, Decimal):
        cell.number_format = "0.00"
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    else:
        cell.number_format = "#,##0"


def dashboard_xlsx(board: Dashboard) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for section in sections(board):
        sheet = workbook.create_sheet(section.title[:31])
        for column, name in enumerate(section.header, start=1):
            cell = sheet.cell(row=1, column=column)
            _put(cell, name)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[get_column_letter(column)].width = 40 if column <= 2 else 16
        for row_number, row in enumerate(section.rows, start=2):
            for column, value in enumerate(row, start=1):
                _put(sheet.cell(row=row_number, column=column), value)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- CSV ------------------------------------------------------------------------------------------


def _csv_value(value: Value) -> str | Value:
    """A value as csv_cells takes it: a text composed (NFC), a date as dd/mm/yyyy."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return nfc(value)
    return value


def dashboard_csv(board: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, section in enumerate(sections(board)):
        if number:
            writer.writerow([])
        writer.writerow(csv_cells([_csv_value(section.title)]))
        writer.writerow(csv_cells(_csv_value(name) for name in section.header))
        for row in section.rows:
            writer.writerow(csv_cells(_csv_value(value) for value in row))
    return (BOM + buffer.getvalue()).encode("utf-8")


# -- PDF ------------------------------------------------------------------------------------------

_MARGINS = (12 * mm, 12 * mm, 12 * mm, 12 * mm)


def _pdf_value(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, date):
        return pdf.dmy(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return group_thousands(value)
    return value


def _widths(section: Section, width: float) -> list[float]:
    """Names take what the numbers leave; the children's table has a code and a name."""
    columns = len(section.header)
    if columns == 2:
        return [width * 0.45, width * 0.55]
    names = 2 if columns >= 8 else 1
    numbers = columns - names
    number_width = min(30 * mm, width * 0.5 / numbers)
    rest = width - number_width * numbers
    return ([28 * mm, rest - 28 * mm] if names == 2 else [rest]) + [number_width] * numbers


def dashboard_pdf(board: Dashboard) -> bytes:
    pagesize = landscape(A4)
    top, right, bottom, left = _MARGINS
    width = pagesize[0] - left - right
    size = 10
    cell = pdf.style("dash-td", size=size, align=TA_LEFT)
    number = pdf.style("dash-td-r", size=size, align=TA_RIGHT)
    head = pdf.style("dash-th", font=pdf.FONT_BOLD, size=size, align=TA_LEFT)
    title = _("Báo cáo số liệu sáng kiến — %(unit)s") % {"unit": board.unit.name}
    story: list[Flowable] = [
        pdf.para(title.upper(), pdf.style("dash-title", font=pdf.FONT_BOLD, size=15)),
        pdf.para(
            f"{board.program.name} — {board.scope_label} — {board.tree_label}",
            pdf.style("dash-sub", font=pdf.FONT_ITALIC, size=12, spaceAfter=6),
        ),
    ]
    for section in sections(board):
        story.append(
            pdf.para(
                section.title,
                pdf.style(
                    "dash-h",
                    font=pdf.FONT_BOLD,
                    size=12,
                    align=TA_LEFT,
                    spaceBefore=8,
                    spaceAfter=4,
                ),
            )
        )
        if not section.rows:
            story.append(pdf.para(_("Không có."), cell))
            continue
        records = [
            [
                pdf.para(_pdf_value(value), cell if isinstance(value, str) else number)
                for value in row
            ]
            for row in section.rows
        ]
        story.append(
            pdf.records_table(
                [pdf.para(name, head) for name in section.header],
                records,
                _widths(section, width),
                frame_height=pagesize[1] - top - bottom,
            )
        )
        story.append(Spacer(1, 2 * mm))
    return pdf.build_pdf(
        story,
        pagesize=pagesize,
        margins=_MARGINS,
        title=title,
        on_later_pages=pdf.page_number_from_second,
    )
