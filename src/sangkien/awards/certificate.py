"""The printable award (bằng khen, giấy khen, giấy chứng nhận): one A4 landscape page each.

A pure function from a ``CertificateData`` value to PDF bytes. The wording is fixed
Vietnamese, like every official paper of the union; the layout follows the usual certificate:
national motto, granting body, the kind in large letters, the recipient, what for, the
decision, and the signature, inside a double border.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, SimpleDocTemplate, Spacer

from sangkien.common import pdf
from sangkien.common.text import nfc


@dataclass(frozen=True)
class CertificateData:
    granting_unit: str  # "BAN CHẤP HÀNH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    kind: str  # "BẰNG KHEN", "GIẤY KHEN", "GIẤY CHỨNG NHẬN"
    recipients: list[tuple[str, str]]  # (name, detail line) — one page each
    initiative_title: str  # "" for an award to a unit
    citation: str  # "Đã có thành tích xuất sắc tham gia Chương trình …"
    decision_number: str
    decision_date: date
    place: str
    signer_title: str  # lines separated by "\n"
    signer_name: str
    serial: str  # printed small at the bottom for verification


PAGE = landscape(A4)
_MARGIN = 40  # points, inside the border
_RED = colors.HexColor("#9B1B1B")
_GOLD = colors.HexColor("#B8860B")


def _border(canvas: Canvas, serial: str) -> None:
    """The double frame, a small diamond at each inner corner, and the serial under it all."""
    width, height = PAGE
    canvas.saveState()
    canvas.setStrokeColor(_RED)
    canvas.setLineWidth(3.5)
    canvas.rect(14, 14, width - 28, height - 28)
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(1)
    canvas.rect(22, 22, width - 44, height - 44)
    canvas.setFillColor(_GOLD)
    for x, y in ((22, 22), (width - 22, 22), (22, height - 22), (width - 22, height - 22)):
        path = canvas.beginPath()
        path.moveTo(x, y - 6)
        path.lineTo(x + 6, y)
        path.lineTo(x, y + 6)
        path.lineTo(x - 6, y)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.setFont(pdf.FONT, 8)
    canvas.drawCentredString(width / 2, 28, nfc(f"Số hiệu: {serial}"))
    canvas.restoreState()


def _page(data: CertificateData, name: str, detail: str, width: float) -> list[Flowable]:
    text = pdf.style("cert-text", size=17, leading=23)
    flow: list[Flowable] = [
        *pdf.national_block(size=15),
        Spacer(1, 8 * mm),
        pdf.para(data.granting_unit.upper(), pdf.style("granting", font=pdf.FONT_BOLD, size=17)),
        Spacer(1, 5 * mm),
        pdf.para(
            data.kind.upper(),
            pdf.style("kind", font=pdf.FONT_BOLD, size=50, leading=60, textColor=_RED),
        ),
        Spacer(1, 3 * mm),
        pdf.para("Tặng", pdf.style("to", font=pdf.FONT_ITALIC, size=18, leading=24)),
        pdf.para(name, pdf.style("name", font=pdf.FONT_BOLD, size=30, leading=38)),
    ]
    if detail.strip():
        flow.append(pdf.para(detail, text))
    if data.initiative_title.strip():
        flow.append(
            pdf.para(f"Có sáng kiến: “{data.initiative_title.strip()}”", text),
        )
    if data.citation.strip():
        flow.append(
            pdf.para(
                data.citation, pdf.style("citation", font=pdf.FONT_ITALIC, size=17, leading=23)
            )
        )
    decision = f"Quyết định số {data.decision_number} ngày {pdf.dmy(data.decision_date)}"
    signature = [
        pdf.para(
            pdf.place_and_date(data.place, data.decision_date),
            pdf.style("cert-date", font=pdf.FONT_ITALIC, size=14),
        ),
        *pdf.signature_block(data.signer_title, data.signer_name, size=14, room=20 * mm),
    ]
    flow.append(Spacer(1, 8 * mm))
    flow.append(
        pdf.layout_table(
            [[[Spacer(1, 14 * mm), pdf.para(decision, pdf.style("decision", size=13))], signature]],
            [width * 0.45, width * 0.55],
        )
    )
    return flow


def certificate_pdf(data: CertificateData) -> bytes:
    """One page per recipient; a page whose words do not fit is shrunk, never continued."""
    if not data.recipients:
        raise ValueError("a certificate needs at least one recipient")
    width = PAGE[0] - 2 * _MARGIN - 12  # the frame pads 6 pt on each side
    height = PAGE[1] - 2 * _MARGIN - 12
    story: list[Flowable] = []
    for index, (name, detail) in enumerate(data.recipients):
        if index:
            story.append(PageBreak())
        # KeepInFrame(shrink) is what makes "one page each" hold for a long title or citation.
        content = _page(data, name, detail, width)
        used = sum(
            f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in content
        )
        if used < height:  # centre the words on the page, between the two borders
            story.append(Spacer(1, (height - used) / 2 - 2))
        story.append(KeepInFrame(width, height, content, mode="shrink"))

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        _border(canvas, data.serial)

    return pdf.build_pdf(
        story,
        pagesize=PAGE,
        margins=(_MARGIN, _MARGIN, _MARGIN, _MARGIN),
        title=f"{data.kind} {data.decision_number}",
        on_first_page=decorate,
        on_later_pages=decorate,
    )
