"""An initiative, its authors, its attachments and the history of its status."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangkien.common.personal import decrypt, mask
from sangkien.initiatives.enums import Channel, Exclusion, IdKind, RecognizedBy, Status
from sangkien.orgs.models import Unit
from sangkien.programs.enums import AttachmentType
from sangkien.programs.models import Phase, Program


class Initiative(models.Model):
    """Sáng kiến: what a member (or an officer on the member's behalf) submitted to a programme.

    `unit` is the grassroots union the authors work in; `unit_path` is where it stood in the tree
    at the moment of submission, so the initiative is counted and shown on the tree as it was.
    """

    receipt = models.CharField(_("mã biên nhận"), max_length=8, unique=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="initiatives")
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="initiatives"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="initiatives")
    unit_path = models.CharField(max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    block = models.CharField(_("khối"), max_length=64)
    target_group = models.CharField(_("đối tượng"), max_length=64)
    kind = models.CharField(_("loại giải pháp"), max_length=64)
    title = models.CharField(_("tên sáng kiến"), max_length=300)
    description = models.TextField(_("mô tả"))
    first_applied_on = models.DateField(_("ngày áp dụng lần đầu"))
    recognized_by = models.CharField(
        _("cấp công nhận"), max_length=16, choices=RecognizedBy.choices
    )
    recognition_number = models.CharField(_("số văn bản công nhận"), max_length=64)
    recognition_date = models.DateField(_("ngày công nhận"))
    benefit_vnd = models.PositiveBigIntegerField(_("giá trị làm lợi (đồng)"), null=True, blank=True)
    benefit_text = models.TextField(_("lợi ích xã hội"), blank=True)
    drive_link = models.URLField(_("đường dẫn Drive"), max_length=500, blank=True)
    not_ip_protected = models.BooleanField(_("không đang được bảo hộ sở hữu trí tuệ"))
    lawful = models.BooleanField(_("nội dung không trái pháp luật, đạo đức xã hội"))
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"))
    consent_version = models.CharField(max_length=16)
    notify_email = models.EmailField(_("thư điện tử nhận thông báo"), blank=True)
    channel = models.CharField(_("cách nộp"), max_length=8, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives_submitted",
        verbose_name=_("cán bộ nộp hộ"),
    )
    submitted_at = models.DateTimeField(_("nộp lúc"))
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # "web:<form token>", "api:<officer id>:<Idempotency-Key>", "bulk:<job id>:<row>": one
    # initiative per key, so a retry finds the first one instead of making another.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    request_hash = models.CharField(max_length=64, blank=True)
    # Folded title + description: an identical resubmission is found by equality.
    content_key = models.CharField(max_length=64, db_index=True)
    # An earlier initiative of the same programme, not withdrawn, with the same content_key
    # when this one was submitted or last edited: an identical resubmission.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # a partial index below: only the few duplicates are indexed
        related_name="duplicates",
        verbose_name=_("trùng với"),
    )
    # Receipt, title and authors' names folded (initiatives.similarity.search_text): the office
    # queue's accent-insensitive search; a pg_trgm index serves `contains` on PostgreSQL.
    search_text = models.TextField(default="", blank=True, editable=False)
    # The near-duplicate fingerprint of title + description (initiatives.similarity): a 64-bit
    # SimHash, and 20 MinHash LSH band keys found by indexed equality. Null until computed.
    sim_hash = models.BigIntegerField(null=True, editable=False)
    sim_band0 = models.IntegerField(null=True, editable=False)
    sim_band1 = models.IntegerField(null=True, editable=False)
    sim_band2 = models.IntegerField(null=True, editable=False)
    sim_band3 = models.IntegerField(null=True, editable=False)
    sim_band4 = models.IntegerField(null=True, editable=False)
    sim_band5 = models.IntegerField(null=True, editable=False)
    sim_band6 = models.IntegerField(null=True, editable=False)
    sim_band7 = models.IntegerField(null=True, editable=False)
    sim_band8 = models.IntegerField(null=True, editable=False)
    sim_band9 = models.IntegerField(null=True, editable=False)
    sim_band10 = models.IntegerField(null=True, editable=False)
    sim_band11 = models.IntegerField(null=True, editable=False)
    sim_band12 = models.IntegerField(null=True, editable=False)
    sim_band13 = models.IntegerField(null=True, editable=False)
    sim_band14 = models.IntegerField(null=True, editable=False)
    sim_band15 = models.IntegerField(null=True, editable=False)
    sim_band16 = models.IntegerField(null=True, editable=False)
    sim_band17 = models.IntegerField(null=True, editable=False)
    sim_band18 = models.IntegerField(null=True, editable=False)
    sim_band19 = models.IntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["program", "unit_path"], name="initiative_program_path_idx"),
            models.Index(fields=["program", "submitted_at"], name="initiative_program_time_idx"),
            # The office queue's newest first over any subtree (backwards, stopping at a page).
            models.Index(fields=["submitted_at", "id"], name="initiative_time_idx"),
            # The union's most recent initiatives, for the similar-initiative search.
            models.Index(fields=["unit", "submitted_at"], name="initiative_unit_time_idx"),
            models.Index(
                fields=["duplicate_of"],
                condition=Q(duplicate_of__isnull=False),
                name="initiative_duplicate_of_idx",
            ),
            *[
                models.Index(fields=[f"sim_band{band}"], name=f"initiative_sim_band{band}_idx")
                for band in range(20)
            ],
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit_vnd__isnull=False) | ~Q(benefit_text=""),
                name="initiative_has_benefit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_display} {self.title}"

    @property
    def receipt_display(self) -> str:
        return f"{self.receipt[:4]}-{self.receipt[4:]}"

    @property
    def lead(self) -> "Author":
        """The lead author (position 0); works on prefetched authors without a query."""
        return min(self.authors.all(), key=lambda author: author.position)

    @property
    def credited(self) -> "Author":
        return next(author for author in self.authors.all() if author.is_credited)

    @property
    def is_on_behalf(self) -> bool:
        return self.submitted_by_id is not None


class Author(models.Model):
    """Tác giả: position 0 is the lead author (the person submitting, or submitted for)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone_cipher = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone_tail = models.CharField(max_length=3, blank=True)
    id_kind = models.CharField(max_length=4, choices=IdKind.choices, blank=True)
    id_cipher = models.TextField(blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_tail = models.CharField(max_length=3, blank=True)
    share = models.DecimalField(_("tỷ lệ đóng góp (%)"), max_digits=5, decimal_places=2)
    is_credited = models.BooleanField(_("được ghi nhận"), default=False)

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["initiative", "position"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "position"], name="author_position_uniq"),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100), name="author_share_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def phone_masked(self) -> str:
        return mask(self.phone_tail, 10)

    @property
    def id_masked(self) -> str:
        return mask(self.id_tail, 12 if self.id_kind == IdKind.CCCD else 9)

    def phone(self) -> str:
        """The phone number in clear: only for views whose role needs it (initiatives.rules)."""
        return decrypt(self.phone_cipher)

    def id_number(self) -> str:
        return decrypt(self.id_cipher)


def _attachment_path(instance, filename: str) -> str:
    # The stored name is ours (a random token), never the uploader's file name.
    return f"attachments/{instance.created_at:%Y/%m}/{filename}"


class Attachment(models.Model):
    """Tệp đính kèm. It is written to disk before its row is committed; while `initiative` is
    empty it is staged under the form that uploaded it (so a form shown again after an error
    keeps it), and `sweep_uploads` removes staged files that were never used."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    form_token = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    kind = models.CharField(max_length=8, choices=AttachmentType.choices)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One step in an initiative's history, shown to the submitter in the lookup."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    reason_code = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["initiative", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_status} → {self.to_status}"

    @property
    def reason_label(self) -> str:
        """The reviewers' reason in words (Exclusion), as the submitter and officers read it."""
        return (
            str(Exclusion(self.reason_code).label) if self.reason_code in Exclusion.values else ""
        )


from sangkien.initiatives.bulk_models import BulkImport  # noqa: E402,F401
