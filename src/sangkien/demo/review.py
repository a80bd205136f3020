"""Demo review: decisions, scores, forwardings from Gia Lâm's unions and from Gia Lâm, an award
shown in the gallery and a complaint, so that the office's review pages have something to show."""

from django.db import transaction
from django.utils import timezone

from sangkien.accounts.models import Officer
from sangkien.awards.enums import AwardKind
from sangkien.awards.services import award_record, gallery_consent_give
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative
from sangkien.orgs.queries import placement_on, today
from sangkien.programs import windows
from sangkien.review.enums import ComplaintKind, Decision
from sangkien.review.models import Criterion, Nomination
from sangkien.review.services import Letter, complaint_file, decide, forward, score


def _points(criteria, index: int) -> dict[str, int]:
    return {
        c.code: max(0, c.max_points - (index + position) % 4) for position, c in enumerate(criteria)
    }


@transaction.atomic
def create_demo_review(program) -> int:
    """Once per programme: the initiatives of Gia Lâm's unions verified by the Gia Lâm officer
    (every fifth sent back for more information, every fifth left waiting), scored, the best of
    each union forwarded to Gia Lâm and Gia Lâm's best two to Hà Nội. Answers the nominations."""
    phase = (
        windows.phase_open_at(program, timezone.now()) or program.phases.order_by("number").first()
    )
    if phase is None or Nomination.objects.filter(phase=phase).exists():
        return 0
    officer = Officer.objects.get(username="gialam")
    criteria = list(Criterion.objects.filter(program=program))
    under = list(
        Initiative.objects.filter(
            program=program,
            phase=phase,
            unit__code__startswith="T01-D018-C",
            status=Status.SUBMITTED,
        )
        .select_related("program", "unit")
        .prefetch_related("authors")
        .order_by("submitted_at", "pk")
    )
    best: dict[int, Initiative] = {}
    for index, initiative in enumerate(under):
        if index % 5 == 4:
            decide(
                actor=officer,
                initiative=initiative,
                decision=Decision.NEEDS_INFO,
                message="Bổ sung số và ngày quyết định công nhận của Hội đồng sáng kiến.",
            )
            continue
        if index % 5 == 3:
            continue
        decide(actor=officer, initiative=initiative, decision=Decision.ELIGIBLE)
        initiative.status = Status.ELIGIBLE
        if criteria:
            score(
                actor=officer,
                initiative=initiative,
                unit=initiative.unit,
                points=_points(criteria, index),
            )
        best.setdefault(initiative.unit_id, initiative)
    count = 0
    for number, initiative in enumerate(best.values(), start=1):
        forward(
            actor=officer,
            from_unit=initiative.unit,
            phase=phase,
            initiatives=[initiative],
            letter=Letter(
                number=f"{number:02d}/TTr-CĐCS",
                dated_on=today(),
                signer_title="TM. BAN CHẤP HÀNH\nCHỦ TỊCH",
                signer_name="Nguyễn Văn Hùng",
                place="Gia Lâm",
            ),
        )
        count += 1
    chosen = list(best.values())[:2]
    if chosen:
        forward(
            actor=officer,
            from_unit=placement_on(chosen[0].unit).parent,
            phase=phase,
            initiatives=chosen,
            letter=Letter(
                number="15/TTr-LĐLĐ",
                dated_on=today(),
                signer_title="TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
                signer_name="Trần Thị Hoa",
                place="Gia Lâm",
            ),
        )
        count += len(chosen)
        # Gia Lâm commends the best one; its authors agreed to the public gallery.
        award_record(
            actor=officer,
            program=program,
            phase=phase,
            kind=AwardKind.COMMENDATION,
            granting_unit=placement_on(chosen[0].unit).parent,
            decision_number="25/QĐ-LĐLĐ",
            decision_date=today(),
            initiative=chosen[0],
            citation="Đã có sáng kiến tiêu biểu trong Chương trình.",
            signer_title="TM. BAN THƯỜNG VỤ\nCHỦ TỊCH",
            signer_name="Trần Thị Hoa",
            place="Gia Lâm",
        )
        gallery_consent_give(initiative=chosen[0])
    waiting = [i for i in under if i.status == Status.ELIGIBLE and i not in best.values()]
    if waiting:
        complaint_file(
            initiative=waiting[0],
            kind=ComplaintKind.AUTHORSHIP,
            complainant="Lê Văn Dũng",
            text="Tôi cùng tham gia xây dựng giải pháp nhưng không có tên trong danh sách tác giả.",
            actor=officer,
        )
    return count
