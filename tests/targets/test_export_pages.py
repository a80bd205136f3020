"""The office pages of the large exports: request, follow, download (owner only), and the national
CSV streamed to national administrators."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangkien.common.models import AuditEntry
from sangkien.initiatives.models import Initiative
from sangkien.targets.models import ExportJob, ExportStatus
from tests.conftest import STANLEY

EXPORTS = "/office/xuat-du-lieu/"
NATIONAL = "/office/xuat-du-lieu/toan-quoc.csv"


@pytest.fixture
def export_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_INLINE = True
    return settings


@pytest.fixture
def gialam(national, make_officer):
    return make_officer("gialam", "T01-D018")


@pytest.fixture
def quantri(national, make_officer):
    return make_officer("quantri", "TLD", "national_admin")


@pytest.fixture
def made(national, open_program, submit_many, add_grassroots):
    long_bien = add_grassroots("T01-D004", 1)[0]
    return {
        "gia_lam": submit_many(national[STANLEY], 3),
        "long_bien": submit_many(long_bien, 2),
    }


def post_request(client, program, unit="T01-D018", fmt="csv", **extra):
    return client.post(
        EXPORTS,
        {"unit": unit, "program": program.code, "phase": "", "status": "", "fmt": fmt, **extra},
    )


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_owner_requests_follows_and_downloads_an_export(
    export_settings, made, gialam, open_program, client_for
):
    client = client_for(gialam)

    response = post_request(client, open_program)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/office/xuat-du-lieu/{job.pk}/"
    assert (job.owner, job.unit.code, job.status) == (gialam, "T01-D018", ExportStatus.DONE)
    page = client.get(f"/office/xuat-du-lieu/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert '<progress id="export-progress" max="3" value="3">100%</progress>' in page
    assert "Đã ghi 3/3 dòng" in page
    assert f'href="/office/xuat-du-lieu/{job.pk}/tai-ve/"' in page
    listing = client.get(EXPORTS).content.decode()
    assert f'href="/office/xuat-du-lieu/{job.pk}/tai-ve/">Tải về</a>' in listing
    assert "Đã ghi 3/3 dòng" in listing

    download = client.get(f"/office/xuat-du-lieu/{job.pk}/tai-ve/")

    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == (
        f'attachment; filename="sang-kien-T01-D018-{open_program.code}-'
        f'{job.created_at:%Y%m%d}-{job.pk}.csv"'
    )
    rows = csv_rows(b"".join(download.streaming_content))
    assert sorted(r[0] for r in rows[1:]) == sorted(i.receipt_display for i in made["gia_lam"])
    entry = AuditEntry.objects.get(action="export.download")
    assert (entry.actor, entry.object_id, entry.data) == (
        gialam,
        str(job.pk),
        {"fmt": "csv", "rows": 3},
    )


def test_another_officer_gets_404_for_someone_elses_export(
    export_settings, made, gialam, quantri, make_officer, open_program, client_for
):
    post_request(client_for(gialam), open_program)
    job = ExportJob.objects.get()
    colleague = make_officer("dongnghiep", "T01-D018", "unit_admin")

    for officer in (colleague, quantri):
        client = client_for(officer)
        for suffix in ("", "trang-thai/", "tai-ve/"):
            assert client.get(f"/office/xuat-du-lieu/{job.pk}/{suffix}").status_code == 404
        assert f"/office/xuat-du-lieu/{job.pk}/" not in client.get(EXPORTS).content.decode()
    assert not AuditEntry.objects.filter(action="export.download").exists()


def test_gia_lam_cannot_request_an_export_of_long_bien(
    export_settings, made, gialam, open_program, client_for
):
    response = post_request(client_for(gialam), open_program, unit="T01-D004")

    assert response.status_code == 422
    page = response.content.decode()
    assert (
        '<p class="error" id="unit-error">Không có đơn vị mã “T01-D004” trong phạm vi của bạn.</p>'
        in page
    )
    assert 'value="T01-D004"' in page  # what was typed is kept
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()


def test_a_phase_the_programme_lacks_is_an_error_next_to_the_field(
    export_settings, made, gialam, open_program, client_for
):
    response = post_request(client_for(gialam), open_program, phase="9")

    assert response.status_code == 422
    assert '<p class="error" id="phase-error">Chọn giai đoạn trong danh sách.</p>' in (
        response.content.decode()
    )
    assert not ExportJob.objects.exists()


def test_a_running_job_refreshes_itself_and_answers_its_progress(
    export_settings, made, gialam, open_program, client_for
):
    export_settings.EXPORT_INLINE = False  # stays queued: the thread would start on commit
    client = client_for(gialam)
    post_request(client, open_program, fmt="xlsx")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, rows_total=4000, rows_done=2000
    )

    page = client.get(f"/office/xuat-du-lieu/{job.pk}/").content.decode()
    status = client.get(f"/office/xuat-du-lieu/{job.pk}/trang-thai/")

    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress id="export-progress" max="4000" value="2000">50%</progress>' in page
    assert "Đã ghi 2000/4000 dòng" in page
    assert "/tai-ve/" not in page
    assert client.get(f"/office/xuat-du-lieu/{job.pk}/tai-ve/").status_code == 404
    assert status.json() == {
        "status": "running",
        "status_label": "Đang tạo",
        "finished": False,
        "rows_done": 2000,
        "rows_total": 4000,
        "percent": 50,
        "text": "Đã ghi 2000/4000 dòng",
    }


def test_a_failed_job_shows_its_message(
    export_settings, made, gialam, open_program, client_for, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    export_settings.MEDIA_ROOT = blocked
    client = client_for(gialam)

    post_request(client, open_program)

    job = ExportJob.objects.get()
    page = client.get(f"/office/xuat-du-lieu/{job.pk}/").content.decode()
    assert job.status == ExportStatus.FAILED
    assert (
        '<p class="notice error" role="alert">Không tạo được tệp do lỗi hệ thống. Hãy yêu cầu '
        "xuất lại; nếu vẫn lỗi, hãy báo bộ phận kỹ thuật.</p>"
    ) in page
    assert client.get(f"/office/xuat-du-lieu/{job.pk}/tai-ve/").status_code == 404


def test_national_csv_streams_every_initiative_of_the_programme(
    made, quantri, open_program, client_for
):
    response = client_for(quantri).get(NATIONAL, {"program": open_program.code})

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="sang-kien-toan-quoc-{open_program.code}-'
    )
    rows = csv_rows(b"".join(response.streaming_content))
    assert len(rows) - 1 == Initiative.objects.filter(program=open_program).count() == 5
    everyone = made["gia_lam"] + made["long_bien"]
    assert sorted(r[0] for r in rows[1:]) == sorted(i.receipt_display for i in everyone)
    entry = AuditEntry.objects.get(action="export.download")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        quantri,
        "programs.program",
        str(open_program.pk),
    )
    assert entry.data == {"national": True, "program": open_program.code}


def test_national_csv_is_404_for_other_officers_and_unknown_programmes(
    made, gialam, quantri, make_officer, open_program, client_for
):
    province = make_officer("hanoi", "T01", "unit_admin")

    for officer in (gialam, province):
        response = client_for(officer).get(NATIONAL, {"program": open_program.code})
        assert response.status_code == 404
    assert client_for(quantri).get(NATIONAL, {"program": "khong-co"}).status_code == 404
    assert not AuditEntry.objects.filter(action="export.download").exists()


def test_national_csv_of_every_programme(made, quantri, client_for):
    response = client_for(quantri).get(NATIONAL)

    rows = csv_rows(b"".join(response.streaming_content))
    assert len(rows) - 1 == Initiative.objects.count() == 5


def test_only_national_admins_see_the_national_links(
    export_settings, gialam, quantri, open_program, client_for
):
    assert NATIONAL not in client_for(gialam).get(EXPORTS).content.decode()
    page = client_for(quantri).get(EXPORTS).content.decode()
    assert f'href="{NATIONAL}?program={open_program.code}"' in page


def test_exports_page_is_404_for_a_user_without_roles(db, client_for):
    from sangkien.accounts.services import officer_create

    nobody = officer_create(username="khach", password="mat-khau-thu-nghiem-2026")

    assert client_for(nobody).get(EXPORTS).status_code == 404


@pytest.mark.parametrize("jobs", [1, 3])
def test_exports_page_queries_do_not_grow_with_jobs(
    export_settings, made, gialam, open_program, client_for, jobs, django_assert_num_queries
):
    client = client_for(gialam)
    for _ in range(jobs):
        post_request(client, open_program)
    client.get(EXPORTS)  # the session is warm, as on any later page

    # session, officer, roles and their placements (the scopes), programmes with their phases,
    # options and quotas, the role units for the suggestions, the count and the page of jobs
    # (with unit and programme joined).
    with django_assert_num_queries(11):
        response = client.get(EXPORTS)

    assert response.content.decode().count("Tải về</a>") == jobs


def test_national_csv_page_queries_stay_flat(made, quantri, client_for, submit_many, national):
    client = client_for(quantri)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(NATIONAL)
            b"".join(response.streaming_content)
        return len(queries.captured_queries)

    few = count()
    submit_many(national[STANLEY], 10)

    assert count() == few
