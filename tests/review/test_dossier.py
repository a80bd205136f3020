"""The forwarding dossier's files, opened as a reader opens them: DOCX, XLSX and PDF text."""

import io
import re
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from sangkien.common import pdf
from sangkien.review.dossier import (
    Dossier,
    DossierItem,
    cover_letter_docx,
    cover_letter_pdf,
    summary_pdf,
    summary_xlsx,
)

TITLE = "Cải tiến máy ép nhựa giảm 15% điện năng tiêu thụ"
AUTHORS = "Nguyễn Thị Ngọc Tú (60%), Trần Văn Bình (40%)"
UNIT = "Công đoàn Công ty TNHH Nhựa Đắk Nông"
RECIPIENT = "Ban Thường vụ Liên đoàn Lao động tỉnh Đắk Nông"
# Every letter Vietnamese writes: 12 vowels in 6 tones, both cases, đ, and the consonants.
VIETNAMESE_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", vowel + tone)
        for vowel in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    )
    + "đĐbcdghklmnpqrstvxBCDGHKLMNPQRSTVX"
)
PANGRAM = (
    "Thằng bé đứng dậy ngắm ảnh quý vợ chồng Ỹ Ữ Ặ Đ Ợ ở Huế, xã Phú Khê — “chữ tài chữ mệnh”."
)


def item(rank: int = 1, **overrides) -> DossierItem:
    values = {
        "rank": rank,
        "receipt": "ABCD-EFGH",
        "title": TITLE,
        "authors": AUTHORS,
        "unit_name": UNIT,
        "kind": "Giải pháp kỹ thuật",
        "target_group": "Công nhân lao động trong doanh nghiệp",
        "first_applied_on": date(2021, 1, 10),
        "benefit_vnd": 10_000_000,
        "benefit_text": "",
        "summary": "Thay bộ gia nhiệt, giảm điện năng tiêu thụ của máy ép.",
        "score": Decimal("85.25"),
    }
    values.update(overrides)
    return DossierItem(**values)


def dossier(items: list[DossierItem] | None = None, **overrides) -> Dossier:
    values = {
        "superior_name": "LĐLĐ TỈNH ĐẮK NÔNG",
        "issuer_name": "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT",
        "number": "12/TTr-LĐLĐ",
        "place": "Cư Jút",
        "dated_on": date(2021, 4, 5),
        "recipient": RECIPIENT,
        "program_name": "Một triệu sáng kiến",
        "phase_name": "Giai đoạn 1",
        "signer_title": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
        "signer_name": "Nguyễn Văn Hùng",
        "items": items if items is not None else [item()],
    }
    values.update(overrides)
    return Dossier(**values)


def two_items() -> list[DossierItem]:
    # Given out of rank order on purpose: the documents list them by rank.
    return [
        item(2, receipt="WXYZ-2345", title="Sắp xếp lại kho vật tư theo 5S", benefit_vnd=None,
             benefit_text="Giảm thời gian tìm vật tư", score=None, authors="Lê Văn Cường (100%)"),
        item(1),
    ]  # fmt: skip


def flat(text: str) -> str:
    """Extracted text composed and single-spaced, so wrapped lines compare as one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_pages(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph's text, the header and closing tables' cells included, in order."""
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


# --- The font and the wording -----------------------------------------------------------------


@pytest.mark.parametrize("font", [pdf.FONT, pdf.FONT_BOLD, pdf.FONT_ITALIC, pdf.FONT_BOLD_ITALIC])
def test_font_has_a_glyph_for_every_vietnamese_letter(font):
    # given the TrueType file behind one of our four styles
    path = pdf.font_files()[font]
    # when its character map is read
    char_to_glyph = TTFont("probe", str(path)).face.charToGlyph
    # then every letter and every character of the pangram has a real glyph (not .notdef)
    missing = [ch for ch in VIETNAMESE_LETTERS + PANGRAM if char_to_glyph.get(ord(ch), 0) == 0]
    assert missing == []


def test_font_comes_from_the_installed_package_not_the_repository():
    paths = pdf.font_files().values()
    assert all(path.is_file() and "fontpkg_crimson_text" in path.parts for path in paths)
    assert all("site-packages" in path.parts for path in paths)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 4, 5), "Cư Jút, ngày 05 tháng 4 năm 2021"),
        (date(2021, 1, 10), "Cư Jút, ngày 10 tháng 01 năm 2021"),
        (date(2021, 2, 28), "Cư Jút, ngày 28 tháng 02 năm 2021"),
        (date(2021, 3, 9), "Cư Jút, ngày 09 tháng 3 năm 2021"),
        (date(2021, 12, 31), "Cư Jút, ngày 31 tháng 12 năm 2021"),
    ],
)
def test_place_and_date_pads_days_below_10_and_months_1_and_2(day, expected):
    assert pdf.place_and_date("Cư Jút", day) == expected


def test_money_and_score_words_are_vietnamese():
    assert pdf.vnd(10_000_000) == "10.000.000 đ"
    assert pdf.vnd(950) == "950 đ"
    assert pdf.one_decimal(Decimal("85.25")) == "85,3"
    assert pdf.one_decimal(Decimal("90")) == "90,0"


# --- Cover letter -------------------------------------------------------------------------


def test_cover_letter_docx_has_header_items_and_signature():
    # given a dossier of two initiatives
    # when the cover letter is written as DOCX and read back
    paragraphs = docx_paragraphs(cover_letter_docx(dossier(two_items())))
    # then the decree's header, the title, the addressee, the items and the signer are there
    for expected in [
        "LĐLĐ TỈNH ĐẮK NÔNG",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT",
        "Số: 12/TTr-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Cư Jút, ngày 05 tháng 4 năm 2021",
        "TỜ TRÌNH",
        "Về việc đề nghị xét chọn sáng kiến tiêu biểu tham gia Chương trình “Một triệu sáng kiến”",
        f"Kính gửi: {RECIPIENT}.",
        "Căn cứ hướng dẫn của Chương trình “Một triệu sáng kiến”, LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT "
        "đã tổ chức rà soát, đánh giá các sáng kiến của đoàn viên, người lao động và lựa chọn 02 "
        "sáng kiến tiêu biểu của Giai đoạn 1 để đề nghị xét chọn, theo thứ tự như sau:",
        f"1. {TITLE} — {AUTHORS} — {UNIT}.",
        f"2. Sắp xếp lại kho vật tư theo 5S — Lê Văn Cường (100%) — {UNIT}.",
        "(Bảng tổng hợp tóm tắt sáng kiến kèm theo).",
        f"Kính đề nghị {RECIPIENT} xem xét./.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Nguyễn Văn Hùng",
    ]:
        assert expected in paragraphs, expected
    assert paragraphs.index(f"1. {TITLE} — {AUTHORS} — {UNIT}.") < paragraphs.index(
        f"2. Sắp xếp lại kho vật tư theo 5S — Lê Văn Cường (100%) — {UNIT}."
    )


def test_cover_letter_docx_is_a4_portrait_in_times_new_roman():
    document = Document(io.BytesIO(cover_letter_docx(dossier())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    runs = [run for p in document.paragraphs for run in p.runs]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    assert {run.font.size.pt for run in runs} <= {13.0, 14.0}


def test_cover_letter_docx_leaves_out_an_empty_superior():
    paragraphs = docx_paragraphs(cover_letter_docx(dossier(superior_name="")))
    assert "LĐLĐ TỈNH ĐẮK NÔNG" not in paragraphs
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT" in paragraphs


def test_cover_letter_pdf_text_has_the_vietnamese_exactly():
    # given a dossier of two initiatives
    data = cover_letter_pdf(dossier(two_items()))
    # when its text is extracted
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(pdf_pages(data))
    # then it is one A4 portrait page whose words keep their diacritics
    assert len(reader.pages) == 1
    assert (round(reader.pages[0].mediabox.width), round(reader.pages[0].mediabox.height)) == (
        595,
        842,
    )
    for expected in [
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT",
        "Số: 12/TTr-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Cư Jút, ngày 05 tháng 4 năm 2021",
        "TỜ TRÌNH",
        "Về việc đề nghị xét chọn sáng kiến tiêu biểu tham gia Chương trình “Một triệu sáng kiến”",
        f"Kính gửi: {RECIPIENT}.",
        "lựa chọn 02 sáng kiến tiêu biểu của Giai đoạn 1",
        f"1. {TITLE} — {AUTHORS} — {UNIT}.",
        "(Bảng tổng hợp tóm tắt sáng kiến kèm theo).",
        f"Kính đề nghị {RECIPIENT} xem xét./.",
        "Nơi nhận: - Như trên; - Lưu: VT.",
        "TM. BAN THƯỜNG VỤ CHỦ TỊCH Nguyễn Văn Hùng",
    ]:
        assert expected in text, expected
    assert text.index("1. Cải tiến") < text.index("2. Sắp xếp")


def test_cover_letter_pdf_prints_markup_like_titles_as_typed():
    data = cover_letter_pdf(dossier([item(title="Máy <b>ép</b> & khuôn")]))
    assert "1. Máy <b>ép</b> & khuôn —" in pdf_pages(data)[0]


def test_cover_letter_pdf_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Tú (100%)")
    data = cover_letter_pdf(dossier([item(authors=decomposed)]))
    raw = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # composed in the file itself, so a copy-paste from the PDF finds "ễ" as one character
    assert unicodedata.is_normalized("NFC", raw)
    assert "Nguyễn Thị Ngọc Tú (100%)" in re.sub(r"\s+", " ", raw)


def test_cover_letter_pdf_same_input_same_bytes():
    assert cover_letter_pdf(dossier()) == cover_letter_pdf(dossier())


# --- Summary table, PDF -------------------------------------------------------------------


def test_summary_pdf_has_heading_columns_and_values():
    # given two initiatives, one with money and a score, one with a social benefit only
    data = summary_pdf(dossier(two_items()))
    # when its text is extracted
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(pdf_pages(data))
    # then it is A4 landscape with the annex heading, the columns and each value as printed
    assert (round(reader.pages[0].mediabox.width), round(reader.pages[0].mediabox.height)) == (
        842,
        595,
    )
    for expected in [
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "BẢNG TỔNG HỢP TÓM TẮT SÁNG KIẾN",
        "(Kèm theo Tờ trình số 12/TTr-LĐLĐ ngày 05/04/2021 của LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT)",
        "STT Mã biên nhận Tên sáng kiến Tác giả (tỷ lệ đóng góp) Đơn vị Loại giải pháp Đối tượng "
        "Ngày áp dụng Giá trị làm lợi / lợi ích xã hội Tóm tắt nội dung Điểm bình quân",
        f"1 ABCD-EFGH {TITLE} {AUTHORS} {UNIT} Giải pháp kỹ thuật "
        "Công nhân lao động trong doanh nghiệp 10/01/2021 10.000.000 đ "
        "Thay bộ gia nhiệt, giảm điện năng tiêu thụ của máy ép. 85,3",
        "2 WXYZ-2345 Sắp xếp lại kho vật tư theo 5S",
        "Giảm thời gian tìm vật tư Thay bộ gia nhiệt, giảm điện năng tiêu thụ của máy ép. —",
    ]:
        assert expected in text, expected


def test_summary_pdf_of_40_long_items_spans_pages_with_every_title_and_summary():
    # given 40 initiatives whose descriptions are 2,000 characters each
    items = [
        item(
            rank,
            receipt=f"ABCD-{rank:04d}",
            title=f"Sáng kiến số {rank}: cải tiến dây chuyền đóng gói",
            summary=(f"Mô tả {rank}: thay đổi quy trình, tiết kiệm nguyên liệu ở Huế. " * 40)[
                :2000
            ],
        )
        for rank in range(1, 41)
    ]
    # when the summary table is printed
    pages = pdf_pages(summary_pdf(dossier(items)))
    text = " ".join(pages)
    # then it runs over many pages, each with the column headings, and nothing is lost
    assert len(pages) >= 20
    assert all("Tên sáng kiến Tác giả (tỷ lệ đóng góp)" in page for page in pages)
    for one in items:
        assert one.title in text
        assert flat(one.summary) in text  # whole: a row is never cut when it fits on a page


def test_summary_pdf_cuts_a_row_taller_than_a_page_without_losing_words():
    # given one description of wide capitals, taller than a landscape page in its column
    summary = "MƯỜNG ĐƯỜNG WWW " * 125
    # when the summary table is printed
    pages = pdf_pages(summary_pdf(dossier([item(summary=summary)])))
    # then it continues on the next page and every word is printed once
    assert len(pages) >= 2
    assert " ".join(pages).count("ĐƯỜNG") == 125


# --- Summary table, XLSX ------------------------------------------------------------------


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_summary_xlsx_has_heading_columns_and_typed_values():
    # given two initiatives
    # when the summary is written as XLSX and opened
    sheet = sheet_of(summary_xlsx(dossier(two_items())))
    # then the heading, the column names and each value with its type are as expected
    assert [sheet["A1"].value, sheet["F1"].value] == [
        "LĐLĐ TỈNH ĐẮK NÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]
    assert [sheet["A2"].value, sheet["F2"].value] == [
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert sheet["A3"].value == "BẢNG TỔNG HỢP TÓM TẮT SÁNG KIẾN"
    assert sheet["A4"].value == (
        "(Kèm theo Tờ trình số 12/TTr-LĐLĐ ngày 05/04/2021 của LIÊN ĐOÀN LAO ĐỘNG HUYỆN CƯ JÚT)"
    )
    assert [cell.value for cell in sheet[6]] == [
        "STT", "Mã biên nhận", "Tên sáng kiến", "Tác giả (tỷ lệ đóng góp)", "Đơn vị",
        "Loại giải pháp", "Đối tượng", "Ngày áp dụng", "Giá trị làm lợi (đồng)", "Lợi ích xã hội",
        "Tóm tắt nội dung", "Điểm bình quân",
    ]  # fmt: skip
    assert [cell.value for cell in sheet[7]] == [
        1, "ABCD-EFGH", TITLE, AUTHORS, UNIT, "Giải pháp kỹ thuật",
        "Công nhân lao động trong doanh nghiệp", datetime(2021, 1, 10), 10_000_000, None,
        "Thay bộ gia nhiệt, giảm điện năng tiêu thụ của máy ép.", 85.3,
    ]  # fmt: skip
    assert [sheet["H7"].number_format, sheet["I7"].number_format, sheet["L7"].number_format] == [
        "DD/MM/YYYY",
        "#,##0",
        "0.0",
    ]
    assert sheet["I7"].data_type == "n"
    assert [sheet["B8"].value, sheet["I8"].value, sheet["J8"].value, sheet["L8"].value] == [
        "WXYZ-2345",
        None,
        "Giảm thời gian tìm vật tư",
        None,
    ]


def test_summary_xlsx_is_set_up_for_reading_and_printing():
    sheet = sheet_of(summary_xlsx(dossier()))
    assert sheet.freeze_panes == "A7"
    assert sheet.print_title_rows == "$6:$6"
    assert sheet["K7"].alignment.wrap_text is True
    assert sheet.column_dimensions["K"].width == 80
    assert sheet.column_dimensions["C"].width == 32
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,  # A4 in SpreadsheetML's numbering
        1,
        0,
    )
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_summary_xlsx_keeps_formula_like_text_as_text():
    # given values a spreadsheet would take for formulas
    risky = item(
        title='=HYPERLINK("http://example.invalid","bấm vào")',
        authors="+1+2",
        unit_name="-5% điện năng",
        kind="@SUM(A1)",
    )
    # when the summary is written
    data = summary_xlsx(dossier([risky]))
    sheet = sheet_of(data)
    # then each is a string cell with exactly the typed characters, and no formula is stored
    cells = [sheet["C7"], sheet["D7"], sheet["E7"], sheet["F7"]]
    assert [cell.value for cell in cells] == [
        '=HYPERLINK("http://example.invalid","bấm vào")',
        "+1+2",
        "-5% điện năng",
        "@SUM(A1)",
    ]
    assert {cell.data_type for cell in cells} == {"s"}
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_summary_xlsx_drops_control_characters_a_cell_cannot_hold():
    sheet = sheet_of(summary_xlsx(dossier([item(title="Máy ép\x07 nhựa\x1b")])))
    assert sheet["C7"].value == "Máy ép nhựa"


def test_summary_files_of_an_empty_dossier_still_open():
    empty = dossier([])
    assert len(PdfReader(io.BytesIO(summary_pdf(empty))).pages) == 1
    assert sheet_of(summary_xlsx(empty)).max_row == 6
    assert "lựa chọn 00 sáng kiến" in " ".join(pdf_pages(cover_letter_pdf(empty)))
