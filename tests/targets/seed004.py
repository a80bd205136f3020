"""Seed 004's allocation table (LĐLĐ huyện Gia Lâm, 25/3/2022) as the text rows of the letter,
and a spreadsheet built from them cell by cell, every cell text as typed."""

import io

from openpyxl import Workbook

# The rows exactly as in seed 004 (the title block, the header, the table, "Tổng cộng"); cells
# are separated by tabs. The second phase column is labelled "Giai đoạn 1" in the letter.
SEED_004_ROWS = """LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM

**DANH SÁCH PHÂN BỐ CHỈ TIÊU PHÂN ĐẦU CHƯƠNG TRÌNH
“ 01 TRIỆU SÁNG KIẾN - NỖ LỰC VƯỢT KHÓ, SÁNG TẠO,
QUYẾT TÂM CHIẾN THẮNG ĐẠI DỊCH COVID-19”**

TT\tTên đơn vị\tTổng số sáng kiến/đơn vị\tGiai đoạn 1 (Sáng kiến từ 01/9/2021-31/5/2022)\tGiai đoạn 1 (Sáng kiến từ 01/6/2022-30/9/2023)
1\tKhối xã, thị trấn\t02\t01\t01
2\tKhối HCSN\t02\t01\t01
3\tKhối trường học\t01 SK/đoàn viên/ phân bố 02 giai đoạn\t\t
4\tKhối doanh nghiệp\t\t\t
4.1\t152 CĐCS khối doanh nghiệp\t02\t01\t01
4.2\tCĐ Công ty TNHH điện Stanley Việt Nam\t700\t400\t300
4.3\tCĐ Công ty TNHH Lixil Việt Nam\t700\t400\t300
4.4\tCĐ Công ty TNHH SX, DV, TM sản phẩm da Ladodda\t30\t15\t15
4.5\tCĐ Công ty CP Hãng sơn Đông Á\t20\t10\t10
4.6\tCĐ Công ty CP Bewin & Coating Việt Nam\t10\t05\t05
4.6\tCĐ Công ty CP Bewin & Coating Sài Gòn\t10\t05\t05
4.8\tCĐ Công ty CP Môi trường đô thị Gia Lâm\t10\t05\t05
\tTổng cộng\t5.342\t2.771\t2.571"""


def rows_to_xlsx(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append([value if value != "" else None for value in values])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def seed_rows() -> list[list[str]]:
    return [line.split("\t") for line in SEED_004_ROWS.split("\n")]


def seed_xlsx() -> io.BytesIO:
    return rows_to_xlsx(seed_rows())
