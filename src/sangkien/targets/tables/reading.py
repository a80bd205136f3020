"""parse_allocation_xlsx: an XLSX file's limits and first sheet, its header row, and the result."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sangkien.common.templatetags.vn import group_thousands
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program

# The package itself: MAX_IMPORT_BYTES is read from it when a file is read, not copied here.
from sangkien.targets import tables
from sangkien.targets.tables.cells import _Columns
from sangkien.targets.tables.labels import _text, _words
from sangkien.targets.tables.numbers import format_number
from sangkien.targets.tables.report import ReportLine, _TableReader
from sangkien.targets.tables.rules import AllocationInput

MAX_IMPORT_ROWS = 3000
MAX_IMPORT_COLUMNS = 30
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 (.xls)


@dataclass
class ImportResult:
    rows: list[AllocationInput] = field(default_factory=list)
    report: list[ReportLine] = field(default_factory=list)
    error: str = ""  # the file as a whole could not be read
    header_row: int | None = None
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column letter, read as)

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.report if line.outcome == outcome)


class _FileProblem(Exception):
    pass


def _read_sheet(fileobj: BinaryIO) -> list[list[object]]:
    content = fileobj.read(tables.MAX_IMPORT_BYTES + 1)
    if len(content) > tables.MAX_IMPORT_BYTES:
        raise _FileProblem(too_big_message())
    if not content:
        raise _FileProblem(_("Tệp rỗng."))
    if content.startswith(OLE_MAGIC):
        raise _FileProblem(
            _("Đây là tệp Excel 97–2003 (.xls): hãy mở và lưu lại thành .xlsx rồi tải lên.")
        )
    if not content.startswith(XLSX_MAGIC):
        raise _FileProblem(_("Không đọc được tệp: cần tệp Excel .xlsx."))
    rows: list[list[object]] = []
    try:
        with warnings.catch_warnings():
            # Files saved by other programs make openpyxl warn about styles it ignores.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                for values in sheet.iter_rows(max_col=MAX_IMPORT_COLUMNS, values_only=True):
                    if len(rows) >= MAX_IMPORT_ROWS:
                        raise _FileProblem(
                            _("Tệp có hơn %(n)s dòng; bảng phân bổ không dài như vậy.")
                            % {"n": group_thousands(MAX_IMPORT_ROWS)}
                        )
                    rows.append(list(values))
            finally:
                workbook.close()
    except _FileProblem:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken workbook; all mean this
        raise _FileProblem(_("Không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải Excel.")) from (
            error
        )
    return rows


def too_big_message() -> str:
    return _("Tệp quá lớn (tối đa %(mb)s MB).") % {
        "mb": format_number(Decimal(tables.MAX_IMPORT_BYTES) / 1048576)
    }


def _find_header(raw: list[list[object]]) -> tuple[int, _Columns] | None:
    for index, values in enumerate(raw):
        heads = [_words(_text(v)) for v in values]
        name_at = next(
            (
                i
                for i, head in enumerate(heads)
                if head.startswith("ten don vi") or head in {"don vi", _words(_("Tên đơn vị"))}
            ),
            None,
        )
        if name_at is None:
            continue
        tt = next((i for i, h in enumerate(heads) if h in {"tt", "stt", "so tt"}), None)
        after = [i for i in range(name_at + 1, len(heads)) if heads[i]]
        total = next((i for i in after if heads[i].startswith("tong")), None)
        if total is None:
            total = after[0] if after else name_at + 1
        columns = _Columns(tt=tt, name=name_at, total=total, phases=[])
        for i in range(total + 1, len(heads)):
            head = heads[i]
            if head.startswith("cach tinh") or head == _words(_("Cách tính")):
                columns.kind = i
            elif head.startswith("ap dung cho") or head.startswith("ma don vi"):
                columns.applies = i
            elif head.startswith("ty le"):
                columns.participation = i
            elif head and (columns.kind, columns.applies, columns.participation) == (None,) * 3:
                # Phases are taken by position after the total (seed 004 labels both
                # "Giai đoạn 1").
                columns.phases.append(i)
        return index, columns
    return None


def parse_allocation_xlsx(fileobj: BinaryIO, program: Program, parent: Unit) -> ImportResult:
    """Read an allocation table shaped like seed 004's: a title block, a header row with
    "Tên đơn vị", the total and one column per phase; group rows, section headings, named
    units, a "Tổng cộng" row. Fitting rows become inputs; every row gets a line in the report.
    Nothing is saved: the officer confirms the rows (allocation_replace)."""
    result = ImportResult()
    try:
        raw = _read_sheet(fileobj)
    except _FileProblem as problem:
        result.error = str(problem)
        return result
    found = _find_header(raw)
    if found is None:
        result.error = _(
            "Không tìm thấy dòng tiêu đề của bảng (dòng có cột «Tên đơn vị»). Hãy dùng mẫu tải về từ trang này."
        )
        return result
    header_index, columns = found
    reader = _TableReader(program, parent, columns)
    result.header_row = header_index + 1
    result.columns = reader.column_names()
    for index in range(header_index + 1, len(raw)):
        reader.read(index + 1, raw[index])
    result.rows, result.report = reader.finish()
    return result
