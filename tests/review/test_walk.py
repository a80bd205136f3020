"""One initiative's whole road through the real pages: submitted by a member, verified by its
grassroots union, forwarded by the union, the district federation and the province, awarded by
the national federation, with the audit log and the member's notifications at every step."""

import pytest

from sangkien.awards.models import Award
from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Status
from sangkien.review.models import Nomination
from tests.initiatives.helpers import submit

pytestmark = pytest.mark.django_db

POINTS = {
    "points_tinh-moi": "9",
    "points_pham-vi-ap-dung": "8",
    "points_hieu-qua-kinh-te": "9",
    "points_hieu-qua-xa-hoi": "7",
}


def actions_of(initiative) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type="initiatives.initiative", object_id=str(initiative.pk)
        )
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def letter(number: str) -> dict:
    return {
        "number": number,
        "dated_on": "20/11/2026",
        "place": "Hà Nội",
        "signer_title": "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
        "signer_name": "Nguyễn Văn Hùng",
    }


def forward_via_page(client, code: str, phase, initiative, number: str):
    return client.post(
        f"/office/de-cu/{code}/",
        {
            "phase": phase.pk,
            "pick": [initiative.pk],
            f"rank_{initiative.pk}": "1",
            **letter(number),
        },
    )


def test_one_initiative_from_submission_to_award(
    officers,
    open_program,
    form_data,
    phase1,
    client_for,
    outbox,
    django_capture_on_commit_callbacks,
):
    # A member submits; the receipt goes to their phone.
    with django_capture_on_commit_callbacks(execute=True):
        initiative = submit(
            open_program, form_data(open_program, title="Máy cắt ống tự động cho xưởng cơ khí")
        )
    assert [m["subject"] for m in outbox] == [f"Biên nhận sáng kiến {initiative.receipt_display}"]
    assert actions_of(initiative) == ["initiative.submit"]

    # The grassroots union verifies it and scores it.
    stanley = client_for(officers["stanley"])
    with django_capture_on_commit_callbacks(execute=True):
        response = stanley.post(
            f"/office/sang-kien/{initiative.receipt}/xac-minh/", {"decision": "eligible"}
        )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.ELIGIBLE
    assert actions_of(initiative) == ["initiative.submit", "initiative.status"]
    assert outbox[-1]["message"].startswith(
        f"Sáng kiến {initiative.receipt_display} đã được xác minh: hợp lệ."
    )
    response = stanley.post(
        f"/office/sang-kien/{initiative.receipt}/cham-diem/", {"unit": "T01-D018-C001", **POINTS}
    )
    assert response.status_code == 302

    # Forwarded by the union, the district and the province, each within its quota.
    chain = [
        ("stanley", "T01-D018-C001", "01/TTr-CĐCS", "Liên đoàn Lao động huyện Gia Lâm"),
        ("gialam", "T01-D018", "15/TTr-LĐLĐ", "Liên đoàn Lao động thành phố Hà Nội"),
        ("hanoi", "T01", "112/TTr-LĐLĐ", "Tổng Liên đoàn Lao động Việt Nam"),
    ]
    for step, (name, code, number, to_name) in enumerate(chain, start=1):
        client = client_for(officers[name])
        with django_capture_on_commit_callbacks(execute=True):
            response = forward_via_page(client, code, phase1, initiative, number)
        assert response.status_code == 302, response.content.decode()[:2000]
        nomination = Nomination.objects.get(initiative=initiative, from_unit__code=code)
        assert (nomination.state, nomination.to_unit.name, nomination.forwarding.number) == (
            "active",
            to_name,
            number,
        )
        assert actions_of(initiative).count("initiative.forward") == step
        assert outbox[-1]["message"].endswith(f"đề nghị lên {to_name}.")
        assert AuditEntry.objects.filter(
            action="forwarding.create", object_id=str(nomination.forwarding_id)
        ).exists()

    # The national federation awards it; the member hears of it.
    tld = client_for(officers["tld"])
    with django_capture_on_commit_callbacks(execute=True):
        response = tld.post(
            "/office/khen-thuong/ghi/",
            {
                "program": open_program.pk,
                "kind": "bang_khen",
                "granting_unit": "TLD",
                "recipient_receipt": initiative.receipt_display,
                "decision_number": "1234/QĐ-TLĐ",
                "decision_date": "20/11/2026",
                "citation": "Có sáng kiến tiêu biểu xuất sắc.",
                "signer_title": "TM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH",
                "signer_name": "Nguyễn Đình Khang",
                "place": "Hà Nội",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    award = Award.objects.get()
    assert award.initiative == initiative
    assert AuditEntry.objects.filter(action="award.record", object_id=str(award.pk)).exists()
    assert initiative.receipt_display in outbox[-1]["message"]
    assert len(outbox) == 1 + 1 + 3 + 1
