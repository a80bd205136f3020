"""The forwarding dossier (hồ sơ đề nghị): cover letter (tờ trình) and summary table, as files.

Pure functions from a ``Dossier`` value to bytes: no database, no request. The wording is
fixed Vietnamese on purpose: these are administrative documents under NĐ 30/2020, sent
between union units, and are never shown in the interface language.

The summary table exists twice: as an A4 landscape PDF for the paper file and as an XLSX for
the parent unit to sort and merge. In the XLSX the money benefit is a number cell, so the
social benefit gets its own column there.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sangkien.common import pdf
from sangkien.common.sheets import put_text
from sangkien.common.text import nfc


@dataclass(frozen=True)
class DossierItem:
    rank: int
    receipt: str  # "ABCD-EFGH"
    title: str
    authors: str  # "Nguyễn Văn An (60%), Trần Thị Bích (40%)"
    unit_name: str  # the grassroots union of the authors
    kind: str  # label of the kind of solution
    target_group: str  # label of the target group
    first_applied_on: date
    benefit_vnd: int | None  # money benefit, VND
    benefit_text: str  # social benefit in words ("" if none)
    summary: str  # the description (up to 2,000 characters)
    score: Decimal | None  # average score (0–100) at the forwarding level, None if not scored


@dataclass(frozen=True)
class Dossier:
    superior_name: str  # the issuing unit's own superior, e.g. "LĐLĐ TỈNH ĐẮK NÔNG"; "" for none
    issuer_name: str  # "Liên đoàn Lao động huyện Cư Jút" (headers print it in capitals)
    number: str  # "12/TTr-LĐLĐ" (whole, as typed)
    place: str  # "Cư Jút"
    dated_on: date
    recipient: str  # "Ban Thường vụ Liên đoàn Lao động tỉnh Đắk Nông"
    program_name: str
    phase_name: str  # "Giai đoạn 1"
    signer_title: str  # lines separated by "\n": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"
    signer_name: str
    items: list[DossierItem]


SUMMARY_TITLE = "BẢNG TỔNG HỢP TÓM TẮT SÁNG KIẾN"
CC_LINES = ("- Như trên;", "- Lưu: VT.")
NONE_MARK = "—"


# --- The words, shared by the DOCX and the PDF ---------------------------------------------


def _ranked(d: Dossier) -> list[DossierItem]:
    return sorted(d.items, key=lambda item: item.rank)


def _subject(d: Dossier) -> str:
    return f"Về việc đề nghị xét chọn sáng kiến tiêu biểu tham gia Chương trình “{nfc(d.program_name)}”"


def _body(d: Dossier) -> tuple[str, list[str], list[str]]:
    """The opening paragraph, one line per initiative, and the closing paragraphs."""
    opening = (
        f"Căn cứ hướng dẫn của Chương trình “{d.program_name}”, {d.issuer_name} đã tổ chức "
        f"rà soát, đánh giá các sáng kiến của đoàn viên, người lao động và lựa chọn "
        f"{len(d.items):02d} sáng kiến tiêu biểu của {d.phase_name} để đề nghị xét chọn, "
        f"theo thứ tự như sau:"
    )
    lines = [
        f"{item.rank}. {item.title} — {item.authors} — {item.unit_name}." for item in _ranked(d)
    ]
    closing = [
        "(Bảng tổng hợp tóm tắt sáng kiến kèm theo).",
        f"Kính đề nghị {d.recipient} xem xét./.",
    ]
    return nfc(opening), [nfc(line) for line in lines], closing


def _benefit_words(item: DossierItem) -> str:
    parts = []
    if item.benefit_vnd is not None:
        parts.append(pdf.vnd(item.benefit_vnd))
    if item.benefit_text.strip():
        parts.append(item.benefit_text.strip())
    return "\n".join(parts) or NONE_MARK


def _score_words(score: Decimal | None) -> str:
    return NONE_MARK if score is None else pdf.one_decimal(score)


def _annex_line(d: Dossier) -> str:
    return f"(Kèm theo Tờ trình số {d.number} ngày {pdf.dmy(d.dated_on)} của {d.issuer_name})"


# --- Cover letter, PDF ---------------------------------------------------------------------

_PORTRAIT_MARGINS = (20 * mm, 15 * mm, 20 * mm, 30 * mm)  # NĐ 30/2020: top, right, bottom, left


def cover_letter_pdf(d: Dossier) -> bytes:
    width = A4[0] - _PORTRAIT_MARGINS[1] - _PORTRAIT_MARGINS[3]
    title = pdf.style("title", font=pdf.FONT_BOLD, size=14)
    opening, lines, closing = _body(d)
    body = pdf.body_style(14)
    story: list[Flowable] = [
        pdf.administrative_header(
            superior=d.superior_name,
            issuer=d.issuer_name,
            number=d.number,
            place=d.place,
            dated_on=d.dated_on,
            width=width,
        ),
        Spacer(1, 10 * mm),
        pdf.para("TỜ TRÌNH", title),
        pdf.para(_subject(d), title),
        pdf.rule(width * 0.25, space_before=5, space_after=8),
        pdf.para(f"Kính gửi: {d.recipient}.", pdf.style("to", size=14, spaceAfter=10)),
        pdf.para(opening, body),
        *(pdf.para(line, body) for line in lines),
        *(pdf.para(line, body) for line in closing),
        Spacer(1, 6 * mm),
        pdf.closing_block(
            recipients=CC_LINES,
            signer_title=d.signer_title,
            signer_name=d.signer_name,
            width=width,
        ),
    ]
    return pdf.build_pdf(
        story,
        pagesize=A4,
        margins=_PORTRAIT_MARGINS,
        title=f"Tờ trình {d.number}",
        on_later_pages=pdf.page_number_from_second,
    )


# --- Cover letter, DOCX --------------------------------------------------------------------

_DOCX_FONT = "Times New Roman"


def _docx_text(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> DocxParagraph:
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(nfc(text))
    run.font.name = _DOCX_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    # Word picks the complex-script and East Asian slots for some Vietnamese letters on some
    # systems; naming the font there too keeps the whole line in Times New Roman.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), _DOCX_FONT)
    fonts.set(qn("w:eastAsia"), _DOCX_FONT)
    return paragraph


def _docx_rule(cell_paragraph: DocxParagraph, *, indent_mm: float) -> None:
    """A centred rule: a top border on an empty paragraph narrowed by equal indents."""
    fmt = cell_paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent_mm)
    fmt.space_after = Pt(0)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    cell_paragraph._p.get_or_add_pPr().append(borders)


def cover_letter_docx(d: Dossier) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    # The header is a borderless two-column table, as in the decree's own templates.
    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_mm, right_mm = 65, 100
    for row in header.rows:
        row.cells[0].width, row.cells[1].width = Mm(left_mm), Mm(right_mm)
    left = header.cell(0, 0)
    first = left.paragraphs[0]
    if d.superior_name.strip():
        _docx_text(first, d.superior_name.upper(), size=13)
        first = left.add_paragraph()
    _docx_text(first, d.issuer_name.upper(), size=13, bold=True)
    _docx_rule(left.add_paragraph(), indent_mm=left_mm * 0.35)
    right = header.cell(0, 1)
    _docx_text(right.paragraphs[0], pdf.NATIONAL_NAME, size=13, bold=True)
    _docx_text(right.add_paragraph(), pdf.MOTTO, size=14, bold=True)
    _docx_rule(right.add_paragraph(), indent_mm=(right_mm - 62) / 2)  # the motto is ~62 mm
    _docx_text(header.cell(1, 0).paragraphs[0], f"Số: {d.number}", size=13)
    _docx_text(
        header.cell(1, 1).paragraphs[0], pdf.place_and_date(d.place, d.dated_on), italic=True
    )

    document.add_paragraph()
    _docx_text(document.add_paragraph(), "TỜ TRÌNH", bold=True)
    _docx_text(document.add_paragraph(), _subject(d), bold=True)
    _docx_rule(document.add_paragraph(), indent_mm=65)
    to = _docx_text(document.add_paragraph(), f"Kính gửi: {d.recipient}.")
    to.paragraph_format.space_after = Pt(12)

    opening, lines, closing = _body(d)
    for text in (opening, *lines, *closing):
        paragraph = _docx_text(document.add_paragraph(), text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)

    closing_table = document.add_table(rows=1, cols=2)
    cc, sign = closing_table.cell(0, 0), closing_table.cell(0, 1)
    cc.width, sign.width = Mm(75), Mm(90)
    left_aligned = WD_ALIGN_PARAGRAPH.LEFT
    _docx_text(cc.paragraphs[0], "Nơi nhận:", size=12, bold=True, italic=True, align=left_aligned)
    for line in CC_LINES:
        _docx_text(cc.add_paragraph(), line, size=11, align=left_aligned)
    title_lines = [line for line in nfc(d.signer_title).split("\n") if line]
    _docx_text(sign.paragraphs[0], title_lines[0] if title_lines else "", bold=True)
    for line in title_lines[1:]:
        _docx_text(sign.add_paragraph(), line, bold=True)
    for _ in range(4):  # room for the signature and the seal
        sign.add_paragraph()
    _docx_text(sign.add_paragraph(), d.signer_name, bold=True)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Summary table, PDF --------------------------------------------------------------------

COLUMNS = (
    "STT", "Mã biên nhận", "Tên sáng kiến", "Tác giả (tỷ lệ đóng góp)", "Đơn vị", "Loại giải pháp",
    "Đối tượng", "Ngày áp dụng", "Giá trị làm lợi / lợi ích xã hội", "Tóm tắt nội dung",
    "Điểm bình quân"
)  # fmt: skip
# Points, summing to the 277 mm between 10 mm margins; the summary takes what is left.
_PDF_WIDTHS = (24, 54, 82, 74, 66, 52, 52, 48, 64, 229, 40)
_LANDSCAPE_MARGINS = (12 * mm, 10 * mm, 12 * mm, 10 * mm)


def _summary_heading(d: Dossier, width: float) -> list[Flowable]:
    return [
        pdf.administrative_header(
            superior=d.superior_name, issuer=d.issuer_name, width=width, left_share=0.42
        ),
        Spacer(1, 4 * mm),
        pdf.para(SUMMARY_TITLE, pdf.style("summary-title", font=pdf.FONT_BOLD, size=14)),
        pdf.para(_annex_line(d), pdf.style("annex", font=pdf.FONT_ITALIC, size=12, spaceAfter=8)),
    ]


def summary_pdf(d: Dossier) -> bytes:
    pagesize = landscape(A4)
    top, right_margin, bottom, left_margin = _LANDSCAPE_MARGINS
    width = pagesize[0] - right_margin - left_margin
    size = 8.5
    cell = pdf.style("td", size=size, align=TA_LEFT)
    centred = pdf.style("td-c", size=size, align=TA_CENTER)
    right = pdf.style("td-r", size=size, align=TA_RIGHT)
    records = [
        [
            pdf.para(str(item.rank), centred),
            pdf.para(item.receipt, centred),
            pdf.para(item.title, cell),
            pdf.para(item.authors, cell),
            pdf.para(item.unit_name, cell),
            pdf.para(item.kind, cell),
            pdf.para(item.target_group, cell),
            pdf.para(pdf.dmy(item.first_applied_on), centred),
            pdf.para(_benefit_words(item), right if item.benefit_vnd is not None else cell),
            pdf.para(item.summary, cell),
            pdf.para(_score_words(item.score), centred),
        ]
        for item in _ranked(d)
    ]
    scale = width / sum(_PDF_WIDTHS)
    table = pdf.records_table(
        [pdf.para(name, pdf.style("th", font=pdf.FONT_BOLD, size=size)) for name in COLUMNS],
        records,
        [w * scale for w in _PDF_WIDTHS],
        frame_height=pagesize[1] - top - bottom,
    )
    return pdf.build_pdf(
        [*_summary_heading(d, width), table],
        pagesize=pagesize,
        margins=_LANDSCAPE_MARGINS,
        title=SUMMARY_TITLE,
        on_later_pages=pdf.page_number_from_second,
    )


# --- Summary table, XLSX -------------------------------------------------------------------

XLSX_COLUMNS = (
    ("STT", 6),
    ("Mã biên nhận", 12),
    ("Tên sáng kiến", 32),
    ("Tác giả (tỷ lệ đóng góp)", 28),
    ("Đơn vị", 24),
    ("Loại giải pháp", 16),
    ("Đối tượng", 16),
    ("Ngày áp dụng", 12),
    ("Giá trị làm lợi (đồng)", 16),
    ("Lợi ích xã hội", 24),
    ("Tóm tắt nội dung", 80),
    ("Điểm bình quân", 10),
)
XLSX_HEADER_ROW = 6
_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def summary_xlsx(d: Dossier) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp sáng kiến"
    last = get_column_letter(len(XLSX_COLUMNS))
    split = get_column_letter(5)  # the issuer's half ends at "Đơn vị"
    heading = (
        (f"A1:{split}1", d.superior_name.upper(), False, False),
        (f"F1:{last}1", pdf.NATIONAL_NAME, True, False),
        (f"A2:{split}2", d.issuer_name.upper(), True, False),
        (f"F2:{last}2", pdf.MOTTO, True, False),
        (f"A3:{last}3", SUMMARY_TITLE, True, False),
        (f"A4:{last}4", _annex_line(d), False, True),
    )
    for cells, text, bold, italic in heading:
        sheet.merge_cells(cells)
        anchor = sheet[cells.split(":")[0]]
        put_text(anchor, text)
        anchor.font = Font(name=_DOCX_FONT, size=12, bold=bold, italic=italic)
        anchor.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for index, (name, width) in enumerate(XLSX_COLUMNS, start=1):
        cell = sheet.cell(row=XLSX_HEADER_ROW, column=index)
        put_text(cell, name)
        cell.font = Font(name=_DOCX_FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _GRID
        sheet.column_dimensions[get_column_letter(index)].width = width

    for row, item in enumerate(_ranked(d), start=XLSX_HEADER_ROW + 1):
        texts = {
            2: item.receipt,
            3: item.title,
            4: item.authors,
            5: item.unit_name,
            6: item.kind,
            7: item.target_group,
            10: item.benefit_text.strip(),
            11: item.summary,
        }
        for column, text in texts.items():
            put_text(sheet.cell(row=row, column=column), text)
        sheet.cell(row=row, column=1, value=item.rank)
        applied = sheet.cell(row=row, column=8, value=item.first_applied_on)
        applied.number_format = "DD/MM/YYYY"
        if item.benefit_vnd is not None:
            money = sheet.cell(row=row, column=9, value=item.benefit_vnd)
            money.number_format = "#,##0"
        if item.score is not None:
            # Rounded as in the PDF, so both files show and sort by the same number.
            rounded = item.score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            score = sheet.cell(row=row, column=12, value=rounded)
            score.number_format = "0.0"
        for column in range(1, len(XLSX_COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = _WRAP
            cell.border = _GRID
            cell.font = Font(name=_DOCX_FONT)

    sheet.freeze_panes = f"A{XLSX_HEADER_ROW + 1}"
    sheet.print_title_rows = f"{XLSX_HEADER_ROW}:{XLSX_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
