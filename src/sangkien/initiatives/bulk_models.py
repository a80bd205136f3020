"""A bulk submission job: a spreadsheet an officer uploaded, its progress and its row report.

Imported at the end of `initiatives/models.py`, so Django finds the model in the app's models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangkien.programs.models import Program


class BulkMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("Tất cả hoặc không")
    ROW_BY_ROW = "rows", _("Từng dòng")


class BulkStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bị gián đoạn")


class BulkImport(models.Model):
    """Nộp hộ theo danh sách: one uploaded file of initiatives submitted on members' behalf.

    `report` holds, per spreadsheet row, the receipt of a stored initiative or the problems
    found ({"row", "receipt"} or {"row", "column", "message"}); it is written when the job ends.
    `heartbeat_at` moves with the progress, so a job whose process died can be told from one that
    is still working and be resumed (`manage.py run_bulk_imports`).
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bulk_imports",
        verbose_name=_("cán bộ nộp hộ"),
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="bulk_imports")
    mode = models.CharField(_("cách ghi"), max_length=8, choices=BulkMode.choices)
    # Stored under a random name of ours, never the uploader's; emptied when the file is purged.
    file = models.FileField(upload_to="bulk/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=BulkStatus.choices, default=BulkStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_stored = models.PositiveIntegerField(default=0)
    rows_refused = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"))
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nộp theo danh sách")
        verbose_name_plural = _("các lần nộp theo danh sách")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["officer", "-created_at"], name="bulk_officer_time_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="bulk_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="bulk_done_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == BulkStatus.DONE:
            return 100
        return self.rows_done * 100 // self.rows_total if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkStatus.DONE, BulkStatus.FAILED)
