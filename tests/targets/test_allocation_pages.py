"""The target pages: a unit's own target and its children's, the allocation table edited in place,
imported (upload → preview → confirm) and exported; who may see and who may change."""

import io
import re
from decimal import Decimal
from html import unescape

import pytest
from openpyxl import load_workbook

from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Unit
from sangkien.targets.enums import TargetKind
from sangkien.targets.models import Allocation
from sangkien.targets.tables import AllocationInput, allocation_replace, inputs_of
from tests.targets.seed004 import rows_to_xlsx, seed_xlsx

PROGRAM = "01-trieu-sang-kien"
PAGE = "/office/chi-tieu/T01-D018/?program=" + PROGRAM
EDIT = "/office/chi-tieu/T01-D018/sua/?program=" + PROGRAM
IMPORT = "/office/chi-tieu/T01-D018/nhap/?program=" + PROGRAM
EXPORT = "/office/chi-tieu/T01-D018/xuat.xlsx?program=" + PROGRAM
STANLEY = "T01-D018-C001"


@pytest.fixture
def program(programs):
    return programs[PROGRAM]


@pytest.fixture
def gialam_admin(national, make_officer):
    return make_officer("gialam", "T01-D018", "unit_admin")


@pytest.fixture
def admin_client(gialam_admin, client_for):
    return client_for(gialam_admin)


@pytest.fixture
def hanoi_gives_gialam(national, program, make_officer):
    """Hà Nội's table: Gia Lâm is asked for 60 initiatives in phase 1 and 30 in phase 2."""
    allocation_replace(
        actor=make_officer("hanoi", "T01", "unit_admin"),
        program=program,
        parent=national["T01"],
        rows=[
            AllocationInput(
                unit=national["T01-D018"],
                kind=TargetKind.ABSOLUTE,
                phase_values={1: Decimal(60), 2: Decimal(30)},
            )
        ],
    )


def gialam_table(program) -> list[tuple]:
    rows = Allocation.objects.filter(program=program, parent__code="T01-D018")
    return [row.key() for row in inputs_of(list(rows))]


def state(program) -> tuple:
    return (
        gialam_table(program),
        AuditEntry.objects.filter(action="targets.allocate").count(),
    )


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def rows_post(rows: list[dict], initial: int = 0) -> dict:
    """What the editor posts: the management form and each row's fields."""
    data = {
        "program": PROGRAM,
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(initial),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "2000",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"rows-{i}-{name}"] = value
    return data


COMMUNES = {"applies_to": "khoi:commune", "label": "Khối xã, thị trấn", "kind": "per_unit"}


# -- what the page shows -------------------------------------------------------------------------


def test_page_shows_the_own_target_its_source_the_children_and_the_shortfall(
    admin_client, program, gialam_admin, hanoi_gives_gialam, national
):
    allocation_replace(
        actor=gialam_admin,
        program=program,
        parent=national["T01-D018"],
        rows=[
            AllocationInput(
                label="Khối xã, thị trấn",
                block="commune",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(2), 2: Decimal(1)},
                participation_percent=Decimal(20),
            )
        ],
    )
    Unit.objects.filter(code="T01-D018-C008").update(member_count=1250)

    response = admin_client.get(PAGE)

    assert response.status_code == 200
    page = text(response)
    assert (
        "Theo dòng «Liên đoàn Lao động huyện Gia Lâm» trong bảng phân bổ của "
        "Liên đoàn Lao động thành phố Hà Nội." in page
    )
    assert (
        "Giai đoạn 1: các đơn vị trực thuộc được giao 44, chỉ tiêu của đơn vị là 60 — còn thiếu 16."
        in page
    )
    assert (
        "Giai đoạn 2: các đơn vị trực thuộc được giao 22, chỉ tiêu của đơn vị là 30 — còn thiếu 8."
        in page
    )
    assert (
        "Cả chương trình: các đơn vị trực thuộc được giao 66, chỉ tiêu của đơn vị là 90 — còn thiếu 24."
        in page
    )
    assert "7 đơn vị trực thuộc chưa có chỉ tiêu" in page
    yen_vien = re.search(r"<tr> <td><a [^>]*>Công đoàn cơ sở thị trấn Yên Viên</a>.*?</tr>", page)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", yen_vien.group(0))
    assert cells == ["Xã, phường, thị trấn", "1.250", "2", "1", "3", "20%", "Khối xã, thị trấn"]
    assert re.search(
        r"Cộng các đơn vị trực thuộc</th><td class=\"num\">44</td><td class=\"num\">22</td><td class=\"num\">66</td>",
        page,
    )


def test_page_has_no_warning_when_the_children_reach_the_target(
    admin_client, program, gialam_admin, hanoi_gives_gialam, national
):
    allocation_replace(
        actor=gialam_admin,
        program=program,
        parent=national["T01-D018"],
        rows=[
            AllocationInput(
                block="commune",
                kind=TargetKind.PER_UNIT,
                phase_values={1: Decimal(3), 2: Decimal(2)},
            )
        ],
    )

    response = admin_client.get(PAGE)

    assert response.context["view"].shortfalls == []
    assert "còn thiếu" not in text(response)


def test_a_unit_without_an_allocation_from_its_parent_says_so(admin_client, program):
    response = admin_client.get(PAGE)

    assert "Liên đoàn Lao động thành phố Hà Nội chưa giao chỉ tiêu cho đơn vị này." in text(
        response
    )


def test_the_source_links_to_the_parents_page_when_the_viewer_sees_it(
    program, hanoi_gives_gialam, make_officer, client_for
):
    hanoi = client_for(make_officer("hanoi-xem", "T01", "reviewer"))

    page = text(hanoi.get(PAGE))

    assert (
        "Theo dòng «Liên đoàn Lao động huyện Gia Lâm» trong bảng phân bổ của "
        f'<a href="/office/chi-tieu/T01/?program={PROGRAM}">Liên đoàn Lao động thành phố Hà Nội</a>.'
    ) in page


def test_the_federation_has_the_programmes_own_targets(national, program, make_officer, client_for):
    national_admin = client_for(make_officer("quantri", "TLD", "national_admin"))

    response = national_admin.get("/office/chi-tieu/TLD/?program=" + PROGRAM)

    assert response.context["view"].own.by_phase == {1: 300_000, 2: 700_000}
    page = text(response)
    assert "Chỉ tiêu toàn quốc của chương trình «" in page
    assert (
        '<td class="num">300.000</td><td class="num">700.000</td><td class="num">1.000.000</td>'
        in page
    )
    assert len(response.context["view"].children) == 83


def test_the_default_programme_is_the_most_recent_open_one(admin_client, program, open_program):
    assert admin_client.get("/office/chi-tieu/T01-D018/").context["program"] == open_program
    assert admin_client.get(PAGE).context["program"] == program


# -- editing in place ----------------------------------------------------------------------------


def test_admin_saves_the_table_through_the_form(admin_client, program, national):
    response = admin_client.post(
        EDIT,
        rows_post(
            [
                {**COMMUNES, "total": "02", "phase_1": "01", "phase_2": "01"},
                {
                    "applies_to": STANLEY,
                    "label": "",
                    "kind": "absolute",
                    "total": "1.000",
                    "phase_1": "600",
                    "phase_2": "400",
                    "participation": "12,5",
                },
                {"applies_to": "", "label": "", "kind": "per_unit"},  # a blank row is skipped
            ]
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert gialam_table(program) == [
        (
            "Khối xã, thị trấn",
            None,
            "commune",
            "per_unit",
            Decimal(2),
            {1: Decimal(1), 2: Decimal(1)},
            None,
        ),
        (
            "Công đoàn Công ty TNHH điện Stanley Việt Nam",
            national[STANLEY].pk,
            "",
            "absolute",
            Decimal(1000),
            {1: Decimal(600), 2: Decimal(400)},
            Decimal("12.5"),
        ),
    ]
    assert (
        AuditEntry.objects.filter(action="targets.allocate", actor__username="gialam").count() == 1
    )
    page = text(admin_client.get(PAGE))
    assert "Đã lưu bảng phân bổ chỉ tiêu của Liên đoàn Lao động huyện Gia Lâm (2 dòng)." in page


def test_the_editor_shows_the_saved_rows_and_a_row_can_be_deleted(admin_client, program):
    admin_client.post(
        EDIT,
        rows_post(
            [{**COMMUNES, "total": "2"}, {"applies_to": STANLEY, "kind": "absolute", "total": "7"}]
        ),
    )

    formset = admin_client.get(PAGE).context["formset"]
    assert [form.initial for form in formset.initial_forms] == [
        {
            "applies_to": "khoi:commune",
            "label": "Khối xã, thị trấn",
            "kind": "per_unit",
            "total": "2",
            "participation": "",
        },
        {
            "applies_to": STANLEY,
            "label": "Công đoàn Công ty TNHH điện Stanley Việt Nam",
            "kind": "absolute",
            "total": "7",
            "participation": "",
        },
    ]
    data = rows_post([{**form.initial} for form in formset.initial_forms], initial=2)
    data["rows-0-DELETE"] = "on"

    assert admin_client.post(EDIT, data).status_code == 302
    assert [row[0] for row in gialam_table(program)] == [
        "Công đoàn Công ty TNHH điện Stanley Việt Nam"
    ]


def test_the_editor_is_posted_to_not_opened(admin_client, program):
    response = admin_client.get(EDIT)

    assert (response.status_code, response["Location"]) == (302, PAGE)


def test_with_many_children_the_unit_is_typed_from_a_list_of_codes(
    admin_client, program, national, monkeypatch
):
    from sangkien.office import target_forms

    monkeypatch.setattr(target_forms, "SELECT_LIMIT", 2)

    html = admin_client.get(PAGE).content.decode()
    saved = admin_client.post(
        EDIT, rows_post([{"applies_to": "t01-d018-c001", "kind": "absolute", "total": "7"}])
    )

    assert '<datalist id="children-codes">' in html
    assert '<option value="T01-D018-C029">Công đoàn cơ sở xã Kim Lan</option>' in html
    assert 'list="children-codes"' in html
    assert saved.status_code == 302
    assert [row[1] for row in gialam_table(program)] == [national[STANLEY].pk]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({**COMMUNES, "total": "-5"}, "total", "Số không được âm."),
        ({**COMMUNES, "phase_1": "một"}, "phase_1", "«một» không phải là số."),
        (
            {**COMMUNES, "total": "2", "participation": "150"},
            "participation",
            "Tỷ lệ tham gia phải từ 0 đến 100 (%).",
        ),
        (
            {**COMMUNES, "total": "3", "phase_1": "1", "phase_2": "1"},
            "total",
            "Tổng số (3) khác tổng các giai đoạn (2).",
        ),
        (
            {**COMMUNES, "applies_to": "T01-D004", "total": "2"},
            "applies_to",
            "«T01-D004» không phải là mã một đơn vị trực thuộc.",
        ),
        (
            {**COMMUNES, "applies_to": "khoi:nha-may", "total": "2"},
            "applies_to",
            "Khối không hợp lệ.",
        ),
        ({**COMMUNES}, "total", "Nhập tổng số hoặc số theo từng giai đoạn."),
    ],
)
def test_a_bad_row_is_answered_next_to_its_field_with_what_was_typed(
    admin_client, program, gialam_admin, national, row, field, message
):
    allocation_replace(
        actor=gialam_admin,
        program=program,
        parent=national["T01-D018"],
        rows=[
            AllocationInput(unit=national[STANLEY], kind=TargetKind.ABSOLUTE, total=Decimal(700))
        ],
    )
    before = state(program)
    good = {"applies_to": STANLEY, "label": "Stanley", "kind": "absolute", "total": "800"}

    response = admin_client.post(EDIT, rows_post([good, row]))

    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<p class="error" id="id_rows-1-{field}_error">(.*?)</p>', html)
    assert unescape(error.group(1)) == message
    assert f'aria-describedby="id_rows-1-{field}_error"' in html
    assert 'name="rows-0-total" value="800"' in html  # what was typed stays
    for name, value in row.items():
        if name not in {"applies_to", "kind"} and value:
            assert f'name="rows-1-{name}" value="{value}"' in unescape(html)
    assert state(program) == before


def test_two_rows_for_one_child_are_refused_on_the_second(admin_client, program, national):
    response = admin_client.post(
        EDIT,
        rows_post(
            [
                {"applies_to": STANLEY, "kind": "absolute", "total": "7"},
                {"applies_to": STANLEY, "kind": "absolute", "total": "8"},
            ]
        ),
    )

    assert response.status_code == 200
    error = re.search(
        r'<p class="error" id="id_rows-1-applies_to_error">(.*?)</p>', response.content.decode()
    )
    assert (
        unescape(error.group(1))
        == "Đã có một dòng khác cho Công đoàn Công ty TNHH điện Stanley Việt Nam."
    )
    assert state(program) == ([], 0)


# -- import: upload → preview → confirm ----------------------------------------------------------


def upload(client, content, name="bang-phan-bo.xlsx"):
    data = io.BytesIO(content.getvalue() if hasattr(content, "getvalue") else content)
    data.name = name
    return client.post(IMPORT, {"program": PROGRAM, "file": data})


def test_seed_004_table_is_previewed_then_saved_when_the_officer_confirms(
    admin_client, program, national
):
    response = upload(admin_client, seed_xlsx())

    assert response.status_code == 200
    assert state(program) == ([], 0)  # the preview saves nothing
    page = text(response)
    assert "Dòng tiêu đề của bảng: dòng 7. Đọc được 11 dòng phân bổ." in page
    assert (
        '<td class="num">11</td><td>4</td><td>Khối doanh nghiệp</td> <td>Tiêu đề nhóm, bỏ qua</td>'
        in page
    )
    assert "Số thứ tự 4.6 trùng với dòng 17." in page
    assert (
        "Dòng ghi 152 đơn vị; hiện Liên đoàn Lao động huyện Gia Lâm có 0 đơn vị thuộc nhóm này"
        in page
    )
    assert "chênh lệch 3.818" in page
    result = response.context["result"]
    token = response.context["confirm_token"]
    assert f'<input type="hidden" name="confirm" value="{token}">' in page

    saved = admin_client.post(IMPORT, {"program": PROGRAM, "confirm": token})

    assert saved.status_code == 302
    assert saved["Location"] == PAGE
    assert gialam_table(program) == [row.key() for row in result.rows]
    entry = AuditEntry.objects.get(action="targets.allocate")
    assert (entry.actor.username, len(entry.data["rows"])) == ("gialam", 11)
    # A second click on the same confirmation finds nothing left to save.
    again = admin_client.post(IMPORT, {"program": PROGRAM, "confirm": token})
    assert "Bản xem trước này không còn dùng được; hãy tải tệp lên lại." in text(again)
    assert AuditEntry.objects.filter(action="targets.allocate").count() == 1
    stanley = next(
        line
        for line in admin_client.get(PAGE).context["view"].children
        if line.unit.code == STANLEY
    )
    assert stanley.target.by_phase == {1: 400, 2: 300}


def test_a_confirmation_is_checked_again_against_todays_tree(admin_client, program, national):
    from sangkien.orgs.queries import today
    from sangkien.orgs.services import unit_move

    token = upload(admin_client, seed_xlsx()).context["confirm_token"]
    unit_move(unit=national["T01-D018-C003"], new_parent=national["T01-D004"], effective_on=today())

    response = admin_client.post(IMPORT, {"program": PROGRAM, "confirm": token})

    assert response.status_code == 200
    assert (
        "Dòng 15: Công đoàn Công ty TNHH SX, DV, TM sản phẩm da Ladodda không trực thuộc "
        "Liên đoàn Lao động huyện Gia Lâm." in text(response)
    )
    assert state(program) == ([], 0)


def test_a_confirmation_of_another_units_preview_is_refused(
    admin_client, program, gialam_admin, national
):
    token = upload(admin_client, seed_xlsx()).context["confirm_token"]

    response = admin_client.post(
        "/office/chi-tieu/T01-D018-C001/nhap/?program=" + PROGRAM,
        {"program": PROGRAM, "confirm": token},
    )

    assert "Bản xem trước này không còn dùng được; hãy tải tệp lên lại." in text(response)
    assert not Allocation.objects.exists()


def test_a_table_too_long_for_the_page_is_edited_as_a_spreadsheet(
    admin_client, program, monkeypatch
):
    from sangkien.office import target_views

    monkeypatch.setattr(target_views, "EDITOR_MAX_ROWS", 1)
    admin_client.post(
        EDIT,
        rows_post(
            [{**COMMUNES, "total": "2"}, {"applies_to": STANLEY, "kind": "absolute", "total": "7"}]
        ),
    )

    response = admin_client.get(PAGE)

    assert response.context["formset"] is None
    page = text(response)
    assert (
        "Bảng có hơn 1 dòng nên không sửa trên trang: tải bảng về, sửa trong Excel rồi nhập lại."
        in page
    )
    assert (
        "<td>Khối xã, thị trấn</td><td>các đơn vị khối xã, phường, thị trấn</td><td>2 sáng kiến mỗi đơn vị, chia đều cho 2 giai đoạn</td>"
        in page
    )
    assert "Tải lên và xem trước" in page


def test_an_unknown_phase_column_is_reported_on_its_row_and_nothing_changes(admin_client, program):
    sheet = rows_to_xlsx(
        [
            ["TT", "Tên đơn vị", "Tổng số", "Giai đoạn 1", "Giai đoạn 2", "Giai đoạn 3"],
            ["1", "CĐ Công ty TNHH điện Stanley Việt Nam", "9", "3", "3", "3"],
        ]
    )

    response = upload(admin_client, sheet)

    assert response.status_code == 200
    assert "Chương trình 01 triệu sáng kiến không có giai đoạn 3." in text(response)
    assert "Không có dòng nào nhập được; chưa có gì thay đổi." in text(response)
    assert state(program) == ([], 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"TT,Ten don vi\n1,Stanley\n", "Không đọc được tệp: cần tệp Excel .xlsx."),
        (b"PK\x03\x04broken", "Không đọc được tệp: tệp .xlsx bị hỏng hoặc không phải Excel."),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_answered_next_to_the_file_field(
    admin_client, program, content, message
):
    response = upload(admin_client, content)

    assert response.status_code == 200
    error = re.search(r'<p class="error" id="id_file_error">(.*?)</p>', response.content.decode())
    assert unescape(error.group(1)) == message
    assert 'aria-invalid="true"' in response.content.decode()
    assert state(program) == ([], 0)


def test_a_file_too_big_is_answered_next_to_the_file_field(admin_client, program, monkeypatch):
    from sangkien.targets import tables

    monkeypatch.setattr(tables, "MAX_IMPORT_BYTES", 1048576)

    response = upload(admin_client, b"PK\x03\x04" + b"0" * 1048576)

    error = re.search(r'<p class="error" id="id_file_error">(.*?)</p>', response.content.decode())
    assert unescape(error.group(1)) == "Tệp quá lớn (tối đa 1 MB)."
    assert state(program) == ([], 0)


def test_export_downloads_the_table_for_anyone_who_sees_the_unit(
    national, program, gialam_admin, make_officer, client_for
):
    allocation_replace(
        actor=gialam_admin,
        program=program,
        parent=national["T01-D018"],
        rows=[
            AllocationInput(unit=national[STANLEY], kind=TargetKind.ABSOLUTE, total=Decimal(700))
        ],
    )
    reviewer = client_for(make_officer("xetduyet", "T01-D018", "reviewer"))

    response = reviewer.get(EXPORT)

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="chi-tieu-T01-D018-{PROGRAM}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=5, column=2).value == "Công đoàn Công ty TNHH điện Stanley Việt Nam"
    assert sheet.cell(row=5, column=3).value == 700


# -- who may -------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_table_but_may_not_change_it(
    national, program, gialam_admin, make_officer, client_for
):
    allocation_replace(
        actor=gialam_admin,
        program=program,
        parent=national["T01-D018"],
        rows=[
            AllocationInput(unit=national[STANLEY], kind=TargetKind.ABSOLUTE, total=Decimal(700))
        ],
    )
    reviewer = client_for(make_officer("xetduyet", "T01-D018", "reviewer"))
    before = state(program)

    page = reviewer.get(PAGE)
    edit = reviewer.post(EDIT, rows_post([{**COMMUNES, "total": "2"}]))
    preview = reviewer.post(IMPORT, {"program": PROGRAM, "file": seed_xlsx()})

    assert page.status_code == 200
    assert page.context["formset"] is None
    assert '<form method="post" action="/office/chi-tieu/T01-D018/sua/' not in page.content.decode()
    assert "700 sáng kiến" in text(page)
    assert (edit.status_code, preview.status_code) == (404, 404)
    assert reviewer.get(IMPORT).status_code == 404
    assert state(program) == before


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", PAGE), ("post", EDIT), ("get", IMPORT), ("post", IMPORT), ("get", EXPORT)],
)
@pytest.mark.parametrize("code", ["T01-D018", STANLEY, "T01"])
def test_an_officer_of_another_subtree_gets_404_and_nothing_changes(
    national, program, make_officer, client_for, method, url, code
):
    outsider = client_for(make_officer("longbien", "T01-D004", "unit_admin"))
    before = state(program)

    response = getattr(outsider, method)(
        url.replace("T01-D018", code), rows_post([{**COMMUNES, "total": "2"}])
    )

    assert response.status_code == 404
    assert state(program) == before


def test_an_unknown_unit_answers_the_same_404(admin_client):
    assert admin_client.get("/office/chi-tieu/KHONGCO/").status_code == 404


# -- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("n_children", [1, 3])
def test_page_query_count_is_the_same_for_1_and_3_children(
    national,
    program,
    make_officer,
    client_for,
    add_grassroots,
    django_assert_num_queries,
    n_children,
):
    officer = make_officer("longbien", "T01-D004", "unit_admin")
    add_grassroots("T01-D004", n_children)
    allocation_replace(
        actor=officer,
        program=program,
        parent=national["T01-D004"],
        rows=[
            AllocationInput(block="enterprise", kind=TargetKind.PER_UNIT, total=Decimal(2)),
            AllocationInput(
                unit=Unit.objects.get(code="T01-D004-C000"),
                kind=TargetKind.ABSOLUTE,
                total=Decimal(9),
            ),
        ],
    )
    client = client_for(officer)
    url = "/office/chi-tieu/T01-D004/?program=" + PROGRAM
    client.get(url)  # warm the session

    with django_assert_num_queries(15):
        response = client.get(url)

    assert len(response.context["view"].children) == n_children
    assert len(response.context["formset"].forms) == 2 + 3
