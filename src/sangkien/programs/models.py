"""A programme, its phases, its option lists and its forwarding quotas."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sangkien.programs.enums import AttachmentType, OptionList


def default_attachment_types() -> list[str]:
    return list(AttachmentType.values)


class Program(models.Model):
    """Chương trình: a campaign with its rules. Every rule is a field here, none is in code."""

    code = models.SlugField(_("mã chương trình"), max_length=64, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=300)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    summary = models.TextField(_("giới thiệu"), blank=True)
    rules_text = models.TextField(
        _("thể lệ (điều kiện, trường hợp không được tham gia)"), blank=True
    )
    submission_opens_at = models.DateTimeField(_("mở cổng nộp từ"))
    submission_closes_at = models.DateTimeField(_("đóng cổng nộp lúc (không gồm)"))
    eligible_from = models.DateField(_("sáng kiến áp dụng từ ngày"))
    eligible_to = models.DateField(_("sáng kiến áp dụng đến hết ngày"))
    description_max_chars = models.PositiveIntegerField(_("số ký tự mô tả tối đa"), default=2000)
    total_target = models.PositiveIntegerField(_("chỉ tiêu toàn quốc"), null=True, blank=True)
    participation_target_percent = models.DecimalField(
        _("tỷ lệ đoàn viên tham gia tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    participation_target_level = models.PositiveSmallIntegerField(
        _("áp dụng tỷ lệ tham gia cho đơn vị cấp"), null=True, blank=True
    )
    min_per_grassroots = models.PositiveIntegerField(
        _("số sáng kiến tối thiểu mỗi CĐCS"), null=True, blank=True
    )
    # Seed 003 §V.1: the phase-1 merit certificates go to the units "leading on the portal";
    # how many of them is the programme's rule, not a constant.
    leaders_awarded = models.PositiveSmallIntegerField(
        _("số đơn vị dẫn đầu được đề nghị khen thưởng sơ kết"), default=10
    )
    max_attachments = models.PositiveSmallIntegerField(_("số tệp đính kèm tối đa"), default=5)
    max_attachment_mb = models.PositiveSmallIntegerField(
        _("dung lượng mỗi tệp tối đa (MB)"), default=10
    )
    attachment_types = models.JSONField(_("loại tệp được nhận"), default=default_attachment_types)
    allow_drive_link = models.BooleanField(_("cho phép gửi đường dẫn Drive"), default=True)
    # Seed 003: a research topic (đề tài nghiên cứu khoa học) needs the head's confirmation and
    # is credited to its principal investigator (chủ nhiệm đề tài), not to the highest share.
    research_kinds = models.JSONField(
        _("mã các loại giải pháp là đề tài nghiên cứu"), default=list, blank=True
    )
    dossier_deadline = models.DateTimeField(
        _("hạn gửi hồ sơ đề nghị (không gồm)"), null=True, blank=True
    )
    is_published = models.BooleanField(_("hiển thị công khai"), default=True)
    is_demo = models.BooleanField(_("chương trình minh hoạ"), default=False)

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["-submission_opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_opens_at__lt=F("submission_closes_at")),
                name="program_window_order",
            ),
            models.CheckConstraint(
                condition=Q(eligible_from__lte=F("eligible_to")), name="program_eligibility_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """Giai đoạn: its own submission window, eligibility period and target."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("giai đoạn số"))
    name = models.CharField(_("tên giai đoạn"), max_length=200)
    submission_opens_at = models.DateTimeField(_("mở nộp từ"))
    submission_closes_at = models.DateTimeField(_("đóng nộp lúc (không gồm)"))
    eligible_from = models.DateField(_("sáng kiến áp dụng từ ngày"))
    eligible_to = models.DateField(_("sáng kiến áp dụng đến hết ngày"))
    target = models.PositiveIntegerField(_("chỉ tiêu"), null=True, blank=True)

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="phase_number_uniq"),
            models.CheckConstraint(
                condition=Q(submission_opens_at__lt=F("submission_closes_at")),
                name="phase_window_order",
            ),
            models.CheckConstraint(
                condition=Q(eligible_from__lte=F("eligible_to")), name="phase_eligibility_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.short_name} — {self.name}"


class ProgramOption(models.Model):
    """One item of a programme's list of kinds of solution, target groups or blocks."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="options")
    list = models.CharField(_("danh mục"), max_length=16, choices=OptionList.choices)
    code = models.SlugField(_("mã"), max_length=64)
    name = models.CharField(_("tên"), max_length=300)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mục danh mục")
        verbose_name_plural = _("danh mục của chương trình")
        ordering = ["program", "list", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "list", "code"], name="option_code_uniq"),
        ]

    def __str__(self) -> str:
        return self.name


class ForwardingQuota(models.Model):
    """Chỉ tiêu đề cử: how many initiatives each unit of `child_level` may forward to its parent."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quotas")
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, null=True, blank=True, related_name="quotas"
    )
    child_level = models.PositiveSmallIntegerField(_("cấp đơn vị đề cử"))
    max_per_unit = models.PositiveIntegerField(_("số sáng kiến tối đa mỗi đơn vị"))

    class Meta:
        verbose_name = _("số lượng đề cử")
        verbose_name_plural = _("số lượng đề cử")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "phase", "child_level"], name="quota_level_uniq"
            ),
            models.CheckConstraint(
                condition=Q(child_level__gte=1, child_level__lte=3), name="quota_child_level_1_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.short_name}: cấp {self.child_level} ≤ {self.max_per_unit}"
