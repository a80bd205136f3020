"""The export rows written out as they come: CSV text, or an XLSX workbook in write-only mode."""

from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sangkien.common.sheets import csv_cells, csv_pieces, xlsx_text
from sangkien.targets.exports.rows import headers

XLSX_SHEET_ROWS = 1_048_575  # Excel's limit less the header: a longer list goes on more sheets
SHEET_TITLE = gettext_noop("Sáng kiến")
# Column widths in the XLSX, in the order of rows.HEADERS.
_WIDTHS = (
    11,
    16,
    20,
    14,
    16,
    36,
    30,
    30,
    20,
    24,
    28,
    20,
    50,
    12,
    24,
    18,
    12,
    16,
    30,
    24,
    8,
    14,
    16,
    10,
    12,
)
# Positions of the typed columns, for the XLSX number formats.
_DATETIME_COLUMNS = {1}
_DATE_COLUMNS = {13, 16}


def _csv_row(row: list) -> list:
    """A row as CSV text: dates as dd/mm/yyyy, numbers plain, and a text a spreadsheet would read
    as a formula led by an apostrophe."""
    cells = csv_cells(row)
    if row[1] is not None:
        cells[1] = row[1].strftime("%d/%m/%Y %H:%M")
    for position in _DATE_COLUMNS:
        if row[position] is not None:
            cells[position] = row[position].strftime("%d/%m/%Y")
    return cells


def csv_lines(
    chunks: Iterable[list[list]], on_chunk: Callable[[int], None] | None = None
) -> Iterator[str]:
    """CSV text (UTF-8 BOM first, so that Excel reads Vietnamese right), one piece per chunk."""
    return _csv_lines(headers(), chunks, on_chunk)


def _csv_lines(
    header: list[str], chunks: Iterable[list[list]], on_chunk: Callable[[int], None] | None
) -> Iterator[str]:
    def cells() -> Iterator[list[list]]:
        for rows in chunks:
            yield [_csv_row(row) for row in rows]
            # Called once the chunk's piece has been handed on, as the original loop did.
            if on_chunk is not None:
                on_chunk(len(rows))

    return csv_pieces(header, cells())


def write_xlsx(
    path: str,
    chunks: Iterable[list[list]],
    on_chunk: Callable[[int], None] | None = None,
    *,
    sheet_rows: int = XLSX_SHEET_ROWS,
) -> None:
    """The rows as a workbook at `path`, written as they come (openpyxl's write-only mode): text
    stays text, dates are dates, and a list longer than a sheet holds goes on to more sheets."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    title = _(SHEET_TITLE)
    header = headers()
    sheet = None
    sheets = in_sheet = 0

    def typed(value, number_format: str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell

    for rows in chunks:
        for row in rows:
            if sheet is None or in_sheet >= sheet_rows:
                sheets += 1
                sheet = workbook.create_sheet(title if sheets == 1 else f"{title} ({sheets})")
                for position, width in enumerate(_WIDTHS, start=1):
                    sheet.column_dimensions[get_column_letter(position)].width = width
                sheet.freeze_panes = "A2"
                sheet.append(header)
                in_sheet = 0
            cells = []
            for position, value in enumerate(row):
                if isinstance(value, str):
                    cells.append(xlsx_text(sheet, value))
                elif value is not None and position in _DATETIME_COLUMNS:
                    cells.append(typed(value, "dd/mm/yyyy hh:mm"))
                elif value is not None and position in _DATE_COLUMNS:
                    cells.append(typed(value, "dd/mm/yyyy"))
                else:
                    cells.append(value)
            sheet.append(cells)
            in_sheet += 1
        if on_chunk is not None:
            on_chunk(len(rows))
    if sheet is None:
        workbook.create_sheet(title).append(header)
    workbook.save(path)
