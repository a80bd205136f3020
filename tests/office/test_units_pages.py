"""The office pages of the tree: a unit with its children and history, import and export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Unit


@pytest.fixture
def gialam(national, make_officer, client_for):
    return client_for(make_officer("gialam", "T01-D018", "unit_admin"))


def test_unit_page_lists_children_and_breadcrumb(gialam):
    response = gialam.get("/office/don-vi/T01-D018/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Liên đoàn Lao động huyện Gia Lâm" in html
    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam" in html
    assert "Liên đoàn Lao động thành phố Hà Nội" in html  # the chain above, shown unlinked
    assert 'href="/office/don-vi/T01/' not in html


@pytest.mark.parametrize("n_children", [1, 3])
def test_unit_page_query_count_does_not_grow_with_children(
    national, make_officer, client_for, django_assert_num_queries, add_grassroots, n_children
):
    client = client_for(make_officer("longbien", "T01-D004", "unit_admin"))
    add_grassroots("T01-D004", n_children)
    client.get("/office/don-vi/T01-D004/")  # warm the session

    with django_assert_num_queries(14):
        response = client.get("/office/don-vi/T01-D004/")

    assert response.content.decode().count("Công đoàn cơ sở ") == n_children


def test_export_csv_is_the_subtree_with_vietnamese_headers(gialam):
    response = gialam.get("/office/don-vi/T01-D018/xuat.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0].startswith("Mã đơn vị (code),Tên đơn vị (name),Cấp (level)")
    assert lines[1].startswith("T01-D018,Liên đoàn Lao động huyện Gia Lâm,2,district_federation")
    assert any(line.startswith("T01-D018-C001,") for line in lines)
    assert not any(line.startswith("T01,") for line in lines)


def test_export_xlsx_opens_with_the_same_rows(gialam):
    response = gialam.get("/office/don-vi/T01-D018/xuat.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[1][:3] == ("T01-D018", "Liên đoàn Lao động huyện Gia Lâm", 2)
    assert len(rows) == 1 + Unit.objects.filter(code__startswith="T01-D018").count()


def test_import_page_creates_units_and_says_how_many(gialam):
    content = "code,name,level,kind,block,parent,member_count\nT01-D018-C900,Công đoàn Trường Mầm non Hoa Sữa,3,grassroots,school,T01-D018,42\n"
    upload = SimpleUploadedFile("cay.csv", content.encode())

    response = gialam.post(
        "/office/don-vi/T01-D018/nhap/", {"file": upload, "effective_on": ""}, follow=True
    )

    assert (
        "Đã nhập: 1 đơn vị mới, 0 cập nhật, 0 chuyển đơn vị cấp trên, 0 không đổi."
        in response.content.decode()
    )
    created = Unit.objects.get(code="T01-D018-C900")
    assert created.member_count == 42
    assert Unit.objects.get(code="T01-D018").member_count == 42


def test_import_page_shows_the_row_report_and_changes_nothing(gialam):
    content = (
        "code,name,level,kind,block,parent\n"
        "T01-D018-C900,Công đoàn A,3,grassroots,enterprise,T01-D018\n"
        "T01-D018-C901,Công đoàn B,7,grassroots,enterprise,T01-D018\n"
    )
    before = (Unit.objects.count(), AuditEntry.objects.count())

    response = gialam.post(
        "/office/don-vi/T01-D018/nhap/", {"file": SimpleUploadedFile("cay.csv", content.encode())}
    )
    html = response.content.decode()

    assert response.status_code == 422
    assert "Tệp có 1 lỗi; chưa có thay đổi nào được ghi." in html
    assert "Cấp phải là 0, 1, 2 hoặc 3 (đang là “7”)." in html
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before


def test_import_without_file_says_so_next_to_the_field(gialam):
    response = gialam.post("/office/don-vi/T01-D018/nhap/", {})

    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()


def test_tree_on_a_date_before_a_move_shows_the_old_parent(national, make_officer, client_for):
    from datetime import date

    from sangkien.orgs.services import unit_move

    client = client_for(make_officer("hanoi", "T01", "unit_admin"))
    unit_move(
        unit=national["T01-D018-C001"],
        new_parent=national["T01-D004"],
        effective_on=date(2026, 1, 1),
    )

    before = client.get("/office/don-vi/T01-D018/?on=2025-12-31").content.decode()
    after = client.get("/office/don-vi/T01-D018/?on=2026-01-01").content.decode()

    assert "Stanley" in before
    assert "Stanley" not in after
