"""Recording and revoking awards, and the consent to the gallery: checks, audit, notifications."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from sangkien.awards.enums import AwardKind
from sangkien.awards.models import Award, GalleryConsent
from sangkien.awards.services import (
    AwardRefused,
    award_revoke,
    gallery_consent_give,
    gallery_consent_withdraw,
)
from sangkien.common.models import AuditEntry
from sangkien.initiatives.services import initiative_withdraw
from sangkien.orgs.queries import placement_on, today

pytestmark = pytest.mark.django_db


def _state():
    return Award.objects.count(), AuditEntry.objects.count()


def _refused(award_for, actor, **overrides) -> AwardRefused:
    before = _state()
    with pytest.raises(AwardRefused) as caught:
        award_for(actor, **overrides)
    assert _state() == before
    return caught.value


def test_award_record_for_initiative_stores_the_decision(gialam, initiative, award_for, national):
    award = award_for(gialam, initiative=initiative)

    assert award.initiative == initiative
    assert award.recipient_unit is None
    assert award.granting_unit == national["T01-D018"]
    assert award.granting_path == placement_on(national["T01-D018"]).path
    assert award.recipient_path == initiative.unit_path
    assert award.signer_title == "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"
    assert award.created_by == gialam
    assert re.fullmatch(r"KT-[2-9A-HJ-NP-Z]{10}", award.serial)


def test_award_record_writes_an_audit_row(gialam, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    entry = AuditEntry.objects.get(action="award.record")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        gialam,
        "awards.award",
        str(award.pk),
    )
    assert entry.data == {
        "kind": "giay_khen",
        "granting_unit": "T01-D018",
        "decision_number": "125/QĐ-LĐLĐ",
        "recipient_unit": "",
        "initiative": initiative.receipt,
    }


def test_award_record_for_initiative_notifies_the_lead_author_after_commit(
    gialam, initiative, award_for, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award = award_for(gialam, initiative=initiative)
        assert outbox == []  # nothing leaves before the commit

    day = award.decision_date.strftime("%d/%m/%Y")
    assert outbox == [
        {
            "phone": "0912345678",
            "email": "",
            "subject": f"Khen thưởng sáng kiến {initiative.receipt_display}",
            "message": (
                'Sáng kiến "Cải tiến đồ gá hàn giúp giảm thời gian lắp ráp" (mã biên nhận '
                f"{initiative.receipt_display}) được Liên đoàn Lao động huyện Gia Lâm khen thưởng: "
                f"Giấy khen, quyết định số 125/QĐ-LĐLĐ ngày {day}. Tra cứu tại "
                "http://127.0.0.1:8000/tra-cuu/"
            ),
        }
    ]


def test_award_record_for_unit_stores_it_without_notification(
    hanoi, national, award_for, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award = award_for(
            hanoi,
            granting_unit=national["T01"],
            kind=AwardKind.MERIT_CERTIFICATE,
            recipient_unit=national["T01-D018"],
            period="Quý I/2026",
        )

    assert award.recipient_unit == national["T01-D018"]
    assert award.recipient_path == placement_on(national["T01-D018"]).path
    assert award.period == "Quý I/2026"
    assert outbox == []
    assert AuditEntry.objects.get(action="award.record").data["recipient_unit"] == "T01-D018"


def test_award_record_refused_for_unit_outside_the_granting_subtree(gialam, national, award_for):
    refused = _refused(award_for, gialam, recipient_unit=national["T01-D004"])

    assert refused.message == (
        "Đơn vị Liên đoàn Lao động quận Long Biên không thuộc phạm vi của "
        "Liên đoàn Lao động huyện Gia Lâm."
    )
    assert refused.field == "recipient_unit"


def test_award_record_refused_to_an_officer_who_does_not_cover_the_granting_unit(
    longbien, initiative, award_for
):
    refused = _refused(award_for, longbien, initiative=initiative)

    assert refused.message == (
        "Bạn không phụ trách Liên đoàn Lao động huyện Gia Lâm nên không thể ghi khen thưởng của "
        "đơn vị này."
    )
    assert refused.field == "granting_unit"


def test_award_record_refused_for_initiative_outside_the_granting_subtree(
    longbien, national, initiative, award_for
):
    refused = _refused(
        award_for, longbien, granting_unit=national["T01-D004"], initiative=initiative
    )

    assert refused.message == (
        f"Không có sáng kiến mã biên nhận {initiative.receipt_display} trong phạm vi của "
        "Liên đoàn Lao động quận Long Biên."
    )


def test_award_record_refused_to_an_author_of_the_initiative(gialam, initiative, award_for):
    gialam.phone = "+84 987 654 321"  # the co-author's number, typed another way
    gialam.save(update_fields=["phone"])

    refused = _refused(award_for, gialam, initiative=initiative)

    assert refused.message == (
        "Bạn là tác giả của sáng kiến này nên không thể ghi khen thưởng cho sáng kiến này."
    )


def test_award_record_allowed_to_an_officer_with_another_phone(gialam, initiative, award_for):
    gialam.phone = "0901000000"
    gialam.save(update_fields=["phone"])

    assert award_for(gialam, initiative=initiative).initiative == initiative


@pytest.mark.parametrize("recipients", ["none", "both"])
def test_award_record_needs_exactly_one_recipient(
    gialam, national, initiative, award_for, recipients
):
    extra = {"initiative": initiative, "recipient_unit": national["T01-D018-C001"]}

    refused = _refused(award_for, gialam, **(extra if recipients == "both" else {}))

    assert refused.message == "Chọn đúng một nơi nhận khen thưởng: một đơn vị hoặc một sáng kiến."


def test_award_record_refuses_the_same_decision_twice(gialam, initiative, award_for):
    award_for(gialam, initiative=initiative)

    refused = _refused(award_for, gialam, initiative=initiative)

    assert refused.message == (
        "Quyết định số 125/QĐ-LĐLĐ đã được ghi với hình thức này cho nơi nhận này."
    )
    assert refused.field == "decision_number"


def test_award_record_accepts_another_kind_of_the_same_decision(gialam, initiative, award_for):
    award_for(gialam, initiative=initiative)

    award_for(gialam, initiative=initiative, kind=AwardKind.PHASE)

    assert Award.objects.count() == 2


def test_award_record_refuses_a_decision_in_the_future(gialam, initiative, award_for):
    refused = _refused(
        award_for, gialam, initiative=initiative, decision_date=today() + timedelta(days=1)
    )

    assert refused.message == "Ngày quyết định không thể sau hôm nay."


def test_award_record_refuses_a_withdrawn_initiative(gialam, initiative, award_for):
    initiative_withdraw(initiative=initiative)

    refused = _refused(award_for, gialam, initiative=initiative)

    assert refused.message == (
        f'Sáng kiến {initiative.receipt_display} đang ở trạng thái "Đã rút" nên không thể khen '
        "thưởng."
    )


def test_award_record_refuses_a_phase_of_another_programme(gialam, initiative, award_for, programs):
    phase = programs["01-trieu-sang-kien"].phases.get(number=1)

    refused = _refused(award_for, gialam, initiative=initiative, phase=phase)

    assert refused.message == "Giai đoạn không thuộc chương trình đã chọn."


def test_database_refuses_an_award_with_two_recipients(gialam, national, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=award.pk).update(recipient_unit=national["T01-D018-C001"])


def test_award_revoke_marks_it_and_audits(gialam, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    award_revoke(actor=gialam, award=award, reason="Nhầm số quyết định.")

    award.refresh_from_db()
    assert award.is_revoked
    assert (award.revoked_by, award.revoke_reason) == (gialam, "Nhầm số quyết định.")
    entry = AuditEntry.objects.get(action="award.revoke")
    assert (entry.actor, entry.object_id, entry.data) == (
        gialam,
        str(award.pk),
        {"reason": "Nhầm số quyết định."},
    )


def test_award_revoke_frees_the_decision_to_be_recorded_again(gialam, initiative, award_for):
    award_revoke(actor=gialam, award=award_for(gialam, initiative=initiative), reason="Sai.")

    award_for(gialam, initiative=initiative)

    assert Award.objects.filter(revoked_at__isnull=True).count() == 1


def test_award_revoke_refused_to_an_officer_of_another_subtree(
    gialam, longbien, initiative, award_for
):
    award = award_for(gialam, initiative=initiative)
    before = _state()

    with pytest.raises(AwardRefused) as caught:
        award_revoke(actor=longbien, award=award, reason="Không đúng.")

    assert caught.value.message == (
        "Bạn không phụ trách Liên đoàn Lao động huyện Gia Lâm nên không thể thu hồi khen thưởng "
        "của đơn vị này."
    )
    assert _state() == before
    award.refresh_from_db()
    assert not award.is_revoked


def test_award_revoke_needs_a_reason_and_happens_once(gialam, initiative, award_for):
    award = award_for(gialam, initiative=initiative)

    with pytest.raises(AwardRefused) as empty:
        award_revoke(actor=gialam, award=award, reason="  ")
    award_revoke(actor=gialam, award=award, reason="Sai.")
    with pytest.raises(AwardRefused) as twice:
        award_revoke(actor=gialam, award=award, reason="Sai lần nữa.")

    assert (empty.value.message, empty.value.field) == ("Nhập lý do thu hồi.", "reason")
    assert twice.value.message == "Khen thưởng này đã được thu hồi."
    assert AuditEntry.objects.filter(action="award.revoke").count() == 1


def test_gallery_consent_give_and_withdraw_are_audited(initiative):
    gallery_consent_give(initiative=initiative)
    gallery_consent_withdraw(initiative=initiative)
    gallery_consent_withdraw(initiative=initiative)  # twice: nothing more happens
    gallery_consent_give(initiative=initiative)

    consent = GalleryConsent.objects.get(initiative=initiative)
    assert consent.withdrawn_at is None
    assert consent.wording_version == "2026-01"
    assert list(
        AuditEntry.objects.filter(object_id=str(initiative.pk), action__startswith="gallery.")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("gallery.consent_give", None),
        ("gallery.consent_withdraw", None),
        ("gallery.consent_give", None),
    ]


def test_gallery_consent_refused_for_a_withdrawn_initiative(initiative):
    initiative_withdraw(initiative=initiative)
    before = AuditEntry.objects.count()

    with pytest.raises(AwardRefused) as caught:
        gallery_consent_give(initiative=initiative)

    assert caught.value.message == "Sáng kiến đã rút nên không thể công khai."
    assert not GalleryConsent.objects.exists()
    assert AuditEntry.objects.count() == before
