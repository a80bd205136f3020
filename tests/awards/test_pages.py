"""Khen thưởng in the office: record, list, detail, certificate, revoke; isolation; query counts."""

import io

import pytest
from pypdf import PdfReader

from sangkien.awards.enums import AwardKind
from sangkien.awards.models import Award
from sangkien.common.models import AuditEntry
from sangkien.orgs.queries import today

pytestmark = pytest.mark.django_db

RECORD = "/office/khen-thuong/ghi/"


def _state():
    return (
        Award.objects.count(),
        Award.objects.filter(revoked_at__isnull=False).count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def form(open_program):
    def make(**overrides) -> dict:
        data = {
            "program": str(open_program.pk),
            "phase": "",
            "kind": "giay_khen",
            "period": "",
            "granting_unit": "T01-D018",
            "recipient_unit": "",
            "recipient_receipt": "",
            "decision_number": "125/QĐ-LĐLĐ",
            "decision_date": today().strftime("%d/%m/%Y"),
            "place": "Gia Lâm",
            "citation": "Đã có sáng kiến tiêu biểu trong chương trình.",
            "signer_title": "TM. BAN THƯỜNG VỤ\r\nCHỦ TỊCH",
            "signer_name": "Nguyễn Văn Hùng",
        }
        data.update(overrides)
        return data

    return make


def test_record_page_prefills_the_officers_only_unit(gialam, client_for):
    html = client_for(gialam).get(RECORD).content.decode()

    assert 'name="granting_unit" value="T01-D018"' in html
    assert '<option value="T01-D018">Liên đoàn Lao động huyện Gia Lâm</option>' in html


def test_record_page_stores_an_award_for_a_receipt_typed_loosely(
    gialam, client_for, initiative, form
):
    client = client_for(gialam)
    typed = initiative.receipt_display.lower().replace("-", " ")

    response = client.post(RECORD, form(recipient_receipt=typed))

    award = Award.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/office/khen-thuong/{award.pk}/"
    assert award.initiative == initiative
    assert award.signer_title == "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi khen thưởng theo quyết định số 125/QĐ-LĐLĐ." in page
    assert initiative.title in page


def test_record_page_stores_an_award_for_a_unit(hanoi, client_for, form, national):
    response = client_for(hanoi).post(
        RECORD, form(granting_unit="t01", recipient_unit="T01-D018", kind="bang_khen")
    )

    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.granting_unit, award.recipient_unit) == (national["T01"], national["T01-D018"])


def test_record_page_answers_bad_input_next_to_each_field_and_keeps_it(gialam, client_for, form):
    before = _state()

    response = client_for(gialam).post(
        RECORD, form(decision_number="12/QĐ-KT", decision_date="31/02/2026", citation="")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        '<p class="error" id="id_decision_date-error">Ngày quyết định viết theo dạng dd/mm/yyyy, '
        "ví dụ 15/03/2022.</p>" in html
    )
    assert '<p class="error" id="id_citation-error">Nhập nội dung khen.</p>' in html
    assert 'value="12/QĐ-KT"' in html
    assert 'value="31/02/2026"' in html
    assert _state() == before


def test_record_page_shows_a_refusal_next_to_the_recipient(gialam, client_for, form):
    before = _state()

    response = client_for(gialam).post(RECORD, form(recipient_unit="T01-D004"))

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        '<p class="error" id="id_recipient_unit-error">Đơn vị Liên đoàn Lao động quận Long Biên '
        "không thuộc phạm vi của Liên đoàn Lao động huyện Gia Lâm.</p>" in html
    )
    assert 'value="T01-D004"' in html
    assert _state() == before


def test_record_page_needs_one_recipient(gialam, client_for, form):
    response = client_for(gialam).post(RECORD, form())

    assert response.status_code == 422
    assert (
        "Chọn đúng một nơi nhận khen thưởng: một đơn vị hoặc một sáng kiến."
        in response.content.decode()
    )
    assert not Award.objects.exists()


def test_record_page_answers_an_unknown_and_a_foreign_receipt_alike(
    longbien, client_for, initiative, form
):
    client = client_for(longbien)
    data = form(granting_unit="T01-D004")

    foreign = client.post(RECORD, {**data, "recipient_receipt": initiative.receipt_display})
    unknown = client.post(RECORD, {**data, "recipient_receipt": "ZZZZ-ZZZZ"})

    assert (foreign.status_code, unknown.status_code) == (422, 422)
    assert (
        f"Không có sáng kiến mã biên nhận {initiative.receipt_display} trong phạm vi của "
        "Liên đoàn Lao động quận Long Biên." in foreign.content.decode()
    )
    assert (
        "Không có sáng kiến mã biên nhận ZZZZ-ZZZZ trong phạm vi của "
        "Liên đoàn Lao động quận Long Biên." in unknown.content.decode()
    )
    assert not Award.objects.exists()


def test_record_page_refuses_a_granting_unit_the_officer_does_not_cover(
    longbien, client_for, initiative, form
):
    response = client_for(longbien).post(RECORD, form(recipient_receipt=initiative.receipt_display))

    assert response.status_code == 422
    assert (
        '<p class="error" id="id_granting_unit-error">Bạn không phụ trách Liên đoàn Lao động '
        "huyện Gia Lâm nên không thể ghi khen thưởng của đơn vị này.</p>"
        in response.content.decode()
    )
    assert not Award.objects.exists()


def test_award_pages_of_another_subtree_answer_404_and_change_nothing(
    gialam, longbien, client_for, initiative, award_for
):
    award = award_for(gialam, initiative=initiative)
    client = client_for(longbien)
    before = _state()

    assert client.get(f"/office/khen-thuong/{award.pk}/").status_code == 404
    assert client.get(f"/office/khen-thuong/{award.pk}/giay-khen.pdf").status_code == 404
    revoke = client.post(f"/office/khen-thuong/{award.pk}/thu-hoi/", {"reason": "Sai."})
    assert revoke.status_code == 404
    assert client.get("/office/khen-thuong/999999/").status_code == 404
    assert "125/QĐ-LĐLĐ" not in client.get("/office/khen-thuong/").content.decode()
    assert _state() == before


def test_the_recipients_officer_sees_the_award_but_may_not_revoke_it(
    gialam, make_officer, client_for, initiative, award_for
):
    award = award_for(gialam, initiative=initiative)
    stanley = client_for(make_officer("stanley", "T01-D018-C001"))
    before = _state()

    assert "125/QĐ-LĐLĐ" in stanley.get("/office/khen-thuong/").content.decode()
    page = stanley.get(f"/office/khen-thuong/{award.pk}/").content.decode()
    assert "Thu hồi khen thưởng" not in page
    revoke = stanley.post(f"/office/khen-thuong/{award.pk}/thu-hoi/", {"reason": "Sai."})
    assert revoke.status_code == 404
    assert _state() == before


def test_certificate_is_a_pdf_with_one_page_per_author(gialam, client_for, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    response = client_for(gialam).get(f"/office/khen-thuong/{award.pk}/giay-khen.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="giay-khen-{award.serial}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 2
    assert "Nguyễn Thị Lan" in pages[0]
    assert "Trần Văn Bình" in pages[1]


def test_certificate_of_a_unit_names_the_unit(hanoi, client_for, national, award_for):
    award = award_for(
        hanoi,
        granting_unit=national["T01"],
        kind=AwardKind.MERIT_CERTIFICATE,
        recipient_unit=national["T01-D018"],
    )

    response = client_for(hanoi).get(f"/office/khen-thuong/{award.pk}/giay-khen.pdf")

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Liên đoàn Lao động huyện Gia Lâm" in reader.pages[0].extract_text()


def test_revoke_page_needs_a_reason_then_revokes(gialam, client_for, initiative, award_for):
    award = award_for(gialam, initiative=initiative)
    client = client_for(gialam)
    url = f"/office/khen-thuong/{award.pk}/thu-hoi/"

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 422
    assert '<p class="error" id="id_reason-error">Nhập lý do thu hồi.</p>' in empty.content.decode()
    done = client.post(url, {"reason": "Nhầm số quyết định."})

    assert done.status_code == 302
    award.refresh_from_db()
    assert award.revoke_reason == "Nhầm số quyết định."
    assert client.get(f"/office/khen-thuong/{award.pk}/giay-khen.pdf").status_code == 404
    assert "Đã thu hồi lúc" in client.get(f"/office/khen-thuong/{award.pk}/").content.decode()


def test_revoke_answers_only_post(gialam, client_for, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    response = client_for(gialam).get(f"/office/khen-thuong/{award.pk}/thu-hoi/")

    assert response.status_code == 405


def test_list_filters_by_kind_and_programme(hanoi, client_for, national, award_for, programs):
    award_for(hanoi, granting_unit=national["T01"], recipient_unit=national["T01-D018"])
    award_for(
        hanoi,
        granting_unit=national["T01"],
        recipient_unit=national["T01-D004"],
        kind=AwardKind.QUARTERLY,
        decision_number="7/QĐ-LĐLĐ",
    )
    client = client_for(hanoi)

    quarterly = client.get("/office/khen-thuong/", {"kind": "quarterly"}).content.decode()
    other = client.get(
        "/office/khen-thuong/", {"program": programs["75-nghin-sang-kien"].pk}
    ).content.decode()

    assert "7/QĐ-LĐLĐ" in quarterly
    assert "125/QĐ-LĐLĐ" not in quarterly
    assert "Chưa có khen thưởng nào." in other


def test_list_needs_a_role(national, client_for, django_user_model):
    nobody = django_user_model.objects.create_user(username="khongvaitro", password="x")

    assert client_for(nobody).get("/office/khen-thuong/").status_code == 404


def test_office_home_links_the_awards(gialam, client_for):
    assert 'href="/office/khen-thuong/"' in client_for(gialam).get("/office/").content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count(
    count, hanoi, client_for, national, make_initiative, award_for, django_assert_num_queries
):
    for number in range(count):
        initiative = make_initiative(f"Sáng kiến số {number} về tiết kiệm điện năng")
        award_for(
            hanoi,
            granting_unit=national["T01"],
            initiative=initiative,
            decision_number=f"{number}/QĐ",
        )
    award_for(hanoi, granting_unit=national["T01"], recipient_unit=national["T01-D018"])
    client = client_for(hanoi)

    # session, officer, roles, role placement, count, page, programmes for the filter
    with django_assert_num_queries(7):
        response = client.get("/office/khen-thuong/")

    assert response.status_code == 200
    assert response.content.decode().count("<tr") == count + 2  # header + awards
