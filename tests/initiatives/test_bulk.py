"""Nộp hộ theo danh sách: reading a sheet, the same rules as the form, both modes, re-runs, 10,000 rows."""

import io
import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from sangkien.common.models import AuditEntry
from sangkien.initiatives import bulk
from sangkien.initiatives.bulk_models import BulkImport, BulkMode, BulkStatus
from sangkien.initiatives.enums import Channel
from sangkien.initiatives.models import Author, Initiative
from sangkien.orgs.queries import today
from tests.conftest import STANLEY

WRONG_PHONE = (
    "Số điện thoại di động không hợp lệ: cần 10 chữ số bắt đầu bằng đầu số di động Việt Nam, "
    "ví dụ 0912 345 678 hoặc +84 912 345 678."
)
TOO_LONG = (
    "Phần mô tả dài 2001 ký tự, vượt quá giới hạn 2000 ký tự của chương trình. "
    "Vui lòng rút gọn 1 ký tự."
)
UNKNOWN_UNIT = "Không tìm thấy đơn vị này; hãy chọn lại nơi công tác."
OUTSIDE = "Đơn vị này nằm ngoài phạm vi bạn phụ trách."
SHARES = "Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 90%)."


def applied_on(program) -> date:
    return max(program.eligible_from, today() - timedelta(days=10))


def good_row(program, **overrides) -> dict:
    """One row that passes every check, keyed by the form's field names, as an officer types it."""
    day = applied_on(program)
    row = {
        "author_full_name": "Nguyễn Thị Lan",
        "author_phone": "0912 345 678",
        "author_id_number": "001190012345",
        "unit": STANLEY,
        "block": "Doanh nghiệp",
        "target_group": "Công nhân lao động trong các doanh nghiệp sản xuất, kinh doanh",
        "kind": "Giải pháp kỹ thuật",
        "title": "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp",
        "description": "Thay đồ gá cũ bằng đồ gá định vị nhanh, giảm 20% thời gian lắp ráp.",
        "first_applied_on": day,
        "recognized_by": "Hội đồng sáng kiến",
        "recognition_number": "15/QĐ-HĐSK",
        "recognition_date": day.strftime("%d/%m/%Y"),
        "benefit_vnd": 150_000_000,
        "not_ip_protected": "Có",
        "lawful": "Có",
        "consent": "Có",
    }
    row.update(overrides)
    return row


def xlsx(rows: list[dict], *, write_only: bool = False) -> bytes:
    """A file with the template's header and these rows (row 2 onwards)."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Sáng kiến") if write_only else workbook.active
    if not write_only:
        sheet.title = "Sáng kiến"
    sheet.append([column.title for column in bulk.COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key) for column in bulk.COLUMNS])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def mixed_rows(program, outside_code: str) -> list[dict]:
    return [
        good_row(program),  # 2
        good_row(program, author_phone="0123 456"),  # 3
        good_row(program, description="a" * 2001),  # 4
        good_row(program, unit="KHONG-CO"),  # 5
        good_row(program, unit=outside_code),  # 6
        good_row(  # 7
            program,
            author_share=60,
            **{"coauthors-0-full_name": "Trần Văn Minh", "coauthors-0-share": 30},
        ),
        good_row(  # 8
            program,
            title="Sắp xếp lại kho vật tư theo mã màu",
            author_share=70,
            **{
                "coauthors-0-full_name": "Trần Văn Minh",
                "coauthors-0-phone": "0987654321",
                "coauthors-0-share": 30,
            },
        ),
    ]


MIXED_PROBLEMS = [
    {"row": 3, "column": "Số điện thoại", "message": WRONG_PHONE},
    {"row": 4, "column": "Mô tả", "message": TOO_LONG},
    {"row": 5, "column": "Mã đơn vị (CĐCS)", "message": UNKNOWN_UNIT},
    {"row": 6, "column": "Mã đơn vị (CĐCS)", "message": OUTSIDE},
    {"row": 7, "column": "Tỷ lệ đóng góp (%)", "message": SHARES},
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
    return add_grassroots("T01-D004", 1)[0].code  # a grassroots union of Long Biên


def upload(officer, program, rows, mode=BulkMode.ROW_BY_ROW, name="danh-sach.xlsx") -> BulkImport:
    content = rows if isinstance(rows, bytes) else xlsx(rows)
    job = bulk.bulk_upload(
        officer=officer, program=program, mode=mode, content=content, original_name=name
    )
    job.refresh_from_db()
    return job


def test_row_by_row_stores_good_rows_and_reports_the_form_messages(
    gialam, open_program, outside_code
):
    job = upload(gialam, open_program, mixed_rows(open_program, outside_code))

    stored = list(Initiative.objects.order_by("idempotency_key"))
    assert [i.idempotency_key for i in stored] == [f"bulk:{job.pk}:2", f"bulk:{job.pk}:8"]
    assert {i.channel for i in stored} == {Channel.BULK}
    assert {i.submitted_by_id for i in stored} == {gialam.pk}
    receipts = {i.idempotency_key: i.receipt_display for i in stored}
    assert job.status == BulkStatus.DONE
    assert (job.rows_total, job.rows_done, job.rows_stored, job.rows_refused) == (7, 7, 2, 5)
    assert job.report == [
        {"row": 2, "receipt": receipts[f"bulk:{job.pk}:2"]},
        *MIXED_PROBLEMS,
        {"row": 8, "receipt": receipts[f"bulk:{job.pk}:8"]},
    ]
    eighth = Initiative.objects.get(idempotency_key=f"bulk:{job.pk}:8")
    authors = list(eighth.authors.order_by("position"))
    assert [(a.full_name, a.share, a.phone()) for a in authors] == [
        ("Nguyễn Thị Lan", 70, "0912345678"),
        ("Trần Văn Minh", 30, "0987654321"),
    ]
    assert job.started_at is not None and job.finished_at is not None


def test_all_or_nothing_stores_nothing_when_a_row_is_wrong(gialam, open_program, outside_code):
    job = upload(
        gialam, open_program, mixed_rows(open_program, outside_code), BulkMode.ALL_OR_NOTHING
    )

    assert Initiative.objects.count() == 0
    assert Author.objects.count() == 0
    assert job.status == BulkStatus.DONE
    assert (job.rows_done, job.rows_stored, job.rows_refused) == (7, 0, 5)
    assert job.report == MIXED_PROBLEMS


def test_all_or_nothing_stores_every_row_when_all_are_right(gialam, open_program):
    rows = [good_row(open_program), good_row(open_program, title="Tiết kiệm điện chiếu sáng")]

    job = upload(gialam, open_program, rows, BulkMode.ALL_OR_NOTHING)

    assert Initiative.objects.count() == 2
    assert (job.status, job.rows_stored, job.rows_refused) == (BulkStatus.DONE, 2, 0)
    assert [entry["row"] for entry in job.report] == [2, 3]


def test_rerunning_a_job_stores_nothing_more(gialam, open_program, outside_code):
    job = upload(gialam, open_program, mixed_rows(open_program, outside_code))
    first_report = job.report
    # The process "died" while running: the job is left running with an old heartbeat.
    BulkImport.objects.filter(pk=job.pk).update(
        status=BulkStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )

    again = bulk.run_bulk_import(job.pk, stale_after=timedelta(minutes=15))

    assert Initiative.objects.count() == 2
    assert again.status == BulkStatus.DONE
    assert again.report == first_report
    assert (again.rows_stored, again.rows_refused) == (2, 5)


def test_a_finished_or_live_job_is_not_run_again(gialam, open_program):
    job = upload(gialam, open_program, [good_row(open_program)])

    assert bulk.run_bulk_import(job.pk) is None
    BulkImport.objects.filter(pk=job.pk).update(
        status=BulkStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert bulk.run_bulk_import(job.pk, stale_after=timedelta(minutes=15)) is None
    assert Initiative.objects.count() == 1


def test_command_runs_queued_jobs_and_resumes_stale_ones(
    gialam, open_program, bulk_settings, capsys
):
    bulk_settings.BULK_IMPORT_INLINE = False  # the thread starts on commit, never in a test
    queued = upload(gialam, open_program, [good_row(open_program)])
    assert queued.status == BulkStatus.QUEUED
    assert Initiative.objects.count() == 0

    call_command("run_bulk_imports")

    queued.refresh_from_db()
    assert queued.status == BulkStatus.DONE
    assert Initiative.objects.filter(idempotency_key=f"bulk:{queued.pk}:2").count() == 1
    assert f"#{queued.pk}: Đã xong, 1 dòng đã ghi, 0 dòng lỗi / 1." in capsys.readouterr().out


def test_codes_and_names_are_both_accepted(gialam, open_program):
    rows = [
        good_row(
            open_program,
            block="doanh-nghiep",
            target_group="cong-nhan-doanh-nghiep",
            kind="giai-phap-quan-ly",
            recognized_by="council",
        ),
        good_row(
            open_program,
            title="Bảng theo dõi ca làm việc",
            block="DOANH NGHIEP",
            target_group="cong nhan lao dong trong cac doanh nghiep san xuat, kinh doanh",
            kind="giải pháp QUẢN LÝ",
            recognized_by="Thủ trưởng",
        ),
    ]

    job = upload(gialam, open_program, rows)

    assert (job.rows_stored, job.rows_refused) == (2, 0)
    stored = Initiative.objects.order_by("idempotency_key")
    assert [(i.block, i.target_group, i.kind, i.recognized_by) for i in stored] == [
        ("doanh-nghiep", "cong-nhan-doanh-nghiep", "giai-phap-quan-ly", "council"),
        ("doanh-nghiep", "cong-nhan-doanh-nghiep", "giai-phap-quan-ly", "head"),
    ]


def test_an_unknown_option_gets_the_form_message(gialam, open_program):
    job = upload(gialam, open_program, [good_row(open_program, kind="Giải pháp bí mật")])

    assert job.report == [
        {
            "row": 2,
            "column": "Loại giải pháp",
            "message": "Chọn một trong các loại giải pháp của chương trình.",
        }
    ]
    assert Initiative.objects.count() == 0


def test_excel_dates_text_dates_and_numbers_are_all_accepted(gialam, open_program):
    day = applied_on(open_program)
    rows = [
        good_row(open_program, first_applied_on=day, recognition_date=day),
        good_row(
            open_program,
            title="Ngày ghi bằng chữ",
            first_applied_on=day.strftime("%d/%m/%Y"),
            recognition_date=day.strftime("%-d/%-m/%Y"),
        ),
        good_row(
            open_program,
            title="Số điện thoại và CCCD Excel lưu thành số",
            author_phone=912345678,
            author_id_number=1190012345,
            benefit_vnd="150.000.000",
        ),
    ]

    job = upload(gialam, open_program, rows)

    assert (job.rows_stored, job.rows_refused) == (3, 0)
    assert {i.first_applied_on for i in Initiative.objects.all()} == {day}
    assert {i.recognition_date for i in Initiative.objects.all()} == {day}
    third = Initiative.objects.get(idempotency_key=f"bulk:{job.pk}:4")
    assert (third.lead.phone(), third.lead.id_number()) == ("0912345678", "001190012345")
    assert third.benefit_vnd == 150_000_000


def test_an_unticked_declaration_gets_the_form_message(gialam, open_program):
    job = upload(gialam, open_program, [good_row(open_program, consent="Không")])

    assert job.report == [
        {
            "row": 2,
            "column": "Đồng ý xử lý dữ liệu cá nhân (Có/Không)",
            "message": (
                "Cần đồng ý cho xử lý dữ liệu cá nhân để nộp sáng kiến; nếu không đồng ý, bạn có "
                "thể nhờ công đoàn cơ sở hướng dẫn."
            ),
        }
    ]


def test_a_template_left_empty_has_no_data_rows(gialam, open_program):
    with pytest.raises(bulk.SheetError) as refused:
        bulk.read_sheet(bulk.template_workbook(open_program, [(STANLEY, "Stanley")]))

    assert refused.value.message == "Tệp không có dòng dữ liệu nào (dòng 1 là dòng tiêu đề)."


def test_blank_rows_keep_excel_row_numbers(gialam, open_program):
    rows = [good_row(open_program), {}, good_row(open_program, author_phone="12")]

    job = upload(gialam, open_program, rows)

    assert job.rows_total == 2
    assert job.report[1] == {"row": 4, "column": "Số điện thoại", "message": WRONG_PHONE}


def test_a_sheet_without_the_required_columns_is_refused(gialam, open_program):
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Số điện thoại"])
    workbook.active.append(["Nguyễn Thị Lan", "0912345678"])
    output = io.BytesIO()
    workbook.save(output)

    with pytest.raises(bulk.SheetError) as refused:
        upload(gialam, open_program, output.getvalue())

    assert refused.value.message.startswith(
        "Dòng tiêu đề thiếu cột: Số CCCD/CMND, Mã đơn vị (CĐCS), Khối, Đối tượng,"
    )
    assert BulkImport.objects.count() == 0


def test_more_rows_than_the_limit_are_refused(gialam, open_program, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_ROWS", 2)

    with pytest.raises(bulk.SheetError) as refused:
        upload(gialam, open_program, [good_row(open_program)] * 3)

    assert refused.value.message == "Tệp có hơn 2 dòng dữ liệu; hãy chia thành nhiều tệp."
    assert BulkImport.objects.count() == 0


def test_a_closed_programme_refuses_the_upload(gialam, programs):
    program = programs["01-trieu-sang-kien"]

    with pytest.raises(bulk.SubmissionRefused) as refused:
        upload(gialam, program, [good_row(program)])

    assert refused.value.message == (
        "Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước 24h00 01/09/2023)."
    )
    assert BulkImport.objects.count() == 0


def test_the_report_workbook_adds_the_result_column(gialam, open_program, outside_code):
    job = upload(gialam, open_program, mixed_rows(open_program, outside_code))

    sheet = load_workbook(io.BytesIO(bulk.report_workbook(job))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][-1] == "Kết quả"
    assert rows[0][:-1] == tuple(column.title for column in bulk.COLUMNS)
    receipt = Initiative.objects.get(idempotency_key=f"bulk:{job.pk}:2").receipt_display
    assert rows[1][-1] == f"Đã ghi, mã biên nhận {receipt}"
    assert rows[2][-1] == f"Số điện thoại: {WRONG_PHONE}"
    assert rows[2][0] == "Nguyễn Thị Lan"
    assert len(rows) == 8


def test_the_upload_and_the_end_are_audited(gialam, open_program):
    job = upload(gialam, open_program, [good_row(open_program)])

    actions = list(
        AuditEntry.objects.filter(object_id=str(job.pk), action__startswith="bulk.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["bulk.upload", "bulk.finish"]


def test_ten_thousand_rows_row_by_row(gialam, open_program):
    """Performance is printed, not asserted (CONVENTIONS: benchmarks print numbers)."""
    rows = [
        good_row(open_program, title=f"Sáng kiến số {i}", author_phone=f"0912{i:06d}")
        for i in range(10_000)
    ]
    content = xlsx(rows, write_only=True)

    started = time.perf_counter()
    job = upload(gialam, open_program, content)
    elapsed = time.perf_counter() - started

    print(
        f"\nbulk import: 10,000 rows row by row in {elapsed:.1f} s "
        f"({elapsed / 10_000 * 1000:.2f} ms per row, file {len(content) // 1024} KB)"
    )
    assert (job.status, job.rows_stored, job.rows_refused) == (BulkStatus.DONE, 10_000, 0)
    assert Initiative.objects.count() == 10_000
