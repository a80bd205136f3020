"""Writes of awards: record and revoke a decision; give and withdraw consent to the gallery."""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangkien.awards import rules
from sangkien.awards.enums import AwardKind
from sangkien.awards.models import Award, GalleryConsent, new_serial
from sangkien.common.audit import audit
from sangkien.common.templatetags.vn import dmy
from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.notices import notify_submitter
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import anchor_path, placement_on, today
from sangkien.programs.models import Phase, Program

# The wording of the gallery consent the submitter ticks; bump it when the text changes.
GALLERY_CONSENT_VERSION = "2026-01"
# Initiatives a reviewer refused, or their submitter withdrew, cannot be awarded.
NOT_AWARDABLE = {Status.WITHDRAWN, Status.NOT_ELIGIBLE}


class AwardRefused(Exception):
    """An award or a consent was refused; `message` says why in Vietnamese, `field` names the
    form field it belongs next to (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_texts(**texts: str) -> dict[str, str]:
    labels = {
        "decision_number": _("Nhập số quyết định."),
        "citation": _("Nhập nội dung khen."),
        "signer_title": _("Nhập chức danh người ký."),
        "signer_name": _("Nhập họ tên người ký."),
    }
    cleaned = {name: (value or "").strip() for name, value in texts.items()}
    for name, message in labels.items():
        if not cleaned.get(name):
            raise AwardRefused(message, field=name)
    return cleaned


def initiative_not_found(receipt: str, granting_unit: Unit | None) -> str:
    """The same words for an unknown receipt and one outside the subtree: the form does not tell
    an officer which receipts exist elsewhere."""
    shown = f"{receipt[:4]}-{receipt[4:]}"
    if granting_unit is None:
        return _("Không có sáng kiến mã biên nhận %(receipt)s.") % {"receipt": shown}
    return _("Không có sáng kiến mã biên nhận %(receipt)s trong phạm vi của %(granting)s.") % {
        "receipt": shown,
        "granting": granting_unit.name,
    }


def _check_recipient(
    *, actor, program: Program, granting_unit: Unit, granting_path: str, recipient_unit, initiative
) -> str:
    """The recipient's path, once it is known to be inside the deciding unit's subtree."""
    if (recipient_unit is None) == (initiative is None):
        raise AwardRefused(
            _("Chọn đúng một nơi nhận khen thưởng: một đơn vị hoặc một sáng kiến."),
            field="recipient_unit",
        )
    if recipient_unit is not None:
        if not rules.unit_inside(recipient_unit, granting_path):
            raise AwardRefused(
                _("Đơn vị %(unit)s không thuộc phạm vi của %(granting)s.")
                % {"unit": recipient_unit.name, "granting": granting_unit.name},
                field="recipient_unit",
            )
        return anchor_path(recipient_unit) or ""
    if not rules.initiative_inside(initiative, granting_path):
        raise AwardRefused(
            initiative_not_found(initiative.receipt, granting_unit), field="recipient_receipt"
        )
    if initiative.program_id != program.pk:
        raise AwardRefused(
            _("Sáng kiến %(receipt)s thuộc chương trình khác.")
            % {"receipt": initiative.receipt_display},
            field="recipient_receipt",
        )
    if initiative.status in NOT_AWARDABLE:
        raise AwardRefused(
            _('Sáng kiến %(receipt)s đang ở trạng thái "%(status)s" nên không thể khen thưởng.')
            % {"receipt": initiative.receipt_display, "status": initiative.get_status_display()},
            field="recipient_receipt",
        )
    if rules.is_author(actor, initiative):
        raise AwardRefused(
            _("Bạn là tác giả của sáng kiến này nên không thể ghi khen thưởng cho sáng kiến này."),
            field="recipient_receipt",
        )
    return initiative.unit_path


def _duplicate(granting_unit, kind, decision_number, recipient_unit, initiative) -> bool:
    return Award.objects.filter(
        granting_unit=granting_unit,
        kind=kind,
        decision_number=decision_number,
        recipient_unit=recipient_unit,
        initiative=initiative,
        revoked_at__isnull=True,
    ).exists()


def _duplicate_refusal(decision_number: str) -> AwardRefused:
    return AwardRefused(
        _("Quyết định số %(number)s đã được ghi với hình thức này cho nơi nhận này.")
        % {"number": decision_number},
        field="decision_number",
    )


def award_record(
    *,
    actor,
    program: Program,
    phase: Phase | None,
    kind: str,
    granting_unit: Unit,
    decision_number: str,
    decision_date: date,
    recipient_unit: Unit | None = None,
    initiative: Initiative | None = None,
    citation: str,
    signer_title: str,
    signer_name: str,
    period: str = "",
    place: str = "",
) -> Award:
    """Record a decision of `granting_unit` for one recipient, checked, with its audit row, in one
    transaction; the lead author of an awarded initiative is told after the commit."""
    texts = _check_texts(
        decision_number=decision_number,
        citation=citation,
        signer_title=signer_title,
        signer_name=signer_name,
    )
    if kind not in AwardKind.values:
        raise AwardRefused(_("Chọn hình thức khen thưởng."), field="kind")
    if decision_date > today():
        raise AwardRefused(_("Ngày quyết định không thể sau hôm nay."), field="decision_date")
    if phase is not None and phase.program_id != program.pk:
        raise AwardRefused(_("Giai đoạn không thuộc chương trình đã chọn."), field="phase")
    granting_path = _granting_path(actor, granting_unit)
    number = texts["decision_number"]
    with transaction.atomic():
        if initiative is not None:
            # Its status in the database decides (a withdrawal may have just happened), and the
            # lock keeps it from changing until the award is stored.
            initiative = (
                Initiative.objects.select_for_update(of=("self",))
                .select_related("unit")
                .get(pk=initiative.pk)
            )
        recipient_path = _check_recipient(
            actor=actor,
            program=program,
            granting_unit=granting_unit,
            granting_path=granting_path,
            recipient_unit=recipient_unit,
            initiative=initiative,
        )
        if _duplicate(granting_unit, kind, number, recipient_unit, initiative):
            raise _duplicate_refusal(number)
        award = _insert(
            Award(
                program=program,
                phase=phase,
                kind=kind,
                granting_unit=granting_unit,
                granting_path=granting_path,
                decision_number=number,
                decision_date=decision_date,
                period=(period or "").strip(),
                recipient_unit=recipient_unit,
                initiative=initiative,
                recipient_path=recipient_path,
                citation=texts["citation"],
                place=(place or "").strip(),
                signer_title="\n".join(texts["signer_title"].splitlines()),
                signer_name=texts["signer_name"],
                created_by=actor,
            )
        )
        audit(
            actor=actor,
            action="award.record",
            obj=award,
            kind=kind,
            granting_unit=granting_unit.code,
            decision_number=number,
            recipient_unit=recipient_unit.code if recipient_unit else "",
            initiative=initiative.receipt if initiative else "",
        )
        if initiative is not None:
            _schedule_award_notice(award, initiative)
    return award


def _granting_path(actor, granting_unit: Unit) -> str:
    """The deciding unit's path today, once the actor is known to cover it."""
    if actor is None or not rules.may_grant_for(actor, granting_unit):
        raise AwardRefused(
            _("Bạn không phụ trách %(unit)s nên không thể ghi khen thưởng của đơn vị này.")
            % {"unit": granting_unit.name},
            field="granting_unit",
        )
    placement = placement_on(granting_unit)
    if placement is None:
        raise AwardRefused(
            _("Đơn vị %(unit)s không còn hoạt động.") % {"unit": granting_unit.name},
            field="granting_unit",
        )
    return placement.path


def _insert(award: Award) -> Award:
    """Save with a fresh serial; a collision draws again, a concurrent twin is refused."""
    for _attempt in range(5):
        award.serial = new_serial()
        try:
            with transaction.atomic():
                award.save(force_insert=True)
            return award
        except IntegrityError:
            if _duplicate(
                award.granting_unit,
                award.kind,
                award.decision_number,
                award.recipient_unit,
                award.initiative,
            ):
                raise _duplicate_refusal(award.decision_number) from None
    raise RuntimeError("no free award serial after 5 draws")


def _schedule_award_notice(award: Award, initiative: Initiative) -> None:
    message = _(
        'Sáng kiến "%(title)s" (mã biên nhận %(receipt)s) được %(granting)s khen thưởng: '
        "%(kind)s, quyết định số %(number)s ngày %(date)s. Tra cứu tại %(url)s/tra-cuu/"
    ) % {
        "title": initiative.title[:60],
        "receipt": initiative.receipt_display,
        "granting": award.granting_unit.name,
        "kind": award.get_kind_display(),
        "number": award.decision_number,
        "date": dmy(award.decision_date),
        "url": settings.SITE_URL,
    }
    notify_submitter(
        initiative,
        subject=_("Khen thưởng sáng kiến %(receipt)s") % {"receipt": initiative.receipt_display},
        message=message,
    )


def award_revoke(*, actor, award: Award, reason: str, at: datetime | None = None) -> Award:
    """Thu hồi: the award stays, marked revoked with who, when and why; it leaves the gallery and
    its certificate can no longer be printed, and the same decision may be recorded again."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardRefused(_("Nhập lý do thu hồi."), field="reason")
    locked = Award.objects.select_for_update().select_related("granting_unit").get(pk=award.pk)
    if locked.is_revoked:
        raise AwardRefused(_("Khen thưởng này đã được thu hồi."))
    if actor is None or not rules.may_grant_for(actor, locked.granting_unit):
        raise AwardRefused(
            _("Bạn không phụ trách %(unit)s nên không thể thu hồi khen thưởng của đơn vị này.")
            % {"unit": locked.granting_unit.name}
        )
    locked.revoked_at = at or timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit(actor=actor, action="award.revoke", obj=locked, reason=reason)
    return locked


@transaction.atomic
def gallery_consent_give(*, initiative: Initiative, at: datetime | None = None) -> GalleryConsent:
    """The submitter, for every author, agrees to the gallery (given again after a withdrawal)."""
    at = at or timezone.now()
    status = Initiative.objects.values_list("status", flat=True).get(pk=initiative.pk)
    if status == Status.WITHDRAWN:
        raise AwardRefused(_("Sáng kiến đã rút nên không thể công khai."))
    consent = GalleryConsent.objects.select_for_update().filter(initiative=initiative).first()
    if consent is None:
        consent = GalleryConsent.objects.create(
            initiative=initiative, wording_version=GALLERY_CONSENT_VERSION, given_at=at
        )
    else:
        consent.given_at, consent.withdrawn_at = at, None
        consent.wording_version = GALLERY_CONSENT_VERSION
        consent.save(update_fields=["given_at", "withdrawn_at", "wording_version"])
    audit(
        actor=None,
        action="gallery.consent_give",
        obj=initiative,
        wording_version=GALLERY_CONSENT_VERSION,
    )
    return consent


@transaction.atomic
def gallery_consent_withdraw(
    *, initiative: Initiative, at: datetime | None = None
) -> GalleryConsent | None:
    """The names and the initiative leave the gallery at once; withdrawing twice changes nothing."""
    consent = GalleryConsent.objects.select_for_update().filter(initiative=initiative).first()
    if consent is None or consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = at or timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit(actor=None, action="gallery.consent_withdraw", obj=initiative)
    return consent
