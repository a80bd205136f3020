"""Import and export of the tree: CSV and XLSX, the row-by-row report, scope and round trips."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from sangkien.accounts.enums import RoleKind
from sangkien.common.models import AuditEntry
from sangkien.orgs import queries
from sangkien.orgs.models import Unit
from sangkien.orgs.services import refresh_member_totals, unit_update
from sangkien.orgs.tree_io import Issue, export_rows, import_tree, parse, to_csv, to_xlsx
from tests.orgs.helpers import codes

EVE, DAY = date(2023, 12, 31), date(2024, 1, 1)
HEADER = "code,name,level,kind,block,parent,member_count,valid_from,valid_to"
CODE, LEVEL, KIND = "Mã đơn vị (code)", "Cấp (level)", "Loại (kind)"
PARENT, MEMBERS = "Mã đơn vị cấp trên (parent)", "Số đoàn viên (member_count)"
VALID_FROM = "Hiệu lực từ (valid_from)"
OUTSIDE = "Đơn vị nằm ngoài phạm vi đơn vị bạn quản lý."
UNREADABLE = "Không đọc được tệp: cần tệp XLSX hoặc CSV hợp lệ."

GOOD_LINES = [
    "T02-D001,Liên đoàn Lao động huyện Đồng Văn,2,district_federation,administrative,T02,",
    "T02-D001-C001,Công đoàn cơ sở xã Lũng Cú,3,grassroots,commune,T02-D001,1.250",
    # kind and block may be given by their Vietnamese names
    "T02-D001-C002,Công đoàn Trường THCS Đồng Văn,3,Công đoàn cơ sở,Trường học,T02-D001,40",
]
GOOD_HEADER = "code,name,level,kind,block,parent,member_count"


def csv_bytes(header: str, *lines: str) -> bytes:
    """A UTF-8 CSV file of `header` and `lines`."""
    return "\n".join([header, *lines]).encode()


def one_row(code: str, level: str = "3", parent: str = "T01-D018", members: str = "") -> bytes:
    """A file with one grassroots-looking row; the arguments are the cells a test varies."""
    return csv_bytes(
        HEADER, f"{code},Công đoàn cơ sở mới,{level},grassroots,enterprise,{parent},{members},,"
    )


def good_csv() -> bytes:
    return csv_bytes(GOOD_HEADER, *GOOD_LINES)


def exported_csv(**kwargs) -> bytes:
    return "".join(to_csv(export_rows(**kwargs))).encode()


@pytest.fixture
def admin(make_officer):
    return make_officer("quantri", "TLD", RoleKind.NATIONAL_ADMIN)


def assert_good_rows_created(result, national) -> None:
    assert result.issues == []
    assert (result.created, result.updated, result.moved, result.unchanged) == (3, 0, 0, 0)
    district = Unit.objects.get(code="T02-D001")
    assert codes(queries.children(district, DAY)) == ["T02-D001-C001", "T02-D001-C002"]
    assert queries.placement_on(district, DAY).parent.code == "T02"
    assert queries.placement_on(district, EVE) is None
    school = Unit.objects.get(code="T02-D001-C002")
    assert (school.kind, school.block, school.member_count) == ("grassroots", "school", 40)
    assert Unit.objects.get(code="T02-D001-C001").member_count == 1250
    assert Unit.objects.get(code="T02-D001").member_count == 1290
    assert Unit.objects.get(code="T02").member_count == 1290


def test_import_csv_creates_units_from_the_effective_day(national, admin):
    result = import_tree(good_csv(), filename="dong-van.csv", actor=admin, effective_on=DAY)

    assert_good_rows_created(result, national)
    entry = AuditEntry.objects.get(action="tree.import", actor=admin)
    assert (entry.actor, entry.object_id, entry.data) == (
        admin,
        "/",
        {"filename": "dong-van.csv", "created": 3, "updated": 0, "moved": 0},
    )


def test_import_csv_with_vietnamese_headers_and_semicolons(national, admin):
    header = "Mã đơn vị;Tên đơn vị;Cấp;Loại;Khối;Mã đơn vị cấp trên;Số đoàn viên"
    content = csv_bytes(header, *(line.replace(",", ";") for line in GOOD_LINES))

    result = import_tree(b"\xef\xbb\xbf" + content, actor=admin, effective_on=DAY)

    assert_good_rows_created(result, national)


def test_import_xlsx_works_like_csv(national, admin):
    # given the same rows in a workbook, numbers as number cells and a date as a date cell
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for line in GOOD_LINES:
        code, name, level, kind, block, parent, members = line.split(",")
        members = int(members.replace(".", "")) if members else None
        sheet.append([code, name, int(level), kind, block, parent, members, datetime(2024, 1, 1)])
    out = io.BytesIO()
    workbook.save(out)

    result = import_tree(out.getvalue(), filename="dong-van.xlsx", actor=admin, effective_on=DAY)

    assert_good_rows_created(result, national)


def test_import_bad_file_reports_every_problem_and_changes_nothing(national, admin, tree_counts):
    # given a file with a good district and rows wrong in every way
    content = csv_bytes(
        HEADER,
        "T02-D001,Liên đoàn Lao động huyện Đồng Văn,2,district_federation,administrative,T02,,,",
        "T02 D002,Mã có dấu cách,2,district_federation,administrative,T02,,,",
        "T02-D003,Cấp lạ,7,district_federation,administrative,T02,,,",
        "T02-D004,Loại sai cấp,2,province_federation,administrative,T02,,,",
        "T02-D005,Cấp trên không có,2,district_federation,administrative,T99,,,",
        "T02-D001-C001,Công đoàn cơ sở A,3,grassroots,commune,T02-D001,10,,",
        "T02-D001-C001,Công đoàn cơ sở A lặp,3,grassroots,commune,T02-D001,10,,",
        "T02-D001-C002,Ngày sai,3,grassroots,commune,T02-D001,10,31/02/2024,",
        "T02-D001-C003,Số đoàn viên chữ,3,grassroots,commune,T02-D001,mười,,",
        # under the row with the unknown level: judged once that row is fixed, not reported now
        "T02-D003-C001,Con của dòng cấp lạ,3,grassroots,commune,T02-D003,10,,",
    )
    before = tree_counts()

    # when it is imported
    result = import_tree(content, actor=admin, effective_on=DAY)

    # then the report lists each problem with its row and column, and nothing changed
    assert result.issues == [
        Issue(
            3,
            CODE,
            "Mã chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; tối đa 32 ký tự.",
        ),
        Issue(4, LEVEL, "Cấp phải là 0, 1, 2 hoặc 3 (đang là “7”)."),
        Issue(
            5,
            KIND,
            "Loại đơn vị không hợp với cấp 2 (được dùng: district_federation, "
            "industrial_zone_union, local_sector_union, other_direct_superior).",
        ),
        Issue(6, PARENT, "Không có đơn vị cấp trên mã T99 (trong tệp hoặc trong hệ thống)."),
        Issue(8, CODE, "Mã T02-D001-C001 trùng với dòng 7."),
        Issue(9, VALID_FROM, "Ngày không hợp lệ: “31/02/2024” (dùng dd/mm/yyyy)."),
        Issue(10, MEMBERS, "Số đoàn viên phải là số nguyên không âm: “mười”."),
    ]
    assert not result.ok
    assert (result.created, result.updated, result.moved) == (0, 0, 0)
    assert tree_counts() == before


@pytest.mark.parametrize(
    ("value", "members"), [("1250", 1250), ("1.250", 1250), ("1,250", 1250), ("0", 0), ("", 0)]
)
def test_import_reads_member_counts_grouped_by_thousands(national, admin, value, members):
    content = one_row("T01-D018-C030", members=f'"{value}"')

    result = import_tree(content, actor=admin)

    assert result.issues == []
    assert Unit.objects.get(code="T01-D018-C030").member_count == members


@pytest.mark.parametrize("value", ["12.5", "1.25", "-5", "mười", "²", "99999999999"])
def test_import_refuses_a_member_count_that_is_no_whole_number(national, admin, tree_counts, value):
    content = one_row("T01-D018-C030", members=value)
    before = tree_counts()

    result = import_tree(content, actor=admin)

    assert result.issues == [
        Issue(2, MEMBERS, f"Số đoàn viên phải là số nguyên không âm: “{value}”.")
    ]
    assert tree_counts() == before


@pytest.mark.parametrize("value", ["inf", "nan", "1.5", "hai", "-1", ""])
def test_import_refuses_a_level_that_is_not_0_to_3(national, admin, tree_counts, value):
    content = one_row("T01-D018-C030", level=value)
    before = tree_counts()

    result = import_tree(content, actor=admin)

    assert result.issues == [Issue(2, LEVEL, f"Cấp phải là 0, 1, 2 hoặc 3 (đang là “{value}”).")]
    assert tree_counts() == before


def test_import_file_without_a_required_column_is_refused(national, admin, tree_counts):
    content = csv_bytes(
        "code,name,level,kind,parent", "T02-D001,Đồng Văn,2,district_federation,T02"
    )
    before = tree_counts()

    result = import_tree(content, actor=admin)

    assert result.issues == [Issue(1, "Khối (block)", "Thiếu cột bắt buộc này ở dòng tiêu đề.")]
    assert tree_counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # a spreadsheet saved as "CSV" in the Windows code page
        (
            (
                HEADER + "\nT02-D001,Công ty Hòa Bình,2,district_federation,administrative,T02,,,"
            ).encode("cp1252"),
            "Tệp CSV phải được lưu với bảng mã UTF-8.",
        ),
        ((HEADER + "\n").encode("utf-16"), "Tệp CSV phải được lưu với bảng mã UTF-8."),
        (bytes(range(256)) * 8, UNREADABLE),
        (b"PK\x03\x04" + bytes(range(200)), UNREADABLE),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, UNREADABLE),  # an old .xls
        (b"", "Tệp không có dữ liệu."),
    ],
    ids=["windows-1252", "utf-16", "binary", "broken-zip", "xls", "empty"],
)
def test_import_unreadable_file_is_refused(national, admin, tree_counts, content, message):
    before = tree_counts()

    result = import_tree(content, filename="cay.csv", actor=admin)

    assert result.issues == [Issue(0, "Tệp", message)]
    assert tree_counts() == before


def test_import_within_a_subtree_refuses_rows_whose_parent_is_outside(
    national, make_officer, tree_counts
):
    # given the unit administrator of Gia Lâm, importing within Gia Lâm
    officer = make_officer("gialam", "T01-D018", RoleKind.UNIT_ADMIN)
    within = queries.placement_on(national["T01-D018"]).path
    content = csv_bytes(
        HEADER,
        "T01-D018-C030,Công đoàn cơ sở mới,3,grassroots,enterprise,T01-D018,20,,",
        "T01-D004-C001,Công đoàn ở Long Biên,3,grassroots,enterprise,T01-D004,20,,",
        "T01-D018-C001,Công đoàn Công ty TNHH điện Stanley Việt Nam,3,grassroots,enterprise,T01-D004,0,,",
        "T01,Liên đoàn Lao động Hà Nội đổi tên,1,province_federation,administrative,TLD,,,",
    )
    before = tree_counts()

    # when the file is imported
    result = import_tree(content, actor=officer, within=within)

    # then the rows reaching outside are refused, and so the whole file
    assert result.issues == [
        Issue(3, PARENT, OUTSIDE),
        Issue(4, PARENT, OUTSIDE),
        Issue(5, PARENT, OUTSIDE),
    ]
    assert tree_counts() == before


def test_import_within_a_subtree_accepts_its_own_export(national, make_officer, tree_counts):
    # given Gia Lâm's own export, whose first row names its parent Hà Nội
    officer = make_officer("gialam", "T01-D018", RoleKind.UNIT_ADMIN)
    within = queries.placement_on(national["T01-D018"]).path
    content = exported_csv(within=within)
    before = tree_counts()

    # when it is imported back by Gia Lâm's administrator
    result = import_tree(content, actor=officer, within=within)

    # then every row is unchanged
    assert result.issues == []
    assert (result.created, result.updated, result.moved, result.unchanged) == (0, 0, 0, 30)
    assert tree_counts() == before


def test_export_lists_parents_before_children(national):
    within = queries.placement_on(national["T01-D018"]).path

    rows = list(export_rows(within=within))

    assert ",".join(rows[0]) == (
        f"{CODE},Tên đơn vị (name),{LEVEL},{KIND},Khối (block),{PARENT},{MEMBERS},{VALID_FROM},"
        "Hiệu lực đến (valid_to)"
    )
    gia_lam = ["T01-D018", "Liên đoàn Lao động huyện Gia Lâm", 2, "district_federation"]
    stanley = ["T01-D018-C001", "Công đoàn Công ty TNHH điện Stanley Việt Nam", 3, "grassroots"]
    assert rows[1] == [*gia_lam, "administrative", "T01", 0, "", ""]
    assert rows[2] == [*stanley, "enterprise", "T01-D018", 0, "", ""]
    assert len(rows) == 31


def test_export_csv_starts_with_a_bom_for_excel(national):
    chunks = list(to_csv(export_rows(within=queries.placement_on(national["T01-D004"]).path)))

    assert chunks == [
        "\ufeff",
        "Mã đơn vị (code),Tên đơn vị (name),Cấp (level),Loại (kind),Khối (block),"
        "Mã đơn vị cấp trên (parent),Số đoàn viên (member_count),Hiệu lực từ (valid_from),"
        "Hiệu lực đến (valid_to)\r\n",
        "T01-D004,Liên đoàn Lao động quận Long Biên,2,district_federation,administrative,T01,0,,\r\n",
    ]


def test_export_xlsx_holds_the_same_rows(national):
    within = queries.placement_on(national["T01-D004"]).path

    workbook = load_workbook(io.BytesIO(to_xlsx(export_rows(within=within))), read_only=True)

    sheet = workbook.worksheets[0]
    assert sheet.title == "Cây tổ chức"
    # empty cells read back as None
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        [None if cell == "" else cell for cell in row] for row in export_rows(within=within)
    ]
    workbook.close()


FORMULA_NAME = '=HYPERLINK("x")'


def test_export_csv_leads_a_formula_like_name_with_an_apostrophe(national):
    # given a unit whose name a spreadsheet would read as a formula
    unit_update(unit=national["T01-D004"], name=FORMULA_NAME)
    within = queries.placement_on(national["T01-D004"]).path

    # when the subtree is exported as CSV
    text = exported_csv(within=within).decode("utf-8")

    # then the BOM comes first and the name is led by an apostrophe, so it stays text
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][:2] == ["T01-D004", "'" + FORMULA_NAME]


def test_a_guarded_csv_name_reimports_without_its_apostrophe(national):
    # given a unit whose name a spreadsheet would read as a formula, exported as CSV
    unit_update(unit=national["T01-D004"], name=FORMULA_NAME)
    within = queries.placement_on(national["T01-D004"]).path
    content = exported_csv(within=within)

    # when the file is read back
    rows, issues = parse(content, "cay.csv")

    # then the name is the unit's own, without the apostrophe the export put in front
    assert issues == []
    assert [row.name for row in rows if row.code == "T01-D004"] == [FORMULA_NAME]


def test_export_xlsx_writes_a_formula_like_name_as_a_string_cell(national):
    # given a unit whose name a spreadsheet would read as a formula
    unit_update(unit=national["T01-D004"], name=FORMULA_NAME)
    within = queries.placement_on(national["T01-D004"]).path

    # when the subtree is exported as XLSX
    workbook = load_workbook(io.BytesIO(to_xlsx(export_rows(within=within))))

    # then the name is a string cell holding the exact text, never a formula
    cell = workbook.worksheets[0]["B2"]
    assert workbook.worksheets[0]["A2"].value == "T01-D004"
    assert cell.data_type == "s"
    assert cell.value == FORMULA_NAME


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_of_an_export_is_a_no_op(national, admin, tree_counts, fmt):
    # given declared members rolled up (totals above the grassroots differ from the file's zeros)
    unit_update(unit=national["T01-D018-C001"], member_count=1200)
    refresh_member_totals()
    content = exported_csv() if fmt == "csv" else to_xlsx(export_rows())
    before = tree_counts()

    # when the export is imported again
    result = import_tree(content, actor=admin)

    # then nothing is created, updated, moved or written
    assert result.issues == []
    assert (result.created, result.updated, result.moved, result.unchanged) == (0, 0, 0, 116)
    assert tree_counts() == before
    assert Unit.objects.get(code="T01").member_count == 1200


def test_import_that_changes_a_parent_moves_the_unit_from_the_effective_day(national, admin):
    # given Gia Lâm's row with Hà Giang as its parent
    content = csv_bytes(
        HEADER,
        "T01-D018,Liên đoàn Lao động huyện Gia Lâm,2,district_federation,administrative,T02,0,,",
    )

    # when it is imported with effect from 1/1/2024
    result = import_tree(content, actor=admin, effective_on=DAY)

    # then Gia Lâm and its unions are under Hà Giang from that day, under Hà Nội before
    assert (result.created, result.updated, result.moved, result.unchanged) == (0, 0, 1, 0)
    gia_lam = national["T01-D018"]
    assert queries.placement_on(gia_lam, EVE).parent.code == "T01"
    assert queries.placement_on(gia_lam, DAY).parent.code == "T02"
    ha_giang = queries.placement_on(national["T02"], DAY).path
    assert len(queries.subtree(ha_giang, DAY)) == 31
    assert [e.action for e in AuditEntry.objects.order_by("id")][-2:] == [
        "unit.move",
        "tree.import",
    ]


def test_import_under_a_parent_created_later_starts_with_the_parent(national, make_unit, admin):
    # given a district that exists only from 1/1/2024
    make_unit("T02-D009", national["T02"], effective_on=DAY)
    content = one_row("T02-D009-C001", parent="T02-D009")

    # when the system (no actor) imports a union under it, with no start date
    result = import_tree(content, effective_on=date(2024, 6, 1))

    # then the union starts with its parent, never hanging under nothing on older days
    assert result.created == 1
    assert Unit.objects.get(code="T02-D009-C001").valid_from == DAY
    assert queries.placement_on(Unit.objects.get(code="T02-D009-C001"), EVE) is None
