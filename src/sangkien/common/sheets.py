"""Spreadsheet files that stay data: CSV text Excel reads (BOM, no formulas) and XLSX text cells."""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from sangkien.common.text import nfc

BOM = "\ufeff"  # first in a CSV file, so that Excel reads the UTF-8 (Vietnamese) right
# Characters a spreadsheet reads as the start of a formula when a CSV is opened (OWASP "CSV
# injection"): such a text cell is written with a leading apostrophe, which Excel shows as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- CSV ----------------------------------------------------------------------------------------


def csv_cells(values: Iterable, starts: tuple[str, ...] = FORMULA_START) -> list:
    """A row as csv.writer takes it: None as "", a text a spreadsheet would read as a formula (it
    begins with one of `starts`) led by an apostrophe, anything else as it is."""
    return [
        ("'" + value if value.startswith(starts) else value)
        if isinstance(value, str)
        else ("" if value is None else value)
        for value in values
    ]


def unguard(value: str, starts: tuple[str, ...] = FORMULA_START) -> str:
    """A CSV cell as it was before csv_cells guarded it: the apostrophe in front of a text that
    begins like a formula is taken away again, so an export re-imports to the same values."""
    if value.startswith("'") and value[1:].startswith(starts):
        return value[1:]
    return value


def csv_pieces(header: list[str], chunks: Iterable[list[list]]) -> Iterator[str]:
    """CSV text, a piece at a time: the BOM and the header line first, then one piece for each
    chunk of rows (already cells: see csv_cells). Nothing is kept between pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for rows in chunks:
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerows(rows)
        yield buffer.getvalue()


# --- XLSX (openpyxl's write-only mode) ----------------------------------------------------------


def xlsx_text(sheet, text: str):
    """A text for a row of a write-only sheet, as cheap as it can be: without the characters XML
    cannot hold, and a string cell only when it would otherwise be read as a formula (it begins
    with "="); a plain str otherwise, which openpyxl writes as a string."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # a title beginning with "=" stays the title, never a formula
    return cell


def xlsx_cell(sheet, value, *, font=None) -> WriteOnlyCell:
    """A cell of a write-only sheet: a non-empty text, cleaned of the characters XML cannot hold,
    is always a string cell (never a formula, never an error value such as "#N/A"); `font` when
    given."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


# --- XLSX (a normal worksheet, cells written in place) -------------------------------------------


def put_text(cell: Cell, text: str) -> None:
    """Write a text into a cell of a normal worksheet so that it stays text: composed (NFC),
    without the characters XML cannot hold, and a string cell when not empty, so that
    "=HYPERLINK(…)" or "-5% điện" is never evaluated. An empty text leaves the cell empty."""
    value = ILLEGAL_CHARACTERS_RE.sub("", nfc(text))
    cell.value = value or None
    if value:
        cell.data_type = "s"


__all__ = [
    "BOM",
    "FORMULA_START",
    "csv_cells",
    "csv_pieces",
    "put_text",
    "unguard",
    "xlsx_cell",
    "xlsx_text",
]
