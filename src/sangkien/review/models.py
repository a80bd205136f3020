"""Review: the programme's scoring rubric, reviewers' scores, quotas, forwardings with their
nominations, and complaints."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangkien.initiatives.models import Initiative
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.review.enums import ComplaintKind, ComplaintStatus, FiledVia, NominationState


class Criterion(models.Model):
    """Tiêu chí chấm điểm: one line of a programme's rubric, with its weight and its scale."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("mã"), max_length=64)
    name = models.CharField(_("tiêu chí"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("trọng số"), default=1)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"), default=10)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        ordering = ["program", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="criterion_code_uniq"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """Phiếu chấm: one reviewer's scores of one initiative at one level (the unit scoring).

    `total` is the weighted score on 0–100. It is never shown to the submitter.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    points = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)
    scored_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiếu chấm")
        verbose_name_plural = _("phiếu chấm")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "unit", "reviewer"], name="score_one_per_reviewer"
            ),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="score_0_100"),
        ]
        indexes = [models.Index(fields=["unit", "initiative"], name="score_unit_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id} @ {self.unit_id}: {self.total}"


class Quota(models.Model):
    """Số lượng đề cử: how many initiatives a child of `parent` may forward to it in a phase.

    A row without `child` is the parent's rule for all its children; a row with `child` is an
    exception for that one. Without either, the programme's ForwardingQuota for the child's level
    applies, and without that there is no limit.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="quotas_set")
    child = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="quotas_received"
    )
    max_count = models.PositiveIntegerField(_("số sáng kiến tối đa"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("số lượng đề cử")
        verbose_name_plural = _("số lượng đề cử")
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "parent"],
                condition=Q(child__isnull=True),
                name="quota_parent_default_uniq",
            ),
            models.UniqueConstraint(
                fields=["phase", "parent", "child"],
                condition=Q(child__isnull=False),
                name="quota_parent_child_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id or '*'}: {self.max_count}"


class Forwarding(models.Model):
    """Đợt đề nghị: a unit sends selected initiatives to its parent with a dossier (tờ trình
    and bảng tổng hợp), under a number and a date."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="forwardings_sent")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="forwardings_received")
    number = models.CharField(_("số tờ trình"), max_length=64)
    dated_on = models.DateField(_("ngày tờ trình"))
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150)
    signer_name = models.CharField(_("người ký"), max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("đợt đề nghị")
        verbose_name_plural = _("đợt đề nghị")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["from_unit", "created_at"], name="forwarding_from_idx"),
            models.Index(fields=["to_unit", "created_at"], name="forwarding_to_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Nomination(models.Model):
    """One initiative in a forwarding, with its rank. Sent back by the parent, it stops counting
    against the child's quota and the child may forward another one."""

    forwarding = models.ForeignKey(Forwarding, on_delete=models.CASCADE, related_name="nominations")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="nominations")
    # Copied from the forwarding so that quotas and queues are one indexed query.
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("thứ tự"))
    state = models.CharField(
        max_length=16, choices=NominationState.choices, default=NominationState.ACTIVE
    )
    sent_back_at = models.DateTimeField(null=True, blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_back_reason = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("sáng kiến được đề nghị")
        verbose_name_plural = _("sáng kiến được đề nghị")
        ordering = ["forwarding", "rank"]
        constraints = [
            # A unit forwards an initiative once; after a send-back it may forward it again.
            models.UniqueConstraint(
                fields=["initiative", "from_unit"],
                condition=Q(state="active"),
                name="nomination_once_per_level",
            ),
        ]
        indexes = [
            models.Index(fields=["phase", "from_unit", "state"], name="nomination_quota_idx"),
            models.Index(fields=["to_unit", "state"], name="nomination_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_unit_id} → {self.to_unit_id} #{self.rank}"


class Complaint(models.Model):
    """Khiếu nại, tranh chấp quyền tác giả. While one is open the initiative cannot be forwarded
    (seed 002: a dossier is valid only without complaint or dispute)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="complaints")
    kind = models.CharField(_("loại"), max_length=16, choices=ComplaintKind.choices)
    filed_via = models.CharField(max_length=16, choices=FiledVia.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complainant = models.CharField(_("người khiếu nại"), max_length=150)
    text = models.TextField(_("nội dung"))
    filed_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("khiếu nại")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["initiative", "status"], name="complaint_open_idx")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.kind} ({self.status})"
