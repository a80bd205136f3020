"""Thư viện sáng kiến: only consented, awarded, not withdrawn initiatives, names but never phones;
the consent given and withdrawn from the lookup page by a browser that proved the receipt."""

import pytest
from django.test import Client

from sangkien.awards.models import GalleryConsent
from sangkien.awards.services import award_revoke, gallery_consent_give, gallery_consent_withdraw
from sangkien.initiatives.services import initiative_withdraw

pytestmark = pytest.mark.django_db

GALLERY = "/thu-vien-sang-kien/"
CHECKBOX = '<input type="checkbox" name="confirm" id="gallery-confirm" value="on">'


@pytest.fixture
def shown(gialam, make_initiative, award_for):
    """Awarded, with consent: the one initiative the gallery must show."""
    initiative = make_initiative("Máy cắt ống tự động cho dây chuyền lắp ráp")
    award_for(gialam, initiative=initiative, period="Quý I/2026")
    gallery_consent_give(initiative=initiative)
    return initiative


def test_gallery_shows_consented_awarded_initiatives_and_nothing_else(
    gialam, shown, make_initiative, award_for
):
    not_consented = make_initiative("Sáng kiến chưa đồng ý công khai")
    award_for(gialam, initiative=not_consented)
    not_awarded = make_initiative("Sáng kiến chưa được khen thưởng")
    gallery_consent_give(initiative=not_awarded)
    consent_withdrawn = make_initiative("Sáng kiến đã rút lại đồng ý")
    award_for(gialam, initiative=consent_withdrawn)
    gallery_consent_give(initiative=consent_withdrawn)
    gallery_consent_withdraw(initiative=consent_withdrawn)
    revoked = make_initiative("Sáng kiến bị thu hồi khen thưởng")
    gallery_consent_give(initiative=revoked)
    award_revoke(actor=gialam, award=award_for(gialam, initiative=revoked), reason="Sai.")
    withdrawn = make_initiative("Sáng kiến đã rút khỏi chương trình")
    award_for(gialam, initiative=withdrawn)
    gallery_consent_give(initiative=withdrawn)
    initiative_withdraw(initiative=withdrawn)

    html = Client().get(GALLERY).content.decode()

    assert "Máy cắt ống tự động cho dây chuyền lắp ráp" in html
    assert "Nguyễn Thị Lan, Trần Văn Bình" in html
    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam" in html
    assert "<strong>Giấy khen</strong> (Quý I/2026) — Liên đoàn Lao động huyện Gia Lâm" in html
    assert "quyết định số 125/QĐ-LĐLĐ" in html
    assert "Thay đồ gá cũ bằng đồ gá định vị nhanh" in html  # the description's excerpt
    for hidden in (not_consented, not_awarded, consent_withdrawn, revoked, withdrawn):
        assert hidden.title not in html


def test_gallery_never_shows_a_phone_or_an_id_number(shown):
    html = Client().get(GALLERY).content.decode()

    for secret in ("0912345678", "0912 345 678", "678", "0987654321", "321", "•••", "001190012345"):
        assert secret not in html


def test_gallery_filters_by_programme(shown, programs):
    other = Client().get(GALLERY, {"chuong-trinh": "75-nghin-sang-kien"}).content.decode()
    own = Client().get(GALLERY, {"chuong-trinh": shown.program.code}).content.decode()

    assert shown.title not in other
    assert "Chưa có sáng kiến nào được giới thiệu." in other
    assert shown.title in own


def test_public_home_links_the_gallery(programs):
    assert f'href="{GALLERY}"' in Client().get("/").content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_gallery_query_count(count, gialam, make_initiative, award_for, django_assert_num_queries):
    for number in range(count):
        initiative = make_initiative(f"Sáng kiến số {number} về tiết kiệm điện năng")
        award_for(gialam, initiative=initiative, decision_number=f"{number}/QĐ")
        gallery_consent_give(initiative=initiative)

    # programmes for the filter, count, page, authors' names, awards with their units
    with django_assert_num_queries(5):
        response = Client().get(GALLERY)

    assert response.content.decode().count('<li class="card">') == count


def _proved(initiative) -> Client:
    client = Client()
    response = client.post(
        "/tra-cuu/", {"receipt": initiative.receipt_display, "phone": "0912 345 678"}
    )
    assert response.status_code == 302
    return client


def test_consent_from_an_unproved_browser_goes_to_the_lookup(initiative):
    url = f"/tra-cuu/{initiative.receipt}/cong-khai/"

    response = Client().post(url, {"action": "give", "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/?ma={initiative.receipt}"
    assert not GalleryConsent.objects.exists()


def test_lookup_page_offers_the_consent_unticked(initiative):
    client = _proved(initiative)

    html = client.get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert CHECKBOX in html
    assert "Tôi xác nhận các đồng tác giả đã đồng ý" in html
    assert f'action="/tra-cuu/{initiative.receipt}/cong-khai/"' in html


def test_consent_without_the_box_is_refused_next_to_it(initiative):
    client = _proved(initiative)

    response = client.post(f"/tra-cuu/{initiative.receipt}/cong-khai/", {"action": "give"})

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        '<p class="error" id="gallery-confirm-error">Hãy đánh dấu ô xác nhận các đồng tác giả đã '
        "đồng ý; nếu chưa hỏi được tất cả các đồng tác giả, đừng công khai.</p>" in html
    )
    assert not GalleryConsent.objects.exists()


def test_consent_given_then_withdrawn_from_the_lookup_page(initiative):
    client = _proved(initiative)
    url = f"/tra-cuu/{initiative.receipt}/cong-khai/"

    given = client.post(url, {"action": "give", "confirm": "on"})
    page = client.get(given["Location"]).content.decode()
    withdrawn = client.post(url, {"action": "withdraw"})

    assert given["Location"] == f"/tra-cuu/{initiative.receipt}/"
    assert "Đã ghi nhận đồng ý công khai sáng kiến." in page
    assert "Rút lại đồng ý công khai" in page
    assert CHECKBOX not in page
    assert withdrawn.status_code == 302
    assert GalleryConsent.objects.get().withdrawn_at is not None
    assert CHECKBOX in client.get(f"/tra-cuu/{initiative.receipt}/").content.decode()
