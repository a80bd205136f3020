"""What every PDF of ours shares: the Vietnamese font, the NĐ 30/2020 header, the signature block.

The font is Crimson Text (SIL OFL 1.1), taken at run time from the pinned PyPI package
``fontpkg-crimson-text`` (its ``files/CrimsonText-{Regular,Bold,Italic,BoldItalic}.ttf``):
static TrueType files with every precomposed Vietnamese letter in all four styles, a serif
close to the Times look of administrative papers, and a 350 kB wheel. Nothing is copied
into the repository, no system font is used and nothing is fetched at run time.
ReportLab's bundled Vera, Source Serif Pro's italics and PT Serif all lack "ế", "ữ", "ặ"….

ReportLab does no glyph shaping, so text is composed to NFC before it is drawn: a decomposed
"e" + U+0302 + U+0301 would otherwise print as three glyphs stacked by luck.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sangkien.common.text import nfc

FONT_PACKAGE = "fontpkg_crimson_text"
FONT = "SangKienSerif"
FONT_BOLD = "SangKienSerif-Bold"
FONT_ITALIC = "SangKienSerif-Italic"
FONT_BOLD_ITALIC = "SangKienSerif-BoldItalic"
_FILES = {
    FONT: "CrimsonText-Regular.ttf",
    FONT_BOLD: "CrimsonText-Bold.ttf",
    FONT_ITALIC: "CrimsonText-Italic.ttf",
    FONT_BOLD_ITALIC: "CrimsonText-BoldItalic.ttf",
}

# NĐ 30/2020 prints "HÒA" (old-style tone placement); the portal's brief writes "HOÀ".
# Both are correct Vietnamese; this is the one place to switch.
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # as Nghị định 30/2020 prints it
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_register_lock = threading.Lock()
_registered = False
# ReportLab keeps per-document subsetting state inside each registered TTFont, shared by
# every thread of the process; building one PDF at a time keeps two builds from mixing it.
_build_lock = threading.Lock()


def font_files() -> dict[str, Path]:
    """The TrueType file behind each of our four font names, inside the installed package."""
    folder = files(FONT_PACKAGE) / "files"
    return {name: Path(str(folder / filename)) for name, filename in _FILES.items()}


def register_fonts() -> None:
    """Register the four styles (and their family, for <b>/<i> markup) once per process.

    Lazy, so the ~0.3 s of parsing the font files is paid by the first PDF, not at start-up;
    locked, so two threads that print their first PDF at the same moment register once.
    """
    global _registered
    if _registered:
        return
    with _register_lock:
        if _registered:
            return
        for name, path in font_files().items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        _registered = True


# --- Vietnamese administrative wording (also used by the DOCX and XLSX builders) ---------


def place_and_date(place: str, day: date) -> str:
    """ "Cư Jút, ngày 05 tháng 4 năm 2021": NĐ 30/2020 pads days below 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{nfc(place).strip()}, ngày {day.day:02d} tháng {month} năm {day.year}"


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def vnd(amount: int) -> str:
    """10000000 → "10.000.000 đ" (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " đ"


def one_decimal(value: Decimal) -> str:
    """85.25 → "85,3": half up, as a person rounds, with the Vietnamese decimal comma."""
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


# --- Paragraphs --------------------------------------------------------------------------


def style(
    name: str,
    *,
    font: str = FONT,
    size: float = 13,
    align: int = TA_CENTER,
    leading: float | None = None,
    **extra: object,
) -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading if leading is not None else size * 1.2,
        alignment=align,
        **extra,
    )


def para(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: composed, escaped (titles may hold "<" or "&"), newlines kept."""
    lines = [escape(line) for line in nfc(text).split("\n")]
    return Paragraph("<br/>".join(lines), paragraph_style)


def rule(width: float, *, space_before: float = 2, space_after: float = 3) -> HRFlowable:
    return HRFlowable(
        width=width,
        thickness=0.6,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=space_before,
        spaceAfter=space_after,
    )


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(nfc(text), font, size)


# --- NĐ 30/2020 blocks -------------------------------------------------------------------


def national_block(*, size: float = 13) -> list[Flowable]:
    """Quốc hiệu and tiêu ngữ; the rule under the motto is as long as the motto."""
    return [
        para(NATIONAL_NAME, style("national", font=FONT_BOLD, size=size - 1)),
        para(MOTTO, style("motto", font=FONT_BOLD, size=size)),
        rule(text_width(MOTTO, FONT_BOLD, size)),
    ]


def administrative_header(
    *,
    superior: str,
    issuer: str,
    width: float,
    number: str | None = None,
    place: str | None = None,
    dated_on: date | None = None,
    size: float = 13,
    left_share: float = 0.4,
) -> Table:
    """The two-column header: issuing unit on the left, national name and motto on the right.

    "Số: …" and "<place>, ngày …" share the second row, so they line up as the decree
    draws them. Without a number and a date (an annex) that row is left out.
    """
    issuer_style = style("issuer", font=FONT_BOLD, size=size - 1)
    left: list[Flowable] = []
    if superior.strip():
        left.append(para(superior.upper(), style("superior", size=size - 1)))
    left.append(para(issuer.upper(), issuer_style))
    # The issuer's rule is a third to a half of the line above it: we draw two fifths.
    longest = max(text_width(line, FONT_BOLD, size - 1) for line in issuer.upper().split("\n"))
    left.append(rule(min(longest, width * left_share) * 0.4))
    rows: list[list[object]] = [[left, national_block(size=size)]]
    if number is not None or dated_on is not None:
        number_cell = para(f"Số: {number}", style("number", size=size)) if number else ""
        date_cell = (
            para(
                place_and_date(place or "", dated_on),
                style("dateline", font=FONT_ITALIC, size=size),
            )
            if dated_on
            else ""
        )
        rows.append([number_cell, date_cell])
    # A cell places its flowables by the cell's ALIGN, not by their hAlign: "CENTER" is what
    # centres the short rules under the issuer and the motto.
    return layout_table(rows, [width * left_share, width * (1 - left_share)], align="CENTER")


def layout_table(rows: list[list[object]], widths: list[float], *, align: str = "LEFT") -> Table:
    """A layout table: no lines, no padding, cells aligned to the top."""
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), align),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def signature_block(
    signer_title: str, signer_name: str, *, size: float = 13, room: float = 24 * mm
) -> list[Flowable]:
    """ "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH" in bold, room for signature and seal, then the name."""
    bold = style("signer", font=FONT_BOLD, size=size)
    flow: list[Flowable] = [para(line, bold) for line in nfc(signer_title).split("\n") if line]
    flow.append(Spacer(1, room))
    flow.append(para(signer_name, style("signer-name", font=FONT_BOLD, size=size + 1)))
    return flow


def recipients_block(lines: Iterable[str]) -> list[Flowable]:
    """ "Nơi nhận:" in bold italic 12 pt, then its lines in 11 pt, as the decree sizes them."""
    line_style = style("cc", size=11, align=TA_LEFT)
    flow: list[Flowable] = [
        para("Nơi nhận:", style("cc-head", font=FONT_BOLD_ITALIC, size=12, align=TA_LEFT))
    ]
    flow.extend(para(line, line_style) for line in lines)
    return flow


def closing_block(
    *,
    recipients: Sequence[str],
    signer_title: str,
    signer_name: str,
    width: float,
    size: float = 13,
) -> Table:
    """ "Nơi nhận" on the left and the signature on the right, side by side."""
    return layout_table(
        [[recipients_block(recipients), signature_block(signer_title, signer_name, size=size)]],
        [width * 0.45, width * 0.55],
    )


def body_style(size: float = 14) -> ParagraphStyle:
    """Body text: justified, first line indented 1 cm, a little space between paragraphs."""
    return style(
        "body",
        size=size,
        align=TA_JUSTIFY,
        leading=size * 1.3,
        firstLineIndent=10 * mm,
        spaceAfter=4,
    )


# --- Tables that run over many pages -------------------------------------------------------

CELL_PAD = 3


def _page_safe_rows(
    cells: list[Flowable | str], inner_widths: list[float], limit: float
) -> list[list[Flowable | str]]:
    """One record's row, cut at line boundaries into rows no taller than ``limit``.

    ReportLab moves a row whole to the next page and fails on a row taller than a page; its
    own in-row splitting (splitInRow) repeats the header in the middle of a page. A
    2,000-character summary fits on a page, but wide letters or a long title may not, so
    such a row is cut here and its pieces are drawn as one cell (no rule between them).
    """
    rows: list[list[Flowable | str]] = []
    current = cells
    while True:
        heights = [
            cell.wrap(width, limit)[1] if isinstance(cell, Flowable) else 0
            for cell, width in zip(current, inner_widths, strict=True)
        ]
        if max(heights) <= limit:
            rows.append(current)
            return rows
        first: list[Flowable | str] = []
        rest: list[Flowable | str] = []
        for cell, width, height in zip(current, inner_widths, heights, strict=True):
            parts = (
                cell.split(width, limit) if isinstance(cell, Flowable) and height > limit else []
            )
            first.append(parts[0] if len(parts) == 2 else cell)
            rest.append(parts[1] if len(parts) == 2 else "")
        if first == current:  # nothing could be cut: let ReportLab report the overflow
            rows.append(current)
            return rows
        rows.append(first)
        current = rest


def records_table(
    header: list[Flowable],
    records: list[list[Flowable]],
    widths: list[float],
    *,
    frame_height: float,
) -> Table:
    """A ruled table of records (one row each) that runs over as many pages as it needs.

    The header row repeats on every page; rows break between records, and only a record
    taller than a whole page is cut (see ``_page_safe_rows``).
    """
    inner = [width - 2 * CELL_PAD for width in widths]
    header_height = max(
        cell.wrap(width, frame_height)[1] for cell, width in zip(header, inner, strict=True)
    )
    # The frame's own padding is 6 pt on each side; 2 pt more keeps rounding on our side.
    limit = frame_height - 12 - (header_height + 2 * CELL_PAD) - 2 * CELL_PAD - 2
    rows: list[list[Flowable | str]] = [list(header)]
    record_ends: list[int] = []
    for record in records:
        rows.extend(_page_safe_rows(list(record), inner, limit))
        record_ends.append(len(rows) - 1)
    line = (0.5, colors.black)
    commands: list[tuple[object, ...]] = [
        ("BOX", (0, 0), (-1, -1), *line),
        ("LINEAFTER", (0, 0), (-2, -1), *line),
        ("LINEBELOW", (0, 0), (-1, 0), *line),
        *(("LINEBELOW", (0, row), (-1, row), *line) for row in record_ends),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands))


# --- Building ----------------------------------------------------------------------------

PageCallback = Callable[[Canvas, SimpleDocTemplate], None]


def page_number_from_second(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """NĐ 30/2020: the page number, centred in the top margin, from page 2 on."""
    canvas.saveState()
    canvas.setFont(FONT, 12)
    width, height = doc.pagesize
    canvas.drawCentredString(width / 2, height - 12 * mm, str(canvas.getPageNumber()))
    canvas.restoreState()


def build_pdf(
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    margins: tuple[float, float, float, float],
    title: str,
    on_first_page: PageCallback | None = None,
    on_later_pages: PageCallback | None = None,
) -> bytes:
    """Lay the story out on pages (margins: top, right, bottom, left) and return the PDF.

    ``invariant`` leaves out the creation time and random id, so the same input gives the
    same bytes: a dossier can be hashed, cached and compared.
    """
    register_fonts()
    top, right, bottom, left = margins
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=nfc(title),
        author="Sáng kiến",
        creator="Sáng kiến",
        invariant=1,
    )

    def nothing(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        return None

    with _build_lock:
        doc.build(
            story,
            onFirstPage=on_first_page or nothing,
            onLaterPages=on_later_pages or nothing,
        )
    return buffer.getvalue()
