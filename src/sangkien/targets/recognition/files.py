"""The recognition of a period as files: the rows both exports write, then XLSX and CSV."""

import io

from django.utils.translation import gettext as _

from sangkien.common.sheets import csv_cells, csv_pieces, xlsx_cell
from sangkien.programs.models import Program
from sangkien.targets.recognition.results import ClusterResult, PhaseResult, Row

# What this CSV has always led with an apostrophe (the list exports also add tab and CR).
_FORMULA_START = ("=", "+", "-", "@")


def _verdict(row: Row, phase: bool) -> str:
    if row.recognised:
        return _("Đề nghị khen thưởng") if phase else _("Được ghi nhận")
    return _("Không")


def export_rows(result: list[ClusterResult] | PhaseResult) -> tuple[list[str], list[list]]:
    """The header and the rows both exports write: one line per unit of each list."""
    if isinstance(result, PhaseResult):
        header = [
            _("Danh sách"),
            _("Hạng"),
            _("Mã đơn vị"),
            _("Đơn vị"),
            _("Số sáng kiến trong giai đoạn"),
            _("Số người tham gia"),
            _("Số đoàn viên"),
            _("Tỷ lệ tham gia (%)"),
            _("Tỷ lệ quy định (%)"),
            _("Kết quả"),
            _("Lý do"),
        ]
        national = _("Dẫn đầu toàn quốc")
        lists = [(national, result.leaders)] + [(c.cluster.name, c.rows) for c in result.clusters]
        rows = [
            [
                name,
                row.rank,
                row.unit.code,
                row.unit.name,
                row.count,
                row.participants,
                row.members,
                row.rate,
                row.required_rate,
                _verdict(row, True),
                row.reason,
            ]
            for name, members in lists
            for row in members
        ]
        return header, rows
    header = [
        _("Cụm, khối thi đua"),
        _("Hạng"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Số sáng kiến trong quý"),
        _("Chỉ tiêu quý"),
        _("Kết quả"),
        _("Lý do"),
    ]
    rows = [
        [
            cluster.cluster.name,
            row.rank,
            row.unit.code,
            row.unit.name,
            row.count,
            row.target,
            _verdict(row, False),
            row.reason,
        ]
        for cluster in result
        for row in cluster.rows
    ]
    return header, rows


def export_title(program: Program, result: list[ClusterResult] | PhaseResult) -> str:
    if isinstance(result, PhaseResult):
        return _("Đề nghị khen thưởng sơ kết %(period)s — %(program)s") % {
            "period": result.period,
            "program": program.name,
        }
    period = result[0].period if result else ""
    return _("Ghi nhận hàng quý %(period)s — %(program)s") % {
        "period": period,
        "program": program.name,
    }


def recognition_csv(program: Program, result: list[ClusterResult] | PhaseResult) -> bytes:
    """UTF-8 with a BOM (Excel then shows Vietnamese), header on the first line. A text that
    would start a formula gets an apostrophe first, so no spreadsheet evaluates it."""
    header, rows = export_rows(result)
    cells = [csv_cells(row, _FORMULA_START) for row in rows]
    return "".join(csv_pieces(header, [cells])).encode("utf-8")


def recognition_xlsx(program: Program, result: list[ClusterResult] | PhaseResult) -> bytes:
    """A title line, an empty line, the header, then one line per unit; every text is a string
    cell (never a formula), counts and rates are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = export_rows(result)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ghi nhận"))
    bold = Font(bold=True)

    def cells(values, font=None):
        return [xlsx_cell(sheet, value, font=font) for value in values]

    sheet.append(cells([export_title(program, result)], bold))
    sheet.append([])
    sheet.append(cells(header, bold))
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
