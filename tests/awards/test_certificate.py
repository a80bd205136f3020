"""The printable award: one A4 landscape page per recipient, its words as a reader extracts them."""

import dataclasses
import io
import re
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from sangkien.awards.certificate import CertificateData, certificate_pdf

TITLE = "Cải tiến máy ép nhựa giảm 15% điện năng tiêu thụ"


def certificate(**overrides) -> CertificateData:
    values = {
        "granting_unit": "BAN CHẤP HÀNH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "kind": "BẰNG KHEN",
        "recipients": [
            ("Nguyễn Thị Ngọc Tú", "Công đoàn Công ty TNHH Nhựa Đắk Nông"),
            ("Trần Văn Bình", "Công đoàn Công ty TNHH Nhựa Đắk Nông"),
            ("Lê Thị Mỹ Hạnh", "Công đoàn Bệnh viện Đa khoa tỉnh Đắk Nông"),
        ],
        "initiative_title": TITLE,
        "citation": "Đã có thành tích xuất sắc tham gia Chương trình “Một triệu sáng kiến” năm 2021.",
        "decision_number": "123/QĐ-TLĐ",
        "decision_date": date(2021, 1, 5),
        "place": "Hà Nội",
        "signer_title": "TM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH",
        "signer_name": "Nguyễn Đình Khang",
        "serial": "BK-2021-000123",
    }
    values.update(overrides)
    return CertificateData(**values)


def pages_of(data: bytes) -> list[str]:
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFC", page.extract_text())).strip()
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def test_certificate_has_one_landscape_page_per_recipient():
    # given an award to three authors
    data = certificate_pdf(certificate())
    # when it is printed
    reader = PdfReader(io.BytesIO(data))
    pages = pages_of(data)
    # then there are three A4 landscape pages, each naming its own recipient only
    assert len(reader.pages) == 3
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {
        (842, 595)
    }
    names = ["Nguyễn Thị Ngọc Tú", "Trần Văn Bình", "Lê Thị Mỹ Hạnh"]
    for page, name in zip(pages, names, strict=True):
        assert [other for other in names if other in page] == [name]
    assert "Công đoàn Bệnh viện Đa khoa tỉnh Đắk Nông" in pages[2]


def test_certificate_page_reads_in_order_with_every_part():
    page = pages_of(certificate_pdf(certificate()))[0]
    parts = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BAN CHẤP HÀNH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "BẰNG KHEN",
        "Tặng",
        "Nguyễn Thị Ngọc Tú",
        "Công đoàn Công ty TNHH Nhựa Đắk Nông",
        f"Có sáng kiến: “{TITLE}”",
        "Đã có thành tích xuất sắc tham gia Chương trình “Một triệu sáng kiến” năm 2021.",
        "Quyết định số 123/QĐ-TLĐ ngày 05/01/2021",
        "Hà Nội, ngày 05 tháng 01 năm 2021",
        "TM. ĐOÀN CHỦ TỊCH CHỦ TỊCH",
        "Nguyễn Đình Khang",
    ]
    positions = [page.find(part) for part in parts]
    assert -1 not in positions, [part for part, at in zip(parts, positions, strict=True) if at < 0]
    assert positions[:8] == sorted(positions[:8])
    assert "Số hiệu: BK-2021-000123" in page


def test_certificate_to_a_unit_has_no_initiative_line():
    data = certificate_pdf(
        certificate(
            kind="Giấy khen",
            recipients=[("Công đoàn Công ty TNHH Nhựa Đắk Nông", "")],
            initiative_title="",
        )
    )
    page = pages_of(data)[0]
    assert "GIẤY KHEN" in page
    assert "Tặng Công đoàn Công ty TNHH Nhựa Đắk Nông" in page
    assert "Có sáng kiến" not in page


def test_certificate_with_long_words_still_fits_one_page_each():
    # given a title and a citation far longer than a certificate holds at full size
    data = certificate_pdf(
        certificate(
            initiative_title="Cải tiến quy trình " * 30,
            citation="Đã có thành tích xuất sắc trong phong trào thi đua lao động sáng tạo. " * 12,
        )
    )
    # then it is shrunk to fit, never continued on a second page
    pages = pages_of(data)
    assert len(pages) == 3
    assert all("Nguyễn Đình Khang" in page and "Số hiệu: BK-2021-000123" in page for page in pages)


def test_certificate_without_recipients_is_refused():
    with pytest.raises(ValueError, match="at least one recipient"):
        certificate_pdf(dataclasses.replace(certificate(), recipients=[]))
