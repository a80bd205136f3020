"""Verification, scoring, quotas, forwarding, send-backs and complaints, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import StatusChange
from sangkien.review.enums import ComplaintKind, ComplaintStatus, Decision, Exclusion
from sangkien.review.models import Complaint, Forwarding, Nomination, Score
from sangkien.review.queries import quota_for
from sangkien.review.services import (
    ReviewRefused,
    complaint_file,
    complaint_resolve,
    decide,
    decide_many,
    forward,
    quota_set,
    score,
    send_back,
    weighted_total,
)
from tests.review.conftest import letter

pytestmark = pytest.mark.django_db

FULL = {"tinh-moi": 10, "pham-vi-ap-dung": 10, "hieu-qua-kinh-te": 10, "hieu-qua-xa-hoi": 10}


def audit_actions(initiative) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type="initiatives.initiative", object_id=str(initiative.pk)
        )
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_decide_eligible_writes_history_audit_and_tells_the_submitter(
    officers, make_initiative, outbox, django_capture_on_commit_callbacks
):
    initiative = make_initiative()

    with django_capture_on_commit_callbacks(execute=True):
        decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)

    initiative.refresh_from_db()
    assert initiative.status == Status.ELIGIBLE
    change = StatusChange.objects.filter(initiative=initiative).latest("pk")
    assert (change.from_status, change.to_status, change.actor) == (
        Status.SUBMITTED,
        Status.ELIGIBLE,
        officers["stanley"],
    )
    entry = AuditEntry.objects.filter(action="initiative.status").latest("pk")
    assert entry.actor == officers["stanley"]
    assert entry.data["from_status"] == "submitted" and entry.data["to_status"] == "eligible"
    assert [m["phone"] for m in outbox] == ["0912345678"]
    assert outbox[0]["message"].startswith(
        f"Sáng kiến {initiative.receipt_display} đã được xác minh: hợp lệ."
    )


def test_decide_not_eligible_needs_a_reason_and_changes_nothing_without_one(
    officers, make_initiative, outbox
):
    initiative = make_initiative()

    with pytest.raises(ReviewRefused) as refused:
        decide(actor=officers["stanley"], initiative=initiative, decision=Decision.NOT_ELIGIBLE)

    assert refused.value.message == "Chọn lý do không hợp lệ."
    assert refused.value.field == "reason_code"
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert not AuditEntry.objects.filter(action="initiative.status").exists()
    assert outbox == []


def test_decide_not_eligible_with_other_reason_needs_free_text(officers, make_initiative):
    initiative = make_initiative()

    with pytest.raises(ReviewRefused) as refused:
        decide(
            actor=officers["stanley"],
            initiative=initiative,
            decision=Decision.NOT_ELIGIBLE,
            reason_code=Exclusion.OTHER,
        )

    assert refused.value.message == "Ghi rõ lý do khác."


def test_decide_not_eligible_records_the_reason_code_and_text(
    officers, make_initiative, outbox, django_capture_on_commit_callbacks
):
    initiative = make_initiative()

    with django_capture_on_commit_callbacks(execute=True):
        decide(
            actor=officers["gialam"],
            initiative=initiative,
            decision=Decision.NOT_ELIGIBLE,
            reason_code=Exclusion.NOT_NEW,
            message="Đơn vị đã áp dụng giải pháp này từ năm 2019.",
        )

    change = StatusChange.objects.filter(initiative=initiative).latest("pk")
    assert (change.to_status, change.reason_code, change.message) == (
        "not_eligible",
        "not_new",
        "Đơn vị đã áp dụng giải pháp này từ năm 2019.",
    )
    assert outbox[0]["message"] == (
        f"Sáng kiến {initiative.receipt_display} không hợp lệ: Không có tính mới trong phạm vi cơ "
        "quan, đơn vị, doanh nghiệp. Đơn vị đã áp dụng giải pháp này từ năm 2019."
    )


def test_needs_info_goes_back_to_the_submitter_and_an_edit_resubmits(
    officers, make_initiative, open_program, form_data
):
    from sangkien.initiatives.services import initiative_edit
    from tests.initiatives.helpers import submission

    initiative = make_initiative()
    decide(
        actor=officers["stanley"],
        initiative=initiative,
        decision=Decision.NEEDS_INFO,
        message="Bổ sung số quyết định công nhận.",
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.NEEDS_INFO

    data = form_data(open_program, title=initiative.title, recognition_number="22/QĐ-HĐSK")
    found = submission(open_program, data, editing=initiative)
    assert found.is_valid(), found.errors_by_path()
    initiative_edit(initiative=initiative, data=found.to_input())

    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert initiative.recognition_number == "22/QĐ-HĐSK"
    assert list(initiative.history.values_list("to_status", flat=True)) == [
        "submitted",
        "needs_info",
        "submitted",
    ]


def test_needs_info_is_refused_once_the_programme_has_closed(
    officers, make_initiative, open_program
):
    initiative = make_initiative()
    open_program.submission_closes_at = timezone.now() - timedelta(seconds=1)
    open_program.save()
    initiative.program.refresh_from_db()

    with pytest.raises(ReviewRefused) as refused:
        decide(
            actor=officers["stanley"],
            initiative=initiative,
            decision=Decision.NEEDS_INFO,
            message="Bổ sung",
        )

    assert "hết thời gian nhận sáng kiến" in refused.value.message


def test_an_author_cannot_decide_on_their_own_initiative(officers, make_initiative):
    stanley = officers["stanley"]
    stanley.phone = "0912 345 678"  # the lead author's number
    stanley.save()
    initiative = make_initiative()

    with pytest.raises(ReviewRefused) as refused:
        decide(actor=stanley, initiative=initiative, decision=Decision.ELIGIBLE)

    assert refused.value.message == (
        f"Cán bộ là tác giả của sáng kiến {initiative.receipt_display} nên không được quyết định "
        "về sáng kiến này."
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_decide_many_reports_the_ones_that_cannot_and_decides_the_others(officers, make_initiative):
    first, second = make_initiative(), make_initiative()
    decide(actor=officers["stanley"], initiative=second, decision=Decision.ELIGIBLE)
    second.refresh_from_db()

    done, refused = decide_many(
        actor=officers["stanley"],
        initiatives=[first, second],
        decision=Decision.ELIGIBLE,
    )

    assert done == [first]
    assert refused == [(second, 'Không thể chuyển từ "Hợp lệ" sang "Hợp lệ".')]


def test_weighted_total_is_on_0_to_100():
    from sangkien.review.models import Criterion

    criteria = [
        Criterion(code="a", weight=3, max_points=10),
        Criterion(code="b", weight=1, max_points=5),
    ]
    assert weighted_total(criteria, {"a": 10, "b": 5}) == Decimal("100.00")
    assert weighted_total(criteria, {"a": 5, "b": 0}) == Decimal("37.50")


def test_score_replaces_the_reviewers_earlier_score_and_refuses_out_of_scale(
    officers, make_initiative
):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    initiative.refresh_from_db()
    stanley_unit = initiative.unit

    score(actor=officers["stanley"], initiative=initiative, unit=stanley_unit, points=FULL)
    score(
        actor=officers["stanley"],
        initiative=initiative,
        unit=stanley_unit,
        points={**FULL, "tinh-moi": 0},
    )
    with pytest.raises(ReviewRefused) as refused:
        score(
            actor=officers["stanley"],
            initiative=initiative,
            unit=stanley_unit,
            points={**FULL, "hieu-qua-xa-hoi": 11},
        )

    assert refused.value.message == "Cho điểm từ 0 đến 10."
    assert list(Score.objects.values_list("total", flat=True)) == [Decimal("70.00")]


def test_score_only_where_the_initiative_is_before_the_unit(officers, make_initiative, national):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    initiative.refresh_from_db()

    with pytest.raises(ReviewRefused) as refused:
        score(
            actor=officers["gialam"], initiative=initiative, unit=national["T01-D018"], points=FULL
        )

    assert "không nằm trong danh sách xét chọn" in refused.value.message
    assert not Score.objects.exists()


def eligible(officers, make_initiative, n=1):
    made = []
    for _ in range(n):
        initiative = make_initiative()
        decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
        initiative.refresh_from_db()
        made.append(initiative)
    return made


def test_forward_within_quota_and_refuse_beyond_it(officers, make_initiative, national, phase1):
    quota_set(actor=officers["gialam"], phase=phase1, parent=national["T01-D018"], max_count=2)
    first, second, third = eligible(officers, make_initiative, 3)
    stanley = national["T01-D018-C001"]

    forwarding = forward(
        actor=officers["stanley"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[second, first],
        letter=letter(),
    )
    with pytest.raises(ReviewRefused) as refused:
        forward(
            actor=officers["stanley"],
            from_unit=stanley,
            phase=phase1,
            initiatives=[third],
            letter=letter("13/TTr"),
        )

    assert forwarding.to_unit == national["T01-D018"]
    assert list(forwarding.nominations.values_list("initiative", "rank")) == [
        (second.pk, 1),
        (first.pk, 2),
    ]
    assert refused.value.message == (
        "Vượt số lượng đề cử: Công đoàn Công ty TNHH điện Stanley Việt Nam được đề nghị tối đa 2 "
        "sáng kiến, đã đề nghị 2, còn 0."
    )
    assert Forwarding.objects.count() == 1
    assert Nomination.objects.count() == 2


def test_quota_exception_for_one_child_wins_over_the_parents_rule(officers, national, phase1):
    gialam, stanley = national["T01-D018"], national["T01-D018-C001"]
    quota_set(actor=officers["gialam"], phase=phase1, parent=gialam, max_count=2)
    quota_set(actor=officers["gialam"], phase=phase1, parent=gialam, child=stanley, max_count=5)

    assert quota_for(phase=phase1, unit=stanley, parent=gialam) == 5
    quota_set(actor=officers["gialam"], phase=phase1, parent=gialam, child=stanley, max_count=None)
    assert quota_for(phase=phase1, unit=stanley, parent=gialam) == 2


def test_quota_falls_back_to_the_programmes_rule_per_level(national, phase1):
    # The demonstration programme allows 3 per grassroots union, 2 per district, 2 per province.
    assert quota_for(phase=phase1, unit=national["T01-D018-C001"], parent=national["T01-D018"]) == 3
    assert quota_for(phase=phase1, unit=national["T01-D018"], parent=national["T01"]) == 2


def test_forward_refuses_an_initiative_not_yet_eligible(
    officers, make_initiative, national, phase1
):
    initiative = make_initiative()

    with pytest.raises(ReviewRefused) as refused:
        forward(
            actor=officers["stanley"],
            from_unit=national["T01-D018-C001"],
            phase=phase1,
            initiatives=[initiative],
            letter=letter(),
        )

    assert refused.value.message == (
        f"Sáng kiến {initiative.receipt_display} chưa được xác minh hợp lệ nên không thể đề nghị."
    )
    assert not Forwarding.objects.exists()


def test_forward_is_closed_after_the_dossier_deadline(officers, make_initiative, national, phase1):
    (initiative,) = eligible(officers, make_initiative)
    program = phase1.program
    program.dossier_deadline = timezone.now() - timedelta(minutes=1)
    program.save()
    phase1.refresh_from_db()

    with pytest.raises(ReviewRefused) as refused:
        forward(
            actor=officers["stanley"],
            from_unit=national["T01-D018-C001"],
            phase=phase1,
            initiatives=[initiative],
            letter=letter(),
        )

    assert refused.value.message.startswith("Đã hết hạn gửi hồ sơ đề nghị (hạn cuối: trước ")
    assert not Nomination.objects.exists()


def test_an_open_complaint_blocks_forwarding_until_resolved(
    officers, make_initiative, national, phase1
):
    (initiative,) = eligible(officers, make_initiative)
    complaint = complaint_file(
        initiative=initiative,
        kind=ComplaintKind.AUTHORSHIP,
        complainant="Phạm Văn Cường",
        text="Tôi là đồng tác giả nhưng không có tên.",
    )
    stanley = national["T01-D018-C001"]

    with pytest.raises(ReviewRefused) as refused:
        forward(
            actor=officers["stanley"],
            from_unit=stanley,
            phase=phase1,
            initiatives=[initiative],
            letter=letter(),
        )
    assert "đang có khiếu nại hoặc tranh chấp quyền tác giả" in refused.value.message
    assert not Nomination.objects.exists()

    complaint_resolve(
        actor=officers["gialam"],
        complaint=complaint,
        status=ComplaintStatus.DISMISSED,
        resolution="Biên bản họp ngày 10/11: người khiếu nại không tham gia.",
    )
    forward(
        actor=officers["stanley"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )

    assert Nomination.objects.filter(initiative=initiative, state="active").count() == 1
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolved_by) == ("dismissed", officers["gialam"])
    assert audit_actions(initiative)[-3:] == [
        "complaint.file",
        "complaint.resolve",
        "initiative.forward",
    ]


def test_complaint_needs_text_and_resolution_needs_reasons(officers, make_initiative):
    initiative = make_initiative()
    with pytest.raises(ReviewRefused) as refused:
        complaint_file(
            initiative=initiative, kind=ComplaintKind.CONTENT, complainant="A", text="  "
        )
    assert (refused.value.field, refused.value.message) == ("text", "Nhập nội dung khiếu nại.")
    complaint = complaint_file(
        initiative=initiative, kind=ComplaintKind.CONTENT, complainant="A", text="Số liệu sai."
    )

    with pytest.raises(ReviewRefused) as refused:
        complaint_resolve(
            actor=officers["stanley"],
            complaint=complaint,
            status=ComplaintStatus.UPHELD,
            resolution="",
        )

    assert refused.value.message == "Ghi rõ lý do của kết quả giải quyết."
    assert Complaint.objects.get().status == ComplaintStatus.OPEN


def test_send_back_frees_the_quota_and_the_child_may_forward_again(
    officers, make_initiative, national, phase1, outbox, django_capture_on_commit_callbacks
):
    quota_set(actor=officers["gialam"], phase=phase1, parent=national["T01-D018"], max_count=1)
    first, second = eligible(officers, make_initiative, 2)
    stanley = national["T01-D018-C001"]
    forward(
        actor=officers["stanley"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[first],
        letter=letter(),
    )
    nomination = Nomination.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        send_back(
            actor=officers["gialam"], nomination=nomination, reason="Chưa có số liệu làm lợi."
        )
    forward(
        actor=officers["stanley"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[second],
        letter=letter("2"),
    )

    nomination.refresh_from_db()
    assert (nomination.state, nomination.sent_back_by, nomination.sent_back_reason) == (
        "sent_back",
        officers["gialam"],
        "Chưa có số liệu làm lợi.",
    )
    assert list(Nomination.objects.filter(state="active").values_list("initiative", flat=True)) == [
        second.pk
    ]
    assert outbox[-1]["message"] == (
        f"Liên đoàn Lao động huyện Gia Lâm đã trả lại sáng kiến {first.receipt_display} cho "
        f"{stanley.name}: Chưa có số liệu làm lợi."
    )


def test_send_back_needs_a_reason_and_cannot_take_back_what_went_further(
    officers, make_initiative, national, phase1
):
    (initiative,) = eligible(officers, make_initiative)
    stanley, gialam = national["T01-D018-C001"], national["T01-D018"]
    forward(
        actor=officers["stanley"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )
    forward(
        actor=officers["gialam"],
        from_unit=gialam,
        phase=phase1,
        initiatives=[initiative],
        letter=letter("5/TTr-LĐLĐ"),
    )
    first = Nomination.objects.get(from_unit=stanley)

    with pytest.raises(ReviewRefused) as empty:
        send_back(actor=officers["gialam"], nomination=first, reason=" ")
    with pytest.raises(ReviewRefused) as further:
        send_back(actor=officers["gialam"], nomination=first, reason="Không đạt")

    assert empty.value.message == "Ghi rõ lý do trả lại."
    assert further.value.message.endswith("cấp trên phải trả lại trước.")
    first.refresh_from_db()
    assert first.state == "active"


def test_a_nominated_initiative_cannot_be_made_not_eligible(
    officers, make_initiative, national, phase1
):
    (initiative,) = eligible(officers, make_initiative)
    forward(
        actor=officers["stanley"],
        from_unit=national["T01-D018-C001"],
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )

    with pytest.raises(ReviewRefused) as refused:
        decide(
            actor=officers["gialam"],
            initiative=initiative,
            decision=Decision.NOT_ELIGIBLE,
            reason_code=Exclusion.IP_PROTECTED,
        )

    assert "đang được đề nghị lên cấp trên" in refused.value.message
    initiative.refresh_from_db()
    assert initiative.status == Status.ELIGIBLE
