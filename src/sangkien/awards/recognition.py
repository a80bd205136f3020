"""Recording a computed recognition (targets.recognition) as award decisions, in one step.

One decision of the federation names every recognised unit: one `Award` per unit, all in one
transaction (one refusal records none). Recording the same result under the same decision number
again records nothing and says so: the awards' own uniqueness (deciding unit, kind, decision
number, recipient; not revoked) is checked first for every unit, and still guards a concurrent
double click at the database.
"""

from datetime import date

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sangkien.awards.models import Award
from sangkien.awards.services import AwardRefused, award_record
from sangkien.common.audit import audit
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.recognition import ClusterResult, PhaseResult, period_label, recipients


def result_fingerprint(result: list[ClusterResult] | PhaseResult) -> str:
    """The recognised units' codes, as the page shows them: the form sends it back, so a result
    that changed between reading and recording (new numbers folded) is not recorded blindly."""
    return ",".join(sorted(recipient.unit.code for recipient in recipients(result)))


def recognition_record(
    *,
    actor,
    program: Program,
    result: list[ClusterResult] | PhaseResult,
    decision_number: str,
    decision_date: date,
    signer_title: str,
    signer_name: str,
    place: str,
    granting_unit: Unit,
    expected: str | None = None,
) -> list[Award]:
    """Record one award per recognised unit of `result` (kind "quarterly" for a quarter, "phase"
    for the phase candidates; the period and a citation from the unit's figures), its audit rows
    and one row for the whole decision, in one transaction."""
    # What is stored (period, citations) is the decision's text: Vietnamese, whatever the
    # language of the page the officer reads.
    with translation.override("vi"):
        found = recipients(result)
        if isinstance(result, PhaseResult):
            kind, period, phase = result.kind, period_label(result.key), result.phase
        else:
            kind = result[0].kind if result else ""
            period = period_label(result[0].key) if result else ""
            phase = None
    if expected is not None and expected != result_fingerprint(result):
        raise AwardRefused(
            _(
                "Kết quả đã thay đổi từ lúc trang được mở (có số liệu mới). Xem lại danh sách "
                "đơn vị được ghi nhận dưới đây rồi ghi lại."
            )
        )
    if not found:
        raise AwardRefused(_("Kỳ này không có đơn vị nào được ghi nhận nên không có gì để ghi."))
    number = (decision_number or "").strip()
    if not number:
        raise AwardRefused(_("Nhập số quyết định."), field="decision_number")
    if not (place or "").strip():
        raise AwardRefused(_("Nhập địa danh ghi trên giấy khen."), field="place")
    already = list(
        Award.objects.filter(
            granting_unit=granting_unit,
            kind=kind,
            decision_number=number,
            recipient_unit__in=[recipient.unit for recipient in found],
            revoked_at__isnull=True,
        )
        .select_related("recipient_unit")
        .order_by("recipient_unit__code")
    )
    if already:
        raise AwardRefused(
            _(
                "Quyết định số %(number)s đã được ghi cho %(units)s; không ghi lại lần nữa. "
                "Nếu đây là một quyết định khác, hãy nhập đúng số của quyết định đó."
            )
            % {
                "number": number,
                "units": ", ".join(award.recipient_unit.name for award in already),
            },
            field="decision_number",
        )
    with transaction.atomic():
        awards = [
            award_record(
                actor=actor,
                program=program,
                phase=phase,
                kind=kind,
                granting_unit=granting_unit,
                decision_number=number,
                decision_date=decision_date,
                recipient_unit=recipient.unit,
                citation=recipient.citation,
                signer_title=signer_title,
                signer_name=signer_name,
                period=period,
                place=place,
            )
            for recipient in found
        ]
        audit(
            actor=actor,
            action="award.recognition_record",
            obj=program,
            kind=kind,
            period=period,
            granting_unit=granting_unit.code,
            decision_number=number,
            recipients=[recipient.unit.code for recipient in found],
        )
    return awards
