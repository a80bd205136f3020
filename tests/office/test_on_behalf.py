"""Nộp hộ: an officer submits for a member of their subtree through the same form."""

import pytest
from django.test import Client

from sangkien.initiatives.enums import Channel
from sangkien.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def _url(program):
    return f"/office/nop-ho/{program.code}/"


def test_officer_submits_on_behalf_marked_with_who_did_it(
    national, open_program, form_data, make_officer, client_for
):
    officer = make_officer("gialam", "T01-D018")
    client = client_for(officer)

    response = client.post(_url(open_program), form_data(open_program))

    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/office/nop-ho/bien-nhan/{initiative.receipt}/"
    assert initiative.channel == Channel.OFFICE
    assert initiative.submitted_by == officer
    page = client.get(response["Location"]).content.decode()
    assert initiative.receipt_display in page
    assert "Gialam" in page  # who submitted on the member's behalf


def test_on_behalf_form_says_so_and_asks_the_officer_to_confirm_consent(
    national, open_program, make_officer, client_for
):
    client = client_for(make_officer("gialam", "T01-D018"))

    html = client.get(_url(open_program)).content.decode()

    assert "Bạn đang nộp hộ cho đoàn viên" in html
    assert "Tôi xác nhận đã thông báo cho tác giả mục đích xử lý dữ liệu cá nhân" in html
    assert "Câu hỏi kiểm tra" not in html


def test_unit_outside_the_officers_subtree_refused(
    national, open_program, form_data, make_officer, client_for
):
    client = client_for(make_officer("longbien", "T01-D004"))

    response = client.post(_url(open_program), form_data(open_program))

    assert response.status_code == 422
    assert "Đơn vị này nằm ngoài phạm vi bạn phụ trách." in response.content.decode()
    assert Initiative.objects.count() == 0


def test_picker_offers_only_the_officers_subtree(national, open_program, make_officer, client_for):
    client = client_for(make_officer("gialam", "T01-D018"))

    everywhere = client.get("/office/nop-ho/noi-cong-tac/", {"q": "cong ty"}).content.decode()
    start = client.get(_url(open_program)).content.decode()

    assert "Stanley" in everywhere
    assert "Long Biên" not in everywhere
    assert '<option value="T01-D018">Liên đoàn Lao động huyện Gia Lâm</option>' in start
    assert "Công đoàn Giáo dục Việt Nam" not in start


def test_receipt_of_another_subtree_is_404(
    national, open_program, form_data, make_officer, client_for
):
    client_for(make_officer("gialam", "T01-D018")).post(_url(open_program), form_data(open_program))
    receipt = Initiative.objects.get().receipt
    other = client_for(make_officer("longbien", "T01-D004"))

    assert other.get(f"/office/nop-ho/bien-nhan/{receipt}/").status_code == 404


def test_signed_in_without_a_role_is_404(national, open_program, client_for):
    from sangkien.accounts.services import officer_create

    nobody = officer_create(username="nobody", password="mat-khau-thu-nghiem-2026", full_name="N")

    assert client_for(nobody).get(_url(open_program)).status_code == 404
    assert Client().get(_url(open_program)).status_code == 302  # to the sign-in page
