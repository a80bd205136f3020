"""The office pages of nộp hộ theo danh sách: template, upload, job progress and report, who sees a job."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sangkien.initiatives import bulk
from sangkien.initiatives.bulk_models import BulkImport, BulkMode, BulkStatus
from sangkien.initiatives.models import Initiative
from tests.conftest import STANLEY
from tests.initiatives.test_bulk import (
    MIXED_PROBLEMS,
    WRONG_PHONE,
    good_row,
    mixed_rows,
    xlsx,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = "/office/nop-theo-danh-sach/"
NOT_XLSX = (
    "Tệp không phải bảng tính Excel (.xlsx). Hãy tải tệp mẫu ở trang này, điền rồi lưu dưới "
    "dạng .xlsx."
)
HEADER = [
    "Họ và tên",
    "Số điện thoại",
    "Số CCCD/CMND",
    "Tỷ lệ đóng góp (%)",
    "Đồng tác giả 1: họ và tên",
    "Đồng tác giả 1: số điện thoại",
    "Đồng tác giả 1: số CCCD/CMND",
    "Đồng tác giả 1: tỷ lệ đóng góp (%)",
    "Đồng tác giả 2: họ và tên",
    "Đồng tác giả 2: số điện thoại",
    "Đồng tác giả 2: số CCCD/CMND",
    "Đồng tác giả 2: tỷ lệ đóng góp (%)",
    "Đồng tác giả 3: họ và tên",
    "Đồng tác giả 3: số điện thoại",
    "Đồng tác giả 3: số CCCD/CMND",
    "Đồng tác giả 3: tỷ lệ đóng góp (%)",
    "Mã đơn vị (CĐCS)",
    "Khối",
    "Đối tượng",
    "Loại giải pháp",
    "Tên sáng kiến",
    "Mô tả",
    "Ngày áp dụng",
    "Cấp công nhận",
    "Số văn bản công nhận",
    "Ngày công nhận",
    "Giá trị làm lợi (đồng)",
    "Lợi ích xã hội",
    "Đường dẫn Drive",
    "Không bảo hộ SHTT (Có/Không)",
    "Nội dung hợp pháp (Có/Không)",
    "Đồng ý xử lý dữ liệu cá nhân (Có/Không)",
]


@pytest.fixture
def bulk_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BULK_IMPORT_INLINE = True
    return settings


@pytest.fixture
def gialam(national, make_officer, bulk_settings):
    return make_officer("gialam", "T01-D018")


@pytest.fixture
def outside_code(add_grassroots):
    return add_grassroots("T01-D004", 1)[0].code


def xlsx_file(content: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def post_upload(client, program, content: bytes, mode=BulkMode.ROW_BY_ROW, name="danh-sach.xlsx"):
    return client.post(
        UPLOAD, {"program": program.code, "mode": mode, "file": xlsx_file(content, name)}
    )


def stored_files(tmp_path) -> list:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_template_has_the_header_the_lists_and_the_officers_units(gialam, open_program, client_for):
    response = client_for(gialam).get(f"/office/nop-theo-danh-sach/mau/{open_program.code}.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="mau-nop-theo-danh-sach-{open_program.code}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Sáng kiến", "Danh mục", "Đơn vị", "Hướng dẫn"]
    sheet = workbook["Sáng kiến"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    example = dict(zip(HEADER, rows[1], strict=True))
    assert example["Tên sáng kiến"].startswith("[Ví dụ – xoá dòng này] ")
    assert example["Mã đơn vị (CĐCS)"] == STANLEY
    assert example["Khối"] == "Doanh nghiệp"
    assert example["Ngày áp dụng"].date() >= open_program.eligible_from
    lists = list(workbook["Danh mục"].iter_rows(values_only=True))
    assert lists[0] == ("Danh mục", "Mã", "Tên")
    assert ("Khối", "doanh-nghiep", "Doanh nghiệp") in lists
    assert ("Khối", "khoi-co-quan", "Khối cơ quan") in lists
    assert ("Đối tượng", "can-bo-cong-doan", "Cán bộ công đoàn") in lists
    assert ("Loại giải pháp", "giai-phap-ky-thuat", "Giải pháp kỹ thuật") in lists
    assert ("Loại giải pháp", "de-tai-nghien-cuu-khoa-hoc", "Đề tài nghiên cứu khoa học") in lists
    assert ("Cấp công nhận", "council", "Hội đồng sáng kiến") in lists
    assert ("Cấp công nhận", "head", "Thủ trưởng cơ quan, đơn vị, doanh nghiệp") in lists
    assert len([row for row in lists if row[0] == "Loại giải pháp"]) == 7
    drop_downs = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert drop_downs["R2:R50001"] == "'Danh mục'!$C$2:$C$3"  # Khối
    assert len(drop_downs) == 7  # Khối, Đối tượng, Loại giải pháp, Cấp công nhận, 3 × Có/Không
    units = list(workbook["Đơn vị"].iter_rows(values_only=True))
    assert (STANLEY, "Công đoàn Công ty TNHH điện Stanley Việt Nam") in units


def test_template_of_an_unknown_programme_answers_404(gialam, client_for):
    assert client_for(gialam).get("/office/nop-theo-danh-sach/mau/khong-co.xlsx").status_code == 404


def test_the_filled_template_imports(gialam, open_program, client_for):
    """The template's own example row, with its mark removed, is a valid row."""
    client = client_for(gialam)
    content = client.get(f"/office/nop-theo-danh-sach/mau/{open_program.code}.xlsx").content
    workbook = load_workbook(io.BytesIO(content))
    title = workbook["Sáng kiến"].cell(row=2, column=HEADER.index("Tên sáng kiến") + 1)
    title.value = title.value.replace("[Ví dụ – xoá dòng này] ", "")
    output = io.BytesIO()
    workbook.save(output)

    response = post_upload(client, open_program, output.getvalue())

    job = BulkImport.objects.get()
    assert response.status_code == 302
    assert (job.rows_stored, job.rows_refused) == (1, 0), job.report
    initiative = Initiative.objects.get()
    assert [(a.full_name, a.share) for a in initiative.authors.order_by("position")] == [
        ("Nguyễn Thị Lan", 70),
        ("Trần Văn Minh", 30),
    ]


def test_upload_runs_and_the_job_page_shows_the_report(
    gialam, open_program, outside_code, client_for
):
    client = client_for(gialam)

    response = post_upload(client, open_program, xlsx(mixed_rows(open_program, outside_code)))

    job = BulkImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/office/nop-theo-danh-sach/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert '<progress id="bulk-progress" max="7" value="7">' in page
    assert "Đã xử lý 7/7 dòng" in page
    assert '<td class="num" id="rows-stored">2</td>' in page
    assert '<td class="num" id="rows-refused">5</td>' in page
    for problem in MIXED_PROBLEMS:
        assert (
            f'<td class="num">{problem["row"]}</td><td>{problem["column"]}</td>'
            f'<td class="error">{problem["message"]}</td>'
        ) in page
    receipt = Initiative.objects.get(idempotency_key=f"bulk:{job.pk}:2").receipt_display
    assert f"Đã ghi, mã biên nhận {receipt}" in page
    assert f"/office/nop-theo-danh-sach/{job.pk}/bao-cao.xlsx" in page


def test_all_or_nothing_page_says_nothing_was_stored(
    gialam, open_program, outside_code, client_for
):
    client = client_for(gialam)

    response = post_upload(
        client, open_program, xlsx(mixed_rows(open_program, outside_code)), BulkMode.ALL_OR_NOTHING
    )

    page = client.get(response["Location"]).content.decode()
    assert Initiative.objects.count() == 0
    assert "Tệp còn dòng lỗi nên chưa ghi dòng nào" in page
    assert '<td class="num" id="rows-stored">0</td>' in page


def test_a_pdf_named_xlsx_is_refused_next_to_the_file_field(
    gialam, open_program, client_for, tmp_path
):
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

    response = post_upload(client_for(gialam), open_program, pdf, name="danh-sach.xlsx")

    assert response.status_code == 422
    assert f'<p class="error" id="file-error">{NOT_XLSX}</p>' in response.content.decode()
    assert BulkImport.objects.count() == 0
    assert Initiative.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_a_zip_that_is_no_workbook_is_refused(gialam, open_program, client_for, tmp_path):
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "xin chào")

    response = post_upload(client_for(gialam), open_program, output.getvalue())

    assert response.status_code == 422
    assert f'<p class="error" id="file-error">{NOT_XLSX}</p>' in response.content.decode()
    assert BulkImport.objects.count() == 0
    assert stored_files(tmp_path) == []


def test_a_file_over_the_size_limit_is_refused(gialam, open_program, client_for, bulk_settings):
    bulk_settings.BULK_IMPORT_MAX_BYTES = 1048576

    response = post_upload(client_for(gialam), open_program, b"PK\x03\x04" + b"\0" * 1100000)

    assert response.status_code == 422
    assert (
        '<p class="error" id="file-error">Tệp quá lớn (tối đa 1 MB); hãy chia thành nhiều tệp.</p>'
        in response.content.decode()
    )
    assert BulkImport.objects.count() == 0


def test_a_closed_programme_is_refused_next_to_the_programme(gialam, programs, client_for):
    program = programs["01-trieu-sang-kien"]

    response = post_upload(client_for(gialam), program, xlsx([good_row(program)]))

    assert response.status_code == 422
    assert (
        '<p class="error" id="program-error">Chương trình đã hết thời gian nhận sáng kiến '
        "(hạn cuối: trước 24h00 01/09/2023).</p>"
    ) in response.content.decode()
    assert BulkImport.objects.count() == 0


def test_a_missing_file_and_mode_are_asked_for(gialam, open_program, client_for):
    response = client_for(gialam).post(UPLOAD, {"program": open_program.code})

    page = response.content.decode()
    assert response.status_code == 422
    assert '<p class="error" id="file-error">Chọn tệp danh sách.</p>' in page
    assert "Chọn cách ghi." in page
    assert BulkImport.objects.count() == 0


def test_a_running_job_page_refreshes_itself_and_polls(
    gialam, open_program, client_for, bulk_settings
):
    bulk_settings.BULK_IMPORT_INLINE = False  # the thread would start on commit: never here
    client = client_for(gialam)
    post_upload(client, open_program, xlsx([good_row(open_program)] * 3))
    job = BulkImport.objects.get()

    page = client.get(f"/office/nop-theo-danh-sach/{job.pk}/").content.decode()
    status = client.get(f"/office/nop-theo-danh-sach/{job.pk}/trang-thai/").json()

    assert job.status == BulkStatus.QUEUED
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert '<progress id="bulk-progress" max="3" value="0">0%</progress>' in page
    assert "Đã xử lý 0/3 dòng" in page
    assert f'data-status-url="/office/nop-theo-danh-sach/{job.pk}/trang-thai/"' in page
    assert "/static/js/bulk.js" in page
    assert status == {
        "status": "queued",
        "status_label": "Đang chờ xử lý",
        "finished": False,
        "rows_total": 3,
        "rows_done": 0,
        "rows_stored": 0,
        "rows_refused": 0,
        "percent": 0,
        "text": "Đã xử lý 0/3 dòng",
    }
    assert client.get(f"/office/nop-theo-danh-sach/{job.pk}/bao-cao.xlsx").status_code == 404


def test_status_after_the_run(gialam, open_program, client_for):
    client = client_for(gialam)
    post_upload(client, open_program, xlsx([good_row(open_program), good_row(open_program)]))
    job = BulkImport.objects.get()

    status = client.get(f"/office/nop-theo-danh-sach/{job.pk}/trang-thai/").json()

    assert status["status"] == "done"
    assert status["finished"] is True
    assert (status["rows_done"], status["rows_stored"], status["percent"]) == (2, 2, 100)


def test_report_download_adds_the_result_column(gialam, open_program, client_for):
    client = client_for(gialam)
    rows = [good_row(open_program), good_row(open_program, author_phone="12")]
    post_upload(client, open_program, xlsx(rows))
    job = BulkImport.objects.get()

    response = client.get(f"/office/nop-theo-danh-sach/{job.pk}/bao-cao.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    result = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    receipt = Initiative.objects.get().receipt_display
    assert [row[-1] for row in result] == [
        "Kết quả",
        f"Đã ghi, mã biên nhận {receipt}",
        f"Số điện thoại: {WRONG_PHONE}",
    ]


@pytest.mark.parametrize(
    "path", ["/", "/trang-thai/", "/bao-cao.xlsx"], ids=["page", "status", "report"]
)
def test_another_officer_gets_404_for_a_job(gialam, open_program, make_officer, client_for, path):
    post_upload(client_for(gialam), open_program, xlsx([good_row(open_program)]))
    job = BulkImport.objects.get()
    # Even an officer of the same district who could see the unit: a job is its uploader's.
    colleague = client_for(make_officer("dongnghiep", "T01-D018", "unit_admin"))
    before = (
        BulkImport.objects.values_list("status", "rows_done").get(),
        Initiative.objects.count(),
    )

    response = colleague.get(f"/office/nop-theo-danh-sach/{job.pk}{path}")

    assert response.status_code == 404
    assert (
        BulkImport.objects.values_list("status", "rows_done").get(),
        Initiative.objects.count(),
    ) == before


def test_a_national_admin_sees_any_job(gialam, open_program, make_officer, client_for):
    post_upload(client_for(gialam), open_program, xlsx([good_row(open_program)]))
    job = BulkImport.objects.get()
    admin = client_for(make_officer("quantri", "TLD", "national_admin"))

    assert admin.get(f"/office/nop-theo-danh-sach/{job.pk}/").status_code == 200


def test_a_signed_in_user_without_a_role_gets_404(national, bulk_settings, client_for):
    from sangkien.accounts.services import officer_create

    nobody = officer_create(username="khongvaitro", password="mat-khau-dai-du-2026", full_name="X")

    assert client_for(nobody).get(UPLOAD).status_code == 404


def _job(officer, program, rows: int) -> BulkImport:
    return bulk.bulk_upload(
        officer=officer,
        program=program,
        mode=BulkMode.ROW_BY_ROW,
        content=xlsx([good_row(program, author_phone="12")] * rows),
        original_name="danh-sach.xlsx",
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_job_page_queries_do_not_grow_with_the_report(
    gialam, open_program, client_for, django_assert_num_queries, rows
):
    job = _job(gialam, open_program, rows)
    client = client_for(gialam)

    with django_assert_num_queries(3):  # session, officer, job with its programme
        response = client.get(f"/office/nop-theo-danh-sach/{job.pk}/")

    assert response.status_code == 200
    assert response.content.decode().count(WRONG_PHONE) == rows


@pytest.mark.parametrize("jobs", [1, 3])
def test_upload_page_queries_do_not_grow_with_the_list(
    gialam, open_program, client_for, django_assert_num_queries, jobs
):
    for _i in range(jobs):
        _job(gialam, open_program, 1)
    client = client_for(gialam)

    # session, officer, roles, its unit's placement, programmes with phases, options, quotas, jobs
    with django_assert_num_queries(9):
        response = client.get(UPLOAD)

    page = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<a href="/office/nop-theo-danh-sach/\d+/">', page)) == jobs
    assert f'href="/office/nop-theo-danh-sach/mau/{open_program.code}.xlsx"' in page
