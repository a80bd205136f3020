"""The public form through real HTTP and middleware: submit, errors kept, closed, idempotent."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from sangkien.common.captcha import new_challenge
from sangkien.initiatives.enums import Channel
from sangkien.initiatives.models import Attachment, Initiative
from tests.common.test_captcha import solve
from tests.initiatives.files import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_MODE = "off"


def _url(program):
    return f"/chuong-trinh/{program.code}/nop/"


def test_form_page_weighs_under_150_kb_with_its_assets(national, open_program):
    html = Client().get(_url(open_program)).content
    static = Path(django_settings.BASE_DIR) / "static"
    assets = [static / "css" / "site.css", static / "js" / "form.js"]

    total = len(html) + sum(path.stat().st_size for path in assets)

    assert total <= 150 * 1024, total
    assert b'src="/static/js/form.js"' in html


def test_form_page_labels_every_field_and_nothing_pre_ticked(national, open_program):
    html = Client().get(_url(open_program)).content.decode()

    for field in ("author_full_name", "author_phone", "author_id_number", "title", "description"):
        assert f'<label for="id_{field}">' in html
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert "Tổng Liên đoàn Lao động Việt Nam (bên kiểm soát dữ liệu)" in html


def test_form_page_query_count(national, open_program, django_assert_num_queries):
    client = Client()
    client.get(_url(open_program))
    with django_assert_num_queries(6):
        client.get(_url(open_program))


def test_submit_redirects_to_the_receipt(national, open_program, form_data):
    client = Client()

    response = client.post(_url(open_program), form_data(open_program))

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bien-nhan/{initiative.receipt}/"
    page = client.get(response["Location"]).content.decode()
    assert initiative.receipt_display in page
    assert "•••••••678" in page
    assert "0912345678" not in page
    assert initiative.channel == Channel.WEB and initiative.submitted_by is None


def test_receipt_page_needs_the_session_that_submitted(national, open_program, form_data):
    Client().post(_url(open_program), form_data(open_program))
    initiative = Initiative.objects.get()

    response = Client().get(f"/bien-nhan/{initiative.receipt}/")

    assert response.status_code == 302
    assert response["Location"] == "/tra-cuu/"


def test_double_submit_makes_one_initiative_and_the_same_receipt(national, open_program, form_data):
    client = Client()
    data = form_data(open_program)

    first = client.post(_url(open_program), data)
    second = client.post(_url(open_program), data)
    retry_elsewhere = Client().post(_url(open_program), data)

    assert Initiative.objects.count() == 1
    assert first["Location"] == second["Location"] == retry_elsewhere["Location"]


def test_too_long_description_refused_next_to_the_field_and_all_kept(
    national, open_program, form_data
):
    data = form_data(open_program, description="a" * 2001, title="Đồ gá hàn nhanh")

    response = Client().post(_url(open_program), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert Initiative.objects.count() == 0
    message = (
        "Phần mô tả dài 2001 ký tự, vượt quá giới hạn 2000 ký tự của chương trình. Vui lòng rút "
        "gọn 1 ký tự."
    )
    assert f'<p class="error" id="id_description-error">{message}</p>' in html
    assert f'<a href="#id_description">Mô tả sáng kiến: {message}</a>' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Đồ gá hàn nhanh"' in html
    assert 'value="0912 345 678"' in html
    assert "a" * 2001 + "</textarea>" in html
    assert 'name="unit" value="T01-D018-C001"' in html


def test_closed_form_says_so_and_accepts_nothing(national, open_program, form_data):
    data = form_data(open_program)
    closes = timezone.now() - timedelta(seconds=1)
    open_program.submission_closes_at = closes
    open_program.save()

    page = Client().get(_url(open_program)).content.decode()
    response = Client().post(_url(open_program), data)

    assert "Chương trình đã hết thời gian nhận sáng kiến" in page
    assert 'id="submission-form"' not in page
    assert response.status_code == 409
    assert "Chương trình đã hết thời gian nhận sáng kiến" in response.content.decode()
    assert 'value="Nguyễn Thị Lan"' in response.content.decode()
    assert Initiative.objects.count() == 0


def test_not_yet_open_form_says_when_it_opens(national, programs):
    program = programs["01-trieu-sang-kien"]
    program.submission_opens_at = timezone.now() + timedelta(days=2)
    program.submission_closes_at = timezone.now() + timedelta(days=30)
    program.save()
    program.phases.all().delete()

    page = Client().get(_url(program)).content.decode()

    opens = timezone.localtime(program.submission_opens_at).strftime("%H:%M %d/%m/%Y")
    assert f"Chương trình chưa mở nhận sáng kiến. Cổng nộp mở lúc {opens}." in page


def test_attachments_by_content_and_kept_across_an_error(national, open_program, form_data):
    client = Client()
    data = form_data(open_program, title="")

    first = client.post(
        _url(open_program),
        {**data, "attachments": [upload("bao-cao.pdf", PDF), upload("virus.pdf", EXE)]},
    )

    html = first.content.decode()
    assert first.status_code == 422
    assert "virus.pdf: Chỉ nhận tệp JPEG, PNG, PDF, Word (DOCX)" in html
    assert "bao-cao.pdf" in html  # staged and listed, no need to choose it again
    staged = Attachment.objects.get()
    assert staged.initiative is None and staged.kind == "pdf"

    done = client.post(
        _url(open_program), {**data, "title": "Đồ gá", "attachments": [upload("anh.jpg", PNG)]}
    )

    assert done.status_code == 302
    initiative = Initiative.objects.get()
    assert sorted(initiative.attachments.values_list("original_name", "kind")) == [
        ("anh.jpg", "png"),
        ("bao-cao.pdf", "pdf"),
    ]


def test_attachment_count_limit_from_the_programme(national, open_program, form_data):
    open_program.max_attachments = 1
    open_program.save()

    response = Client().post(
        _url(open_program),
        {**form_data(open_program), "attachments": [upload("a.pdf", PDF), upload("b.pdf", PDF)]},
    )

    assert response.status_code == 422
    assert "Tối đa 1 tệp đính kèm (đã chọn 2)." in response.content.decode()
    assert Initiative.objects.count() == 0 and Attachment.objects.count() == 0


def test_removed_staged_file_is_not_attached(national, open_program, form_data):
    client = Client()
    data = form_data(open_program, title="")
    client.post(_url(open_program), {**data, "attachments": [upload("a.pdf", PDF)]})
    staged = Attachment.objects.get()

    client.post(_url(open_program), {**data, "title": "X", "remove_attachment": [str(staged.pk)]})

    assert Initiative.objects.get().attachments.count() == 0


def test_picker_without_javascript_search_then_browse(national, open_program, form_data):
    client = Client()
    data = form_data(open_program, unit="")

    searched = client.post(
        _url(open_program), {**data, "action": "unit_search", "unit_query": "son dong a"}
    ).content.decode()
    browsed = client.post(
        _url(open_program), {**data, "action": "unit_browse", "unit_browse": "T01"}
    ).content.decode()
    district = client.post(
        _url(open_program), {**data, "action": "unit_browse:T01-D018"}
    ).content.decode()
    picked = client.post(_url(open_program), {**data, "unit_pick": "T01-D018-C001"})

    assert 'value="T01-D018-C004"> <strong>Công đoàn Công ty CP Hãng sơn Đông Á' in searched
    assert "Liên đoàn Lao động huyện Gia Lâm › Liên đoàn Lao động thành phố Hà Nội" in searched
    assert '<option value="T01-D018">Liên đoàn Lao động huyện Gia Lâm</option>' in browsed
    assert '<option value="T01-D018-C001">Công đoàn Công ty TNHH điện Stanley Việt Nam' in district
    assert picked.status_code == 302
    assert Initiative.objects.get().unit.code == "T01-D018-C001"


def test_picker_fragment_accent_insensitive(national):
    html = Client().get("/noi-cong-tac/", {"q": "gia lam"}).content.decode()

    assert "Liên đoàn Lao động huyện Gia Lâm" in html
    assert "<html" not in html


def test_rate_limit_per_address_keeps_what_was_typed(national, open_program, form_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit_ip": (1, 600)}
    client = Client()
    client.post(_url(open_program), form_data(open_program))

    response = client.post(_url(open_program), form_data(open_program, title="Lần hai"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Bạn đã gửi quá nhiều lần trong thời gian ngắn" in response.content.decode()
    assert 'value="Lần hai"' in response.content.decode()
    assert Initiative.objects.count() == 1


def test_rate_limit_per_phone(national, open_program, form_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "submit_phone": (1, 86400)}
    Client().post(_url(open_program), form_data(open_program))

    response = Client().post(
        _url(open_program), form_data(open_program, author_phone="+84912345678")
    )

    assert response.status_code == 429
    assert Initiative.objects.count() == 1


def test_captcha_when_configured(national, open_program, form_data, settings):
    settings.CAPTCHA_MODE = "always"
    client = Client()
    page = client.get(_url(open_program)).content.decode()
    assert "Câu hỏi kiểm tra" in page

    wrong = client.post(
        _url(open_program),
        {**form_data(open_program), "captcha_token": "x", "captcha_answer": "3"},
    )
    challenge = new_challenge()
    right = client.post(
        _url(open_program),
        {
            **form_data(open_program),
            "captcha_token": challenge.token,
            "captcha_answer": str(solve(challenge.question)),
        },
    )

    assert wrong.status_code == 422
    assert "Câu hỏi kiểm tra đã hết hạn" in wrong.content.decode()
    assert right.status_code == 302
    assert Initiative.objects.count() == 1


def test_captcha_switched_on_automatically_after_many_from_one_address(
    national, open_program, form_data, settings
):
    settings.CAPTCHA_MODE = "auto"
    settings.CAPTCHA_AUTO_THRESHOLD = 2
    client = Client()
    for _ in range(2):
        assert client.post(_url(open_program), form_data(open_program)).status_code == 302

    third = client.post(_url(open_program), form_data(open_program))

    assert third.status_code == 422
    assert "Câu hỏi kiểm tra" in third.content.decode()
    assert Initiative.objects.count() == 2


def test_add_coauthor_row_without_javascript(national, open_program, form_data):
    response = Client().post(
        _url(open_program), {**form_data(open_program), "action": "add_coauthor"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="coauthors-1-full_name"' in html
    assert 'class="error"' not in html
    assert Initiative.objects.count() == 0


def test_unknown_programme_404(national):
    assert Client().get("/chuong-trinh/khong-co/nop/").status_code == 404


def test_submitter_edits_while_still_submitted(national, open_program, form_data):
    client = Client()
    client.post(_url(open_program), form_data(open_program))
    initiative = Initiative.objects.get()

    page = client.get(f"/sua/{initiative.receipt}/").content.decode()
    assert 'value="Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp"' in page
    assert "Đã lưu •••••••••345; để trống nếu không đổi." in page
    assert "001190012345" not in page
    data = form_data(open_program, title="Đồ gá hàn kiểu mới", author_id_number="")
    data["form_token"] = re.search(r'name="form_token" value="([^"]+)"', page).group(1)

    response = client.post(f"/sua/{initiative.receipt}/", data)

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Đồ gá hàn kiểu mới"
    assert initiative.lead.id_number() == "001190012345"
    assert Initiative.objects.count() == 1


def test_edit_page_needs_proof_and_refuses_after_withdrawal(national, open_program, form_data):
    from sangkien.initiatives.services import initiative_withdraw

    client = Client()
    client.post(_url(open_program), form_data(open_program))
    initiative = Initiative.objects.get()
    initiative_withdraw(initiative=initiative)

    stranger = Client().get(f"/sua/{initiative.receipt}/")
    refused = client.post(
        f"/sua/{initiative.receipt}/", form_data(open_program, title="Sau khi rút")
    )

    assert stranger.status_code == 302 and stranger["Location"] == "/tra-cuu/"
    assert refused.status_code == 409
    assert "nên không thể sửa hoặc rút nữa" in refused.content.decode()
    initiative.refresh_from_db()
    assert initiative.title != "Sau khi rút"
