"""Writes of initiatives: submit (idempotently), edit, withdraw, change status, stage uploads."""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangkien.common.audit import audit
from sangkien.common.notify import notify
from sangkien.common.personal import encrypt, keyed_hash
from sangkien.common.templatetags.vn import deadline, dmy_hm
from sangkien.common.text import fold
from sangkien.common.timewindows import vn_date
from sangkien.initiatives.eligibility import credited_position
from sangkien.initiatives.enums import Channel, Status
from sangkien.initiatives.models import Attachment, Author, Initiative, StatusChange
from sangkien.initiatives.receipts import new_receipt
from sangkien.initiatives.similarity import (
    fingerprint,
    original_of,
    original_subquery,
    search_text,
)
from sangkien.initiatives.uploads import Sniffed
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import placement_on
from sangkien.programs import windows
from sangkien.programs.models import Program
from sangkien.targets.services import mark_dirty

log = logging.getLogger("sangkien.initiatives")

# The wording of the consent a submitter ticked; bump it when the text on the form changes.
CONSENT_VERSION = "2026-01"
EDITABLE = {Status.SUBMITTED, Status.NEEDS_INFO}
# Which status may follow which; review (issue 4) adds its own steps here.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.NEEDS_INFO, Status.ELIGIBLE, Status.NOT_ELIGIBLE, Status.WITHDRAWN},
    Status.NEEDS_INFO: {Status.SUBMITTED, Status.NOT_ELIGIBLE, Status.WITHDRAWN},
    Status.ELIGIBLE: {Status.NOT_ELIGIBLE},
    Status.NOT_ELIGIBLE: {Status.ELIGIBLE},
    Status.WITHDRAWN: set(),
}


class SubmissionRefused(Exception):
    """The programme does not accept this now; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AuthorInput:
    full_name: str
    phone: str = ""  # normalised "0912345678", or empty for a co-author without one
    id_number: str = ""  # 9 or 12 digits; empty on an edit keeps the stored one
    id_kind: str = ""
    share: Decimal = Decimal(100)


@dataclass(frozen=True)
class SubmissionInput:
    unit: Unit
    block: str
    target_group: str
    kind: str
    title: str
    description: str
    first_applied_on: date
    recognized_by: str
    recognition_number: str
    recognition_date: date
    benefit_vnd: int | None
    benefit_text: str
    drive_link: str
    not_ip_protected: bool
    lawful: bool
    authors: list[AuthorInput]
    notify_email: str = ""
    remove_attachments: list[int] = field(default_factory=list)
    # Where the unit stood on `unit_path_on`, when the validator has just read it.
    unit_path: str = ""
    unit_path_on: date | None = None


def closed_message(program: Program, at: datetime) -> str:
    """Why the programme takes nothing at `at`: not yet open, between phases, or closed."""
    opens = windows.next_opening(program, at)
    if opens is not None:
        return _("Chương trình chưa mở nhận sáng kiến. Cổng nộp mở lúc %(at)s.") % {
            "at": dmy_hm(opens)
        }
    return _("Chương trình đã hết thời gian nhận sáng kiến (hạn cuối: trước %(at)s).") % {
        "at": deadline(program.submission_closes_at)
    }


def content_key(title: str, description: str) -> str:
    """Equal for two texts that differ only in accents, case, spacing and punctuation."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(title + "\n" + description))
    return hashlib.sha256(" ".join(words.split()).encode()).hexdigest()


def _fields(data: SubmissionInput) -> dict:
    return {
        "unit": data.unit,
        "block": data.block,
        "target_group": data.target_group,
        "kind": data.kind,
        "title": data.title,
        "description": data.description,
        "first_applied_on": data.first_applied_on,
        "recognized_by": data.recognized_by,
        "recognition_number": data.recognition_number,
        "recognition_date": data.recognition_date,
        "benefit_vnd": data.benefit_vnd,
        "benefit_text": data.benefit_text,
        "drive_link": data.drive_link,
        "not_ip_protected": data.not_ip_protected,
        "lawful": data.lawful,
        "notify_email": data.notify_email,
        "content_key": content_key(data.title, data.description),
        **fingerprint(data.title, data.description).as_fields(),
    }


def _search_text(receipt: str, data: SubmissionInput) -> str:
    return search_text(receipt, data.title, [author.full_name for author in data.authors])


def _unit_path(unit: Unit, at: datetime) -> str:
    placement = placement_on(unit, vn_date(at))
    if placement is None:
        raise SubmissionRefused(_("Đơn vị %(name)s không còn hoạt động.") % {"name": unit.name})
    return placement.path


def _write_authors(
    initiative: Initiative, authors: list[AuthorInput], kept: dict[int, Author] | None = None
) -> None:
    credited = credited_position(initiative.program, initiative.kind, [a.share for a in authors])
    rows = []
    for position, person in enumerate(authors):
        old = (kept or {}).get(position)
        row = Author(
            initiative=initiative,
            position=position,
            full_name=person.full_name,
            phone_cipher=encrypt(person.phone),
            phone_hash=keyed_hash(person.phone),
            phone_tail=person.phone[-3:],
            share=person.share,
            is_credited=position == credited,
        )
        if person.id_number:
            row.id_kind = person.id_kind
            row.id_cipher = encrypt(person.id_number)
            row.id_hash = keyed_hash(person.id_number)
            row.id_tail = person.id_number[-3:]
        elif old is not None:
            row.id_kind, row.id_cipher = old.id_kind, old.id_cipher
            row.id_hash, row.id_tail = old.id_hash, old.id_tail
        rows.append(row)
    Author.objects.bulk_create(rows)


def _receipt_message(initiative: Initiative) -> str:
    return _(
        'Sáng kiến "%(title)s" đã được nhận. Mã biên nhận: %(receipt)s. Tra cứu tại '
        "%(url)s/tra-cuu/"
    ) % {
        "title": initiative.title[:60],
        "receipt": initiative.receipt_display,
        "url": settings.SITE_URL,
    }


def _schedule_receipt(initiative: Initiative, *, phone: str, email: str) -> None:
    subject = _("Biên nhận sáng kiến %(receipt)s") % {"receipt": initiative.receipt_display}
    message = _receipt_message(initiative)
    transaction.on_commit(
        lambda: notify(phone=phone, email=email, subject=subject, message=message)
    )


def initiative_submit(
    *,
    program: Program,
    data: SubmissionInput,
    actor=None,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    request_hash: str = "",
    form_token: str = "",
    at: datetime | None = None,
    send_receipt: bool = True,
    key_checked: bool = False,
) -> tuple[Initiative, bool]:
    """Record an initiative and answer (initiative, created).

    With an `idempotency_key` already used, the first initiative is answered and nothing is
    written, whatever the clock says: a retry after a timeout must find what was acknowledged.
    `key_checked`: no lookup before the insert; a stored key is found through the unique index's
    refusal (the web form, which looks for the key itself before refusing anything).
    The staged uploads of `form_token` become its attachments in the same transaction.
    """
    at = at or timezone.now()
    if idempotency_key and not key_checked:
        existing = Initiative.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if not windows.is_open(program, at):
        raise SubmissionRefused(closed_message(program, at))
    path = data.unit_path if data.unit_path_on == vn_date(at) else _unit_path(data.unit, at)
    phone = data.authors[0].phone
    values = _fields(data)
    # The one extra query of a submission: is this text already in the programme?
    original = original_of(program_id=program.pk, key=values["content_key"], submitted_at=at)
    for _attempt in range(5):
        receipt = new_receipt()
        try:
            with transaction.atomic():
                initiative = Initiative.objects.create(
                    receipt=receipt,
                    program=program,
                    phase=windows.phase_open_at(program, at),
                    unit_path=path,
                    status=Status.SUBMITTED,
                    consent_at=at,
                    consent_version=CONSENT_VERSION,
                    channel=channel,
                    submitted_by=actor if getattr(actor, "pk", None) else None,
                    submitted_at=at,
                    idempotency_key=idempotency_key or None,
                    request_hash=request_hash,
                    search_text=_search_text(receipt, data),
                    duplicate_of_id=original,
                    **values,
                )
                _write_authors(initiative, data.authors)
                if form_token:
                    Attachment.objects.filter(form_token=form_token, initiative=None).update(
                        initiative=initiative
                    )
                StatusChange.objects.create(
                    initiative=initiative,
                    to_status=Status.SUBMITTED,
                    at=at,
                    actor=initiative.submitted_by,
                )
                audit(actor=actor, action="initiative.submit", obj=initiative, channel=channel)
                mark_dirty([initiative.pk])
                if send_receipt:
                    _schedule_receipt(initiative, phone=phone, email=data.notify_email)
            return initiative, True
        except IntegrityError:
            if idempotency_key:
                existing = Initiative.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing, False
            # Otherwise the random receipt collided with an earlier one: draw again.
    raise RuntimeError("no free receipt code after 5 draws")


def editable(initiative: Initiative, at: datetime) -> str | None:
    """None if the submitter may still change or withdraw it at `at`, else the reason."""
    if initiative.status not in EDITABLE:
        return _('Sáng kiến đang ở trạng thái "%(status)s" nên không thể sửa hoặc rút nữa.') % {
            "status": initiative.get_status_display()
        }
    if not windows.is_open(initiative.program, at):
        return closed_message(initiative.program, at)
    return None


def transition(
    initiative: Initiative,
    to: str,
    *,
    actor=None,
    reason_code: str = "",
    message: str = "",
    at: datetime | None = None,
) -> StatusChange:
    """The one way an initiative changes status: checked, saved, history and audit written."""
    at = at or timezone.now()
    # The status in the database decides, not a copy read earlier by the caller.
    with transaction.atomic():
        initiative.status = (
            Initiative.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=initiative.pk)
        )
        return _transition_locked(initiative, to, actor, reason_code, message, at)


def _transition_locked(initiative, to, actor, reason_code, message, at) -> StatusChange:
    if to not in TRANSITIONS[initiative.status]:
        raise SubmissionRefused(
            _('Không thể chuyển từ "%(from)s" sang "%(to)s".')
            % {"from": initiative.get_status_display(), "to": Status(to).label}
        )
    change = StatusChange.objects.create(
        initiative=initiative,
        from_status=initiative.status,
        to_status=to,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        reason_code=reason_code,
        message=message,
    )
    initiative.status = to
    initiative.save(update_fields=["status", "updated_at"])
    mark_dirty([initiative.pk])
    audit(
        actor=actor,
        action="initiative.status",
        obj=initiative,
        from_status=change.from_status,
        to_status=to,
        reason_code=reason_code,
        message=message,
    )
    return change


@transaction.atomic
def initiative_edit(
    *,
    initiative: Initiative,
    data: SubmissionInput,
    actor=None,
    form_token: str = "",
    at: datetime | None = None,
) -> Initiative:
    """The submitter corrects an initiative still waiting for review; one that was sent back for
    more information (needs_info) goes back to the reviewers as submitted."""
    at = at or timezone.now()
    locked = Initiative.objects.select_for_update().select_related("program").get(pk=initiative.pk)
    reason = editable(locked, at)
    if reason:
        raise SubmissionRefused(reason)
    values = _fields(data)
    values["unit_path"] = (
        _unit_path(data.unit, at) if data.unit.pk != locked.unit_id else locked.unit_path
    )
    values["search_text"] = _search_text(locked.receipt, data)
    old_key = locked.content_key
    values["duplicate_of_id"] = original_of(
        program_id=locked.program_id,
        key=values["content_key"],
        submitted_at=locked.submitted_at,
        pk=locked.pk,
    )
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*values.keys(), "updated_at"])
    if old_key != locked.content_key:
        # Later initiatives that repeated the old text, or repeat the new one, are re-linked.
        later = Q(submitted_at__gt=locked.submitted_at) | Q(
            submitted_at=locked.submitted_at, pk__gt=locked.pk
        )
        Initiative.objects.filter(
            later,
            program_id=locked.program_id,
            content_key__in=[old_key, locked.content_key],
        ).update(duplicate_of=original_subquery())
    kept = {author.position: author for author in locked.authors.all()}
    locked.authors.all().delete()
    _write_authors(locked, data.authors, kept)
    if data.remove_attachments:
        for attachment in locked.attachments.filter(pk__in=data.remove_attachments):
            attachment.delete()
            transaction.on_commit(lambda f=attachment.file: f.delete(save=False))
    if form_token:
        Attachment.objects.filter(form_token=form_token, initiative=None).update(initiative=locked)
    audit(actor=actor, action="initiative.edit", obj=locked)
    mark_dirty([locked.pk])
    if locked.status == Status.NEEDS_INFO:
        transition(locked, Status.SUBMITTED, actor=actor, message=_("Người nộp đã bổ sung."), at=at)
    return locked


@transaction.atomic
def initiative_withdraw(
    *, initiative: Initiative, actor=None, at: datetime | None = None
) -> Initiative:
    at = at or timezone.now()
    locked = Initiative.objects.select_for_update().select_related("program").get(pk=initiative.pk)
    reason = editable(locked, at)
    if reason:
        raise SubmissionRefused(reason)
    transition(locked, Status.WITHDRAWN, actor=actor, message=_("Người nộp rút sáng kiến."), at=at)
    # Copies that pointed at it now repeat the next earlier one, or nothing.
    Initiative.objects.filter(duplicate_of=locked).update(duplicate_of=original_subquery())
    return locked


def upload_stage(*, form_token: str, sniffed: Sniffed, original_name: str, fileobj) -> Attachment:
    """Write an accepted upload to storage, then commit its row; a failed commit removes the file.

    A file without a row can only be left by a process killed between the two steps, and
    `sweep_uploads` removes such files; a row never exists without its file.
    """
    now = timezone.now()
    attachment = Attachment(
        form_token=form_token,
        kind=sniffed.kind,
        original_name=original_name[:255],
        size=sniffed.size,
        sha256=sniffed.sha256,
        created_at=now,
    )
    name = f"{secrets.token_urlsafe(16)}.{sniffed.extension}"
    attachment.file.save(name, File(fileobj), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def upload_unstage(*, form_token: str, ids: list[int]) -> int:
    """Drop staged uploads the person removed from the form (never an initiative's files)."""
    staged = list(Attachment.objects.filter(form_token=form_token, initiative=None, pk__in=ids))
    for attachment in staged:
        attachment.delete()
        attachment.file.delete(save=False)
    return len(staged)
