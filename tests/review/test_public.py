"""What the submitter sees of review in the lookup: the decision with its reason, where the
initiative went (never the scores), and filing a complaint with the receipt."""

import pytest
from django.test import Client

from sangkien.public.access import SESSION_KEY
from sangkien.review.enums import Decision, Exclusion
from sangkien.review.models import Complaint, Score
from sangkien.review.services import decide, forward, score
from tests.review.conftest import letter

pytestmark = pytest.mark.django_db


def proved_client(initiative) -> Client:
    client = Client()
    response = client.post(
        "/tra-cuu/", {"receipt": initiative.receipt_display, "phone": "0912 345 678"}
    )
    assert response.status_code == 302
    return client


def test_lookup_shows_the_reason_code_label_and_the_message(officers, make_initiative):
    initiative = make_initiative()
    decide(
        actor=officers["stanley"],
        initiative=initiative,
        decision=Decision.NOT_ELIGIBLE,
        reason_code=Exclusion.IP_PROTECTED,
        message="Giải pháp đã được cấp bằng độc quyền năm 2020.",
    )

    page = proved_client(initiative).get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert "Đang được bảo hộ quyền sở hữu trí tuệ" in page
    assert "Giải pháp đã được cấp bằng độc quyền năm 2020." in page


def test_lookup_shows_where_it_went_but_never_the_scores(
    officers, make_initiative, national, phase1
):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    initiative.refresh_from_db()
    points = {"tinh-moi": 7, "pham-vi-ap-dung": 7, "hieu-qua-kinh-te": 7, "hieu-qua-xa-hoi": 7}
    score(actor=officers["stanley"], initiative=initiative, unit=initiative.unit, points=points)
    forward(
        actor=officers["stanley"],
        from_unit=national["T01-D018-C001"],
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )

    page = proved_client(initiative).get(f"/tra-cuu/{initiative.receipt}/").content.decode()

    assert Score.objects.get().total == 70
    assert "đề nghị lên Liên đoàn Lao động huyện Gia Lâm" in page
    # The total (70.00) in any of its spellings, and the word for scores, are absent; a bare
    # "70" could appear in the CSRF token by chance.
    assert not any(text in page for text in ("70.0", "70,0", "Điểm", "điểm"))


def test_submitter_files_a_complaint_with_the_receipt(make_initiative):
    initiative = make_initiative()
    client = proved_client(initiative)

    empty = client.post(
        f"/tra-cuu/{initiative.receipt}/khieu-nai/",
        {"kind": "authorship", "complainant": "Nguyễn Thị Lan", "text": ""},
    )
    done = client.post(
        f"/tra-cuu/{initiative.receipt}/khieu-nai/",
        {"kind": "authorship", "complainant": "Nguyễn Thị Lan", "text": "Thiếu tên đồng tác giả."},
    )

    assert empty.status_code == 422
    assert empty.context["form"].errors["text"] == ["Trường này là bắt buộc."]
    assert 'value="Nguyễn Thị Lan"' in empty.content.decode()
    assert done.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.filed_via, complaint.filed_by, complaint.status) == (
        "submitter",
        None,
        "open",
    )


def test_complaint_without_proof_goes_to_the_lookup_and_files_nothing(make_initiative):
    initiative = make_initiative()

    response = Client().post(
        f"/tra-cuu/{initiative.receipt}/khieu-nai/",
        {"kind": "content", "complainant": "X", "text": "Y"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/?ma={initiative.receipt}"
    assert not Complaint.objects.exists()
    assert SESSION_KEY not in Client().session
