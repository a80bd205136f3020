"""Writes of review: verification decisions, scores, quotas, forwardings, send-backs, complaints.

Each function takes its actor explicitly, runs in one transaction, writes the audit row in it and
tells the submitter after commit. Permission to see the objects is the views' job
(`review.rules`); the rules of the programme are checked here.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangkien.common.audit import audit
from sangkien.common.templatetags.vn import deadline
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative, StatusChange
from sangkien.initiatives.notices import lookup_url, notify_submitter
from sangkien.initiatives.services import SubmissionRefused, transition
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import placement_on
from sangkien.programs import windows
from sangkien.programs.models import Phase, Program
from sangkien.review import queries
from sangkien.review.enums import (
    ComplaintKind,
    ComplaintStatus,
    Decision,
    Exclusion,
    FiledVia,
    NominationState,
)
from sangkien.review.models import Complaint, Criterion, Forwarding, Nomination, Quota, Score
from sangkien.review.rules import is_author

COMPLAINT_MAX_CHARS = 4000
OPEN_COMPLAINTS_PER_SUBMITTER = 3


class ReviewRefused(Exception):
    """The step is against the programme's rules; `message` says why, in Vietnamese."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _not_author(actor, initiative: Initiative) -> None:
    if is_author(actor, initiative):
        raise ReviewRefused(
            _(
                "Cán bộ là tác giả của sáng kiến %(receipt)s nên không được quyết định về sáng kiến này."
            )
            % {"receipt": initiative.receipt_display}
        )


# --- Verification -----------------------------------------------------------------------------


def _decision_notice(initiative: Initiative, decision: str, reason_code: str, message: str) -> str:
    values = {"receipt": initiative.receipt_display, "url": lookup_url(), "message": message}
    if decision == Decision.ELIGIBLE:
        return _("Sáng kiến %(receipt)s đã được xác minh: hợp lệ. Tra cứu tại %(url)s") % values
    if decision == Decision.NEEDS_INFO:
        return (
            _(
                "Sáng kiến %(receipt)s cần bổ sung thông tin: %(message)s. Tra cứu và bổ sung tại "
                "%(url)s"
            )
            % values
        )
    values["reason"] = Exclusion(reason_code).label
    return _("Sáng kiến %(receipt)s không hợp lệ: %(reason)s. %(message)s") % values


def decide(
    *,
    actor,
    initiative: Initiative,
    decision: str,
    reason_code: str = "",
    message: str = "",
    at: datetime | None = None,
) -> StatusChange:
    """Xác minh: eligible, needs more information (back to the submitter), or not eligible with
    a reason from the programme's exclusions."""
    at = at or timezone.now()
    message = message.strip()
    if decision not in Decision.values:
        raise ReviewRefused(_("Chọn một quyết định."), "decision")
    if decision == Decision.NOT_ELIGIBLE:
        if reason_code not in Exclusion.values:
            raise ReviewRefused(_("Chọn lý do không hợp lệ."), "reason_code")
        if reason_code == Exclusion.OTHER and not message:
            raise ReviewRefused(_("Ghi rõ lý do khác."), "message")
    else:
        reason_code = ""
    if decision == Decision.NEEDS_INFO:
        if not message:
            raise ReviewRefused(_("Ghi rõ thông tin người nộp cần bổ sung."), "message")
        if not windows.is_open(initiative.program, at):
            raise ReviewRefused(
                _(
                    "Chương trình đã hết thời gian nhận sáng kiến nên người nộp không thể bổ sung; "
                    "hãy quyết định hợp lệ hoặc không hợp lệ."
                ),
                "decision",
            )
    _not_author(actor, initiative)
    with transaction.atomic():
        # Locked first, so a forwarding running now either sees the new status or is seen here.
        Initiative.objects.select_for_update().filter(pk=initiative.pk).values_list("pk").get()
        if decision != Decision.ELIGIBLE and queries.is_nominated(initiative):
            raise ReviewRefused(
                _(
                    "Sáng kiến %(receipt)s đang được đề nghị lên cấp trên; cấp trên phải trả lại "
                    "trước khi xác minh lại."
                )
                % {"receipt": initiative.receipt_display}
            )
        try:
            change = transition(
                initiative, decision, actor=actor, reason_code=reason_code, message=message, at=at
            )
        except SubmissionRefused as refused:
            raise ReviewRefused(refused.message, "decision") from None
        notify_submitter(
            initiative,
            subject=_("Kết quả xác minh sáng kiến %(receipt)s")
            % {"receipt": initiative.receipt_display},
            message=_decision_notice(initiative, decision, reason_code, message),
        )
    return change


def decide_many(
    *, actor, initiatives: list[Initiative], decision: str, reason_code: str = "", message: str = ""
) -> tuple[list[Initiative], list[tuple[Initiative, str]]]:
    """The same decision for several initiatives, each in its own transaction: one that cannot
    take it (already decided, own work) is reported and the others go through."""
    done, refused = [], []
    for initiative in initiatives:
        try:
            decide(
                actor=actor,
                initiative=initiative,
                decision=decision,
                reason_code=reason_code,
                message=message,
            )
        except ReviewRefused as error:
            if error.field in ("reason_code", "message") or (
                error.field == "decision" and decision not in Decision.values
            ):
                raise
            refused.append((initiative, error.message))
        else:
            done.append(initiative)
    return done, refused


# --- Scores -----------------------------------------------------------------------------------


def weighted_total(criteria: list[Criterion], points: dict[str, int]) -> Decimal:
    """The weighted score on 0–100: each criterion's points over its scale, times its weight."""
    weights = sum(criterion.weight for criterion in criteria)
    raw = sum(Decimal(points[c.code]) / Decimal(c.max_points) * Decimal(c.weight) for c in criteria)
    return (raw * 100 / Decimal(weights)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score(
    *,
    actor,
    initiative: Initiative,
    unit: Unit,
    points: dict[str, int],
    comment: str = "",
    at: datetime | None = None,
) -> Score:
    """Chấm điểm: the reviewer's scores of an initiative that is before `unit`; scoring again
    replaces the reviewer's earlier scores at that level."""
    at = at or timezone.now()
    criteria = list(Criterion.objects.filter(program_id=initiative.program_id))
    if not criteria:
        raise ReviewRefused(_("Chương trình chưa có tiêu chí chấm điểm."))
    for criterion in criteria:
        value = points.get(criterion.code)
        if value is None or not 0 <= value <= criterion.max_points:
            raise ReviewRefused(
                _("Cho điểm từ 0 đến %(max)s.") % {"max": criterion.max_points},
                f"points_{criterion.code}",
            )
    if not queries.is_before(initiative, unit):
        raise ReviewRefused(
            _("Sáng kiến %(receipt)s không nằm trong danh sách xét chọn của %(unit)s.")
            % {"receipt": initiative.receipt_display, "unit": unit.name}
        )
    if initiative.status != Status.ELIGIBLE:
        raise ReviewRefused(_("Chỉ chấm điểm sáng kiến đã được xác minh hợp lệ."))
    _not_author(actor, initiative)
    kept = {c.code: int(points[c.code]) for c in criteria}
    with transaction.atomic():
        result, _created = Score.objects.update_or_create(
            initiative=initiative,
            unit=unit,
            reviewer=actor,
            defaults={
                "points": kept,
                "total": weighted_total(criteria, kept),
                "comment": comment.strip(),
                "scored_at": at,
            },
        )
        audit(
            actor=actor,
            action="initiative.score",
            obj=initiative,
            unit=unit.code,
            total=str(result.total),
        )
    return result


# --- Quotas -----------------------------------------------------------------------------------


def quota_set(
    *,
    actor,
    phase: Phase,
    parent: Unit,
    max_count: int | None,
    child: Unit | None = None,
    at: datetime | None = None,
) -> Quota | None:
    """The parent's quota for its children (or for one child); None clears it."""
    at = at or timezone.now()
    if child is not None:
        placement = placement_on(child)
        if placement is None or placement.parent_id != parent.pk:
            raise ReviewRefused(
                _("%(child)s không trực thuộc %(parent)s.")
                % {"child": child.name, "parent": parent.name},
                "child",
            )
    with transaction.atomic():
        existing = Quota.objects.select_for_update().filter(phase=phase, parent=parent, child=child)
        if max_count is None:
            existing.delete()
            result = None
        else:
            result, _created = Quota.objects.update_or_create(
                phase=phase,
                parent=parent,
                child=child,
                defaults={
                    "program_id": phase.program_id,
                    "max_count": max_count,
                    "set_by": actor,
                    "set_at": at,
                },
            )
        audit(
            actor=actor,
            action="quota.set",
            object_type="orgs.unit",
            object_id=str(parent.pk),
            phase=phase.pk,
            child=child.code if child else "",
            max_count=max_count,
        )
    return result


# --- Forwarding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """What the cover letter (tờ trình) says about itself."""

    number: str
    dated_on: date
    signer_title: str
    signer_name: str
    place: str = ""


def forwarding_closed(program: Program, at: datetime) -> str:
    """Why nothing can be forwarded at `at`, or "" while forwarding is open."""
    if program.dossier_deadline and at >= program.dossier_deadline:
        return _("Đã hết hạn gửi hồ sơ đề nghị (hạn cuối: trước %(at)s).") % {
            "at": deadline(program.dossier_deadline)
        }
    return ""


def _check_candidate(initiative: Initiative, *, from_unit: Unit, phase: Phase) -> None:
    values = {"receipt": initiative.receipt_display}
    if initiative.phase_id != phase.pk:
        raise ReviewRefused(_("Sáng kiến %(receipt)s không thuộc giai đoạn này.") % values)
    if initiative.status != Status.ELIGIBLE:
        raise ReviewRefused(
            _("Sáng kiến %(receipt)s chưa được xác minh hợp lệ nên không thể đề nghị.") % values
        )
    if Complaint.objects.filter(initiative=initiative, status=ComplaintStatus.OPEN).exists():
        raise ReviewRefused(
            _(
                "Sáng kiến %(receipt)s đang có khiếu nại hoặc tranh chấp quyền tác giả chưa giải "
                "quyết nên không thể đề nghị."
            )
            % values
        )
    if not queries.is_before(initiative, from_unit):
        raise ReviewRefused(
            _("Sáng kiến %(receipt)s không nằm trong danh sách xét chọn của %(unit)s.")
            % {**values, "unit": from_unit.name}
        )
    if Nomination.objects.filter(
        initiative=initiative, from_unit=from_unit, state=NominationState.ACTIVE
    ).exists():
        raise ReviewRefused(_("Sáng kiến %(receipt)s đã được đề nghị lên cấp trên.") % values)


def forward(
    *,
    actor,
    from_unit: Unit,
    phase: Phase,
    initiatives: list[Initiative],
    letter: Letter,
    at: datetime | None = None,
) -> Forwarding:
    """Đề nghị lên cấp trên: the selected initiatives, in rank order, within the parent's quota.

    The quota is counted under a lock on the forwarding unit's row, so two officers forwarding
    at the same instant are serialised and the second sees the first one's nominations.
    """
    at = at or timezone.now()
    program = phase.program
    closed = forwarding_closed(program, at)
    if closed:
        raise ReviewRefused(closed)
    if not initiatives:
        raise ReviewRefused(_("Chọn ít nhất một sáng kiến để đề nghị."), "initiatives")
    if len({i.pk for i in initiatives}) != len(initiatives):
        raise ReviewRefused(_("Mỗi sáng kiến chỉ được chọn một lần."), "initiatives")
    placement = placement_on(from_unit)
    if placement is None or placement.parent is None:
        raise ReviewRefused(_("%(unit)s không có cấp trên để đề nghị.") % {"unit": from_unit.name})
    to_unit = placement.parent
    for initiative in initiatives:
        _not_author(actor, initiative)
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(pk=from_unit.pk).values_list("pk").get()
            # The statuses as they are now, locked against a decision taken meanwhile.
            current = dict(
                Initiative.objects.select_for_update()
                .filter(pk__in=[i.pk for i in initiatives])
                .order_by("pk")
                .values_list("pk", "status")
            )
            for initiative in initiatives:
                initiative.status = current[initiative.pk]
                _check_candidate(initiative, from_unit=from_unit, phase=phase)
            limit = queries.quota_for(phase=phase, unit=from_unit, parent=to_unit)
            used = queries.quota_used(phase=phase, unit=from_unit)
            if limit is not None and used + len(initiatives) > limit:
                raise ReviewRefused(
                    _(
                        "Vượt số lượng đề cử: %(unit)s được đề nghị tối đa %(max)s sáng kiến, đã "
                        "đề nghị %(used)s, còn %(left)s."
                    )
                    % {
                        "unit": from_unit.name,
                        "max": limit,
                        "used": used,
                        "left": max(limit - used, 0),
                    },
                    "initiatives",
                )
            forwarding = Forwarding.objects.create(
                program=program,
                phase=phase,
                from_unit=from_unit,
                to_unit=to_unit,
                number=letter.number.strip(),
                dated_on=letter.dated_on,
                place=letter.place.strip(),
                signer_title=letter.signer_title.strip(),
                signer_name=letter.signer_name.strip(),
                created_by=actor,
                created_at=at,
            )
            Nomination.objects.bulk_create(
                Nomination(
                    forwarding=forwarding,
                    initiative=initiative,
                    phase=phase,
                    from_unit=from_unit,
                    to_unit=to_unit,
                    rank=rank,
                )
                for rank, initiative in enumerate(initiatives, start=1)
            )
            audit(
                actor=actor,
                action="forwarding.create",
                obj=forwarding,
                from_unit=from_unit.code,
                to_unit=to_unit.code,
                receipts=[i.receipt for i in initiatives],
            )
            for rank, initiative in enumerate(initiatives, start=1):
                audit(
                    actor=actor,
                    action="initiative.forward",
                    obj=initiative,
                    from_unit=from_unit.code,
                    to_unit=to_unit.code,
                    rank=rank,
                    forwarding=forwarding.pk,
                )
                notify_submitter(
                    initiative,
                    subject=_("Sáng kiến %(receipt)s được đề nghị lên cấp trên")
                    % {"receipt": initiative.receipt_display},
                    message=_("Sáng kiến %(receipt)s đã được %(from)s đề nghị lên %(to)s.")
                    % {
                        "receipt": initiative.receipt_display,
                        "from": from_unit.name,
                        "to": to_unit.name,
                    },
                )
    except IntegrityError:
        # The partial unique index: the same initiative forwarded twice by a race.
        raise ReviewRefused(_("Sáng kiến đã được đề nghị lên cấp trên.")) from None
    return forwarding


def send_back(
    *, actor, nomination: Nomination, reason: str, at: datetime | None = None
) -> Nomination:
    """Trả lại: the parent returns a nomination to the child with a reason; the child's quota
    frees up and it may forward another initiative (or this one again)."""
    at = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ReviewRefused(_("Ghi rõ lý do trả lại."), "reason")
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update()
            .select_related("initiative", "from_unit", "to_unit")
            .get(pk=nomination.pk)
        )
        initiative = locked.initiative
        if locked.state != NominationState.ACTIVE:
            raise ReviewRefused(_("Sáng kiến này đã được trả lại trước đó."))
        if Nomination.objects.filter(
            initiative=initiative, from_unit=locked.to_unit, state=NominationState.ACTIVE
        ).exists():
            raise ReviewRefused(
                _(
                    "%(unit)s đã đề nghị sáng kiến %(receipt)s lên cấp trên; cấp trên phải trả "
                    "lại trước."
                )
                % {"unit": locked.to_unit.name, "receipt": initiative.receipt_display}
            )
        _not_author(actor, initiative)
        locked.state = NominationState.SENT_BACK
        locked.sent_back_at = at
        locked.sent_back_by = actor
        locked.sent_back_reason = reason
        locked.save(update_fields=["state", "sent_back_at", "sent_back_by", "sent_back_reason"])
        audit(
            actor=actor,
            action="initiative.send_back",
            obj=initiative,
            from_unit=locked.from_unit.code,
            to_unit=locked.to_unit.code,
            reason=reason,
        )
        notify_submitter(
            initiative,
            subject=_("Sáng kiến %(receipt)s được trả lại cấp dưới")
            % {"receipt": initiative.receipt_display},
            message=_("%(to)s đã trả lại sáng kiến %(receipt)s cho %(from)s: %(reason)s")
            % {
                "to": locked.to_unit.name,
                "from": locked.from_unit.name,
                "receipt": initiative.receipt_display,
                "reason": reason,
            },
        )
    return locked


# --- Complaints -------------------------------------------------------------------------------


def complaint_file(
    *,
    initiative: Initiative,
    kind: str,
    complainant: str,
    text: str,
    actor=None,
    at: datetime | None = None,
) -> Complaint:
    """Khiếu nại or tranh chấp quyền tác giả, by the submitter (actor None, after proving the
    receipt) or by an officer. While it is open the initiative cannot be forwarded."""
    at = at or timezone.now()
    complainant, text = complainant.strip(), text.strip()
    if kind not in ComplaintKind.values:
        raise ReviewRefused(_("Chọn loại khiếu nại."), "kind")
    if not complainant:
        raise ReviewRefused(_("Nhập họ tên người khiếu nại."), "complainant")
    if not text:
        raise ReviewRefused(_("Nhập nội dung khiếu nại."), "text")
    if len(text) > COMPLAINT_MAX_CHARS:
        raise ReviewRefused(
            _("Nội dung tối đa %(max)s ký tự.") % {"max": COMPLAINT_MAX_CHARS}, "text"
        )
    via = FiledVia.SUBMITTER if actor is None else FiledVia.OFFICER
    with transaction.atomic():
        if via == FiledVia.SUBMITTER:
            open_count = (
                Complaint.objects.select_for_update()
                .filter(initiative=initiative, filed_via=via, status=ComplaintStatus.OPEN)
                .count()
            )
            if open_count >= OPEN_COMPLAINTS_PER_SUBMITTER:
                raise ReviewRefused(
                    _("Sáng kiến này đã có %(n)s khiếu nại đang giải quyết.") % {"n": open_count},
                    "text",
                )
        complaint = Complaint.objects.create(
            initiative=initiative,
            kind=kind,
            filed_via=via,
            filed_by=actor,
            complainant=complainant,
            text=text,
            filed_at=at,
        )
        audit(
            actor=actor, action="complaint.file", obj=initiative, complaint=complaint.pk, kind=kind
        )
        notify_submitter(
            initiative,
            subject=_("Khiếu nại về sáng kiến %(receipt)s")
            % {"receipt": initiative.receipt_display},
            message=_(
                "Đã ghi nhận %(kind)s đối với sáng kiến %(receipt)s. Sáng kiến tạm dừng xét "
                "chọn cho đến khi giải quyết xong."
            )
            % {"kind": complaint.get_kind_display().lower(), "receipt": initiative.receipt_display},
        )
    return complaint


def complaint_resolve(
    *, actor, complaint: Complaint, status: str, resolution: str, at: datetime | None = None
) -> Complaint:
    at = at or timezone.now()
    resolution = resolution.strip()
    if status not in (ComplaintStatus.UPHELD, ComplaintStatus.DISMISSED):
        raise ReviewRefused(_("Chọn kết quả giải quyết."), "status")
    if not resolution:
        raise ReviewRefused(_("Ghi rõ lý do của kết quả giải quyết."), "resolution")
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        initiative = locked.initiative
        if locked.status != ComplaintStatus.OPEN:
            raise ReviewRefused(_("Khiếu nại này đã được giải quyết."))
        _not_author(actor, initiative)
        locked.status = status
        locked.resolution = resolution
        locked.resolved_by = actor
        locked.resolved_at = at
        locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        audit(
            actor=actor,
            action="complaint.resolve",
            obj=initiative,
            complaint=locked.pk,
            status=status,
            resolution=resolution,
        )
        notify_submitter(
            initiative,
            subject=_("Kết quả giải quyết khiếu nại sáng kiến %(receipt)s")
            % {"receipt": initiative.receipt_display},
            message=_("%(status)s: %(resolution)s")
            % {"status": locked.get_status_display(), "resolution": resolution},
        )
    return locked
