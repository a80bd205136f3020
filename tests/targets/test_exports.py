"""Large exports: a unit's list of initiatives as XLSX or CSV made by a background job, and the
national CSV streamed from a cursor."""

import csv
import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.services import AuthorInput, SubmissionInput, initiative_submit
from sangkien.targets import exports
from sangkien.targets.models import ExportJob, ExportStatus
from tests.conftest import STANLEY

HEADER = [
    "Mã biên nhận",
    "Nộp lúc (giờ Việt Nam)",
    "Chương trình",
    "Giai đoạn",
    "Mã đơn vị",
    "Công đoàn cơ sở",
    "Quận, huyện (cấp trên trực tiếp)",
    "Tỉnh, thành phố, ngành",
    "Trạng thái",
    "Loại giải pháp",
    "Đối tượng",
    "Khối",
    "Tên sáng kiến",
    "Ngày áp dụng lần đầu",
    "Cấp công nhận",
    "Số văn bản công nhận",
    "Ngày công nhận",
    "Giá trị làm lợi (đồng)",
    "Lợi ích xã hội",
    "Tác giả chính",
    "Số tác giả",
    "Số điện thoại (đã che)",
    "Số CCCD/CMND (đã che)",
    "Nộp trùng",
    "Trùng với mã biên nhận",
]
SYSTEM_ERROR = (
    "Không tạo được tệp do lỗi hệ thống. Hãy yêu cầu xuất lại; nếu vẫn lỗi, hãy báo bộ phận kỹ "
    "thuật."
)
FORMULA = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'


@pytest.fixture
def export_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_INLINE = True
    return settings


@pytest.fixture
def gialam(national, make_officer):
    return make_officer("gialam", "T01-D018")


@pytest.fixture
def made(national, open_program, submit_many, add_grassroots):
    """Initiatives in Gia Lâm (Stanley, Lixil, a union added today) and in Long Biên."""
    new_gialam = add_grassroots("T01-D018", 1)[0]  # T01-D018-C000, from today
    long_bien = add_grassroots("T01-D004", 2)
    gia_lam = (
        submit_many(national[STANLEY], 3)
        + submit_many(national["T01-D018-C002"], 1)
        + submit_many(new_gialam, 2)
    )
    others = submit_many(long_bien[0], 2) + submit_many(long_bien[1], 1)
    return {"gia_lam": gia_lam, "long_bien": others}


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def stored(job: ExportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def request(actor, unit, program, fmt="csv", **kwargs) -> ExportJob:
    job = exports.export_request(actor=actor, unit=unit, program=program, fmt=fmt, **kwargs)
    job.refresh_from_db()
    return job


def test_csv_export_of_gia_lam_holds_exactly_its_initiatives(
    export_settings, made, gialam, national, open_program
):
    job = request(gialam, national["T01-D018"], open_program)

    assert job.status == ExportStatus.DONE
    assert job.error == ""
    assert job.file.name.startswith("exports/")
    assert job.file.name.endswith(".csv")
    rows = csv_rows(stored(job))
    assert rows[0] == HEADER
    assert sorted(row[0] for row in rows[1:]) == sorted(i.receipt_display for i in made["gia_lam"])
    first = made["gia_lam"][0]
    row = next(row for row in rows[1:] if row[0] == first.receipt_display)
    submitted = timezone.localtime(first.submitted_at).strftime("%d/%m/%Y %H:%M")
    applied = first.first_applied_on.strftime("%d/%m/%Y")
    assert dict(zip(HEADER, row, strict=True)) == {
        "Mã biên nhận": first.receipt_display,
        "Nộp lúc (giờ Việt Nam)": submitted,
        "Chương trình": open_program.short_name,
        "Giai đoạn": first.phase.name,
        "Mã đơn vị": STANLEY,
        "Công đoàn cơ sở": "Công đoàn Công ty TNHH điện Stanley Việt Nam",
        "Quận, huyện (cấp trên trực tiếp)": "Liên đoàn Lao động huyện Gia Lâm",
        "Tỉnh, thành phố, ngành": "Liên đoàn Lao động thành phố Hà Nội",
        "Trạng thái": "Đã nộp, chờ xác minh",
        "Loại giải pháp": "Giải pháp kỹ thuật",
        "Đối tượng": "Công nhân lao động trong các doanh nghiệp sản xuất, kinh doanh",
        "Khối": "Doanh nghiệp",
        "Tên sáng kiến": first.title,
        "Ngày áp dụng lần đầu": applied,
        "Cấp công nhận": "Hội đồng sáng kiến",
        "Số văn bản công nhận": first.recognition_number,
        "Ngày công nhận": first.recognition_date.strftime("%d/%m/%Y"),
        "Giá trị làm lợi (đồng)": "1000000",
        "Lợi ích xã hội": "",
        "Tác giả chính": first.lead.full_name,
        "Số tác giả": "1",
        "Số điện thoại (đã che)": "•••••••" + first.lead.phone_tail,
        "Số CCCD/CMND (đã che)": "",
        "Nộp trùng": "Không",
        "Trùng với mã biên nhận": "",
    }


def test_xlsx_export_holds_the_same_rows_with_typed_cells(
    export_settings, made, gialam, national, open_program
):
    job = request(gialam, national["T01-D018"], open_program, fmt="xlsx")

    assert job.status == ExportStatus.DONE
    workbook = load_workbook(io.BytesIO(stored(job)))
    assert workbook.sheetnames == ["Sáng kiến"]
    rows = list(workbook["Sáng kiến"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert sorted(row[0] for row in rows[1:]) == sorted(i.receipt_display for i in made["gia_lam"])
    first = made["gia_lam"][0]
    row = dict(zip(HEADER, next(r for r in rows[1:] if r[0] == first.receipt_display), strict=True))
    local = timezone.localtime(first.submitted_at).replace(tzinfo=None, microsecond=0)
    assert abs(row["Nộp lúc (giờ Việt Nam)"] - local) < timedelta(seconds=1)
    assert row["Ngày áp dụng lần đầu"].date() == first.first_applied_on
    assert row["Giá trị làm lợi (đồng)"] == 1_000_000
    assert row["Số tác giả"] == 1
    assert row["Quận, huyện (cấp trên trực tiếp)"] == "Liên đoàn Lao động huyện Gia Lâm"


def test_long_bien_export_leaves_gia_lam_out(
    export_settings, made, make_officer, national, open_program
):
    officer = make_officer("longbien", "T01-D004")

    job = request(officer, national["T01-D004"], open_program)

    rows = csv_rows(stored(job))
    assert sorted(r[0] for r in rows[1:]) == sorted(i.receipt_display for i in made["long_bien"])
    assert {r[6] for r in rows[1:]} == {"Liên đoàn Lao động quận Long Biên"}


def test_status_and_phase_filters_narrow_the_list(
    export_settings, made, gialam, national, open_program
):
    eligible = made["gia_lam"][:2]
    Initiative.objects.filter(pk__in=[i.pk for i in eligible]).update(status=Status.ELIGIBLE)
    phase_two = open_program.phases.get(number=2)

    by_status = request(
        gialam, national["T01-D018"], open_program, status=Status.ELIGIBLE, phase=None
    )
    by_phase = request(gialam, national["T01-D018"], open_program, phase=phase_two)

    rows = csv_rows(stored(by_status))
    assert sorted(r[0] for r in rows[1:]) == sorted(i.receipt_display for i in eligible)
    assert {r[8] for r in rows[1:]} == {"Hợp lệ"}
    assert csv_rows(stored(by_phase)) == [HEADER]
    assert by_phase.params["phase"] == 2
    assert (by_phase.rows_done, by_phase.rows_total) == (0, 0)


def test_personal_numbers_leave_masked_only(
    export_settings, national, open_program, gialam, submit_many
):
    today = timezone.localdate()
    data = SubmissionInput(
        unit=national[STANLEY],
        block="doanh-nghiep",
        target_group="cong-nhan-doanh-nghiep",
        kind="giai-phap-ky-thuat",
        title="Cải tiến đồ gá hàn",
        description="Mô tả.",
        first_applied_on=today - timedelta(days=5),
        recognized_by="council",
        recognition_number="1/QĐ",
        recognition_date=today - timedelta(days=5),
        benefit_vnd=None,
        benefit_text="Giảm tai nạn lao động",
        drive_link="",
        not_ip_protected=True,
        lawful=True,
        authors=[
            AuthorInput(
                full_name="Nguyễn Thị Lan",
                phone="0912345678",
                id_number="001190012345",
                id_kind="cccd",
                share=Decimal(60),
            ),
            AuthorInput(full_name="Trần Văn Bình", phone="0987654321", share=Decimal(40)),
        ],
    )
    initiative, _created = initiative_submit(program=open_program, data=data, send_receipt=False)

    as_csv = stored(request(gialam, national["T01-D018"], open_program))
    as_xlsx = stored(request(gialam, national["T01-D018"], open_program, fmt="xlsx"))

    with zipfile.ZipFile(io.BytesIO(as_xlsx)) as archive:
        unpacked = b"".join(archive.read(name) for name in archive.namelist())
    for content in (as_csv, unpacked):
        for clear in (b"0912345678", b"001190012345", b"0987654321"):
            assert clear not in content
    sheet_row = list(load_workbook(io.BytesIO(as_xlsx))["Sáng kiến"].iter_rows(values_only=True))[1]
    assert sheet_row[21:23] == ("•••••••678", "•••••••••345")
    row = dict(zip(HEADER, csv_rows(as_csv)[1], strict=True))
    assert row["Số điện thoại (đã che)"] == "•••••••678"
    assert row["Số CCCD/CMND (đã che)"] == "•••••••••345"
    assert row["Mã biên nhận"] == initiative.receipt_display
    assert row["Tác giả chính"] == "Nguyễn Thị Lan"
    assert row["Số tác giả"] == "2"
    assert row["Giá trị làm lợi (đồng)"] == ""
    assert row["Lợi ích xã hội"] == "Giảm tai nạn lao động"


def test_a_title_written_as_a_formula_stays_text(
    export_settings, made, gialam, national, open_program
):
    target = made["gia_lam"][0]
    Initiative.objects.filter(pk=target.pk).update(title=FORMULA, benefit_text="+1 tỷ")

    as_xlsx = stored(request(gialam, national["T01-D018"], open_program, fmt="xlsx"))
    as_csv = stored(request(gialam, national["T01-D018"], open_program))

    sheet = load_workbook(io.BytesIO(as_xlsx))["Sáng kiến"]
    cell = next(
        row[12] for row in sheet.iter_rows(min_row=2) if row[0].value == target.receipt_display
    )
    assert cell.value == FORMULA
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(as_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    assert b"<f " not in xml
    row = next(r for r in csv_rows(as_csv) if r[0] == target.receipt_display)
    assert row[12] == "'" + FORMULA
    assert row[18] == "'+1 tỷ"


def test_duplicate_is_flagged_with_the_first_receipt(
    export_settings, made, gialam, national, open_program
):
    first, second = made["gia_lam"][:2]
    Initiative.objects.filter(pk=second.pk).update(duplicate_of=first)

    rows = csv_rows(stored(request(gialam, national["T01-D018"], open_program)))

    flags = {row[0]: (row[23], row[24]) for row in rows[1:]}
    assert flags[second.receipt_display] == ("Có", first.receipt_display)
    assert flags[first.receipt_display] == ("Không", "")


def test_progress_is_written_every_chunk_and_reaches_the_total(
    export_settings, made, gialam, national, open_program
):
    export_settings.EXPORT_INLINE = False  # queued only: the thread would start on commit
    job = request(gialam, national["T01-D018"], open_program)
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.QUEUED, 0, 0)

    with CaptureQueriesContext(connection) as queries:
        exports.export_run(job.pk, chunk_size=2)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 6, 6)
    steps = [
        int(found.group(1))
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and "targets_exportjob" in query["sql"]
        for found in [re.search(r'"rows_done" = (\d+)', query["sql"])]
        if found
    ]
    assert steps == [0, 2, 4, 6, 6]  # claimed, three chunks, finished
    assert len(csv_rows(stored(job))) == 7


def test_a_job_runs_once_even_when_run_twice(export_settings, made, gialam, national, open_program):
    export_settings.EXPORT_INLINE = False
    job = request(gialam, national["T01-D018"], open_program)

    first = exports.export_run(job.pk)
    second = exports.export_run(job.pk)

    assert first.status == ExportStatus.DONE
    assert second is None
    files = [p for p in (export_settings.MEDIA_ROOT / "exports").rglob("*") if p.is_file()]
    assert len(files) == 1
    finishes = AuditEntry.objects.filter(action="export.finish", object_id=str(job.pk))
    assert [entry.data for entry in finishes] == [{"status": "done", "rows": 6}]


def test_a_job_that_cannot_be_stored_fails_with_a_message(
    export_settings, made, gialam, national, open_program, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    export_settings.MEDIA_ROOT = blocked

    job = request(gialam, national["T01-D018"], open_program)

    assert job.status == ExportStatus.FAILED
    assert job.error == SYSTEM_ERROR
    assert job.file.name == ""
    assert job.finished_at is not None
    assert AuditEntry.objects.get(action="export.finish", object_id=str(job.pk)).data == {
        "status": "failed"
    }


def test_a_job_whose_owner_lost_the_unit_fails_with_a_message(
    export_settings, made, gialam, national, open_program
):
    export_settings.EXPORT_INLINE = False
    job = request(gialam, national["T01-D018"], open_program)
    gialam.roles.all().delete()

    exports.export_run(job.pk)

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == ("Tài khoản yêu cầu không còn quyền xem đơn vị T01-D018; không xuất được.")
    assert not job.file


def test_request_outside_the_officers_subtree_is_refused(
    export_settings, made, gialam, national, open_program
):
    with pytest.raises(PermissionDenied):
        exports.export_request(
            actor=gialam, unit=national["T01-D004"], program=open_program, fmt="csv"
        )

    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()


def test_request_writes_its_audit_row(export_settings, made, gialam, national, open_program):
    export_settings.EXPORT_INLINE = False

    job = request(gialam, national["T01-D018"], open_program, fmt="xlsx", status="eligible")

    entry = AuditEntry.objects.get(action="export.request")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        gialam,
        "targets.exportjob",
        str(job.pk),
    )
    assert entry.data == {
        "unit": "T01-D018",
        "program": open_program.code,
        "fmt": "xlsx",
        "phase": None,
        "status": "eligible",
    }


def test_run_exports_takes_back_a_stale_job_and_makes_queued_ones(
    export_settings, made, gialam, national, open_program
):
    export_settings.EXPORT_INLINE = False
    stale = request(gialam, national["T01-D018"], open_program)
    queued = request(gialam, national["T01-D018"], open_program, fmt="xlsx")
    fresh = request(gialam, national["T01-D018"], open_program)
    ExportJob.objects.filter(pk=stale.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=61)
    )
    ExportJob.objects.filter(pk=fresh.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    out = io.StringIO()

    call_command("run_exports", stdout=out)

    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: ExportStatus.DONE,
        queued.pk: ExportStatus.DONE,
        fresh.pk: ExportStatus.RUNNING,
    }
    assert out.getvalue().splitlines() == [
        "Đưa lại vào hàng đợi 1 yêu cầu bị gián đoạn.",
        f"#{stale.pk}: Đã xong, 6/6 dòng.",
        f"#{queued.pk}: Đã xong, 6/6 dòng.",
    ]


def test_a_superseded_run_keeps_nothing_of_its_own(
    export_settings, made, gialam, national, open_program
):
    export_settings.EXPORT_INLINE = False
    job = request(gialam, national["T01-D018"], open_program)
    exports._claim(job.pk)  # a runner that died right after claiming, and was taken as stale
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=61))
    exports.requeue_stale(timedelta(minutes=60))

    finished = exports.export_run(job.pk)

    assert finished.status == ExportStatus.DONE
    assert exports.export_run(job.pk) is None


def test_national_csv_holds_every_initiative_of_the_programme(made, open_program, programs):
    content = "".join(exports.national_csv(open_program)).encode()

    rows = csv_rows(content)
    everyone = made["gia_lam"] + made["long_bien"]
    assert rows[0] == HEADER
    assert sorted(r[0] for r in rows[1:]) == sorted(i.receipt_display for i in everyone)
    other = next(p for p in programs.values() if p.pk != open_program.pk)
    assert csv_rows("".join(exports.national_csv(other)).encode()) == [HEADER]


def _queries_for_national_csv(program, chunk_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = len(csv_rows("".join(exports.national_csv(program, chunk_size=chunk_size)).encode()))
    return rows - 1, len(queries.captured_queries)


def test_national_csv_reads_one_query_per_chunk(national, open_program, submit_many):
    submit_many(national[STANLEY], 3)
    few_rows, few = _queries_for_national_csv(open_program, 10)
    submit_many(national[STANLEY], 27)

    many_rows, many = _queries_for_national_csv(open_program, 10)

    assert (few_rows, many_rows) == (3, 30)
    # programmes, phases, options, the cursor, then per chunk its authors (the ancestor units
    # once, when first met): 3 chunks for 30 rows against 1 for 3.
    assert few == 6
    assert many == few + 2


def test_xlsx_goes_on_to_another_sheet_when_one_is_full(db, tmp_path):
    path = str(tmp_path / "list.xlsx")
    row = ["ABCD-EFGH", None, "Chương trình", "", "C1", "Tên\x07 đơn vị"]
    chunks = [[[*row[:4], f"C{i}", row[5]] for i in range(3)], [[*row[:4], "C3", row[5]]]]
    seen: list[int] = []

    exports.write_xlsx(path, chunks, seen.append, sheet_rows=2)

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Sáng kiến", "Sáng kiến (2)"]
    first, second = (list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets)
    assert [r[4] for r in first[1:]] == ["C0", "C1"]
    assert [r[4] for r in second[1:]] == ["C2", "C3"]
    assert list(first[0]) == HEADER
    assert first[1][5] == "Tên đơn vị"  # a control character XML cannot hold is dropped
    assert seen == [3, 1]
    assert workbook.worksheets[0].freeze_panes == "A2"


def test_xlsx_of_nothing_has_the_header_only(db, tmp_path):
    path = str(tmp_path / "empty.xlsx")

    exports.write_xlsx(path, [])

    rows = list(load_workbook(path)["Sáng kiến"].iter_rows(values_only=True))
    assert rows == [tuple(HEADER)]
