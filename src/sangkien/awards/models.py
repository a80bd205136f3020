"""Awards decided by a union level, and the authors' consent to the public gallery."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangkien.awards.enums import AwardKind
from sangkien.initiatives.models import Initiative
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program

SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # the receipts' alphabet: no 0/O, no 1/I
SERIAL_LENGTH = 10


def new_serial() -> str:
    """ "KT-7XQ4M9PA2C": printed on the certificate, so it can be checked against the portal."""
    return "KT-" + "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))


class Award(models.Model):
    """Khen thưởng: one decision of `granting_unit` for one recipient (a unit or an initiative).

    `granting_path` and `recipient_path` are where the two stood in the tree when the award was
    recorded (the initiative's own `unit_path` for an initiative), so who may see an award is one
    indexed prefix test, like an initiative. A revoked award is kept, marked, for the record.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="awards")
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=AwardKind.choices)
    granting_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="awards_granted",
        verbose_name=_("đơn vị quyết định"),
    )
    granting_path = models.CharField(max_length=255, db_index=True)
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    period = models.CharField(_("kỳ khen thưởng"), max_length=64, blank=True)
    recipient_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards_received",
        verbose_name=_("đơn vị được khen"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("sáng kiến được khen"),
    )
    recipient_path = models.CharField(max_length=255, db_index=True)
    citation = models.TextField(_("nội dung khen"))
    place = models.CharField(_("địa danh"), max_length=100)
    signer_title = models.CharField(_("chức danh người ký"), max_length=200)
    signer_name = models.CharField(_("người ký"), max_length=150)
    # Drawn by the service (a default would make the migration import app code).
    serial = models.CharField(_("số hiệu"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="awards_recorded"
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards_revoked",
    )
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient_unit__isnull=False, initiative__isnull=True)
                    | Q(recipient_unit__isnull=True, initiative__isnull=False)
                ),
                name="award_one_recipient",
            ),
            # Decision numbers are numbered by each issuing body, so the granting unit is part of
            # the key; a revoked award does not block recording the decision again.
            models.UniqueConstraint(
                fields=["granting_unit", "kind", "decision_number", "recipient_unit"],
                condition=Q(recipient_unit__isnull=False, revoked_at__isnull=True),
                name="award_unit_decision_uniq",
            ),
            models.UniqueConstraint(
                fields=["granting_unit", "kind", "decision_number", "initiative"],
                condition=Q(initiative__isnull=False, revoked_at__isnull=True),
                name="award_initiative_decision_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "kind"], name="award_program_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number} ({self.serial})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class GalleryConsent(models.Model):
    """Đồng ý công khai: the submitter confirms that every author agreed to show their names and
    the initiative in the public gallery. Withdrawing keeps the row, with `withdrawn_at` set."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="gallery_consent"
    )
    wording_version = models.CharField(max_length=16)
    given_at = models.DateTimeField(_("đồng ý lúc"))
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đồng ý công khai sáng kiến")
        verbose_name_plural = _("đồng ý công khai sáng kiến")

    def __str__(self) -> str:
        return f"{self.initiative_id} {'withdrawn' if self.withdrawn_at else 'given'}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
