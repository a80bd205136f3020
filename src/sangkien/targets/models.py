"""Maintained numbers (tallies folded from changed initiatives), target allocations and export
jobs.

How the numbers stay exact: every change of an initiative marks it `Dirty` in the transaction
that changes it; `services.fold` claims the marks, compares each initiative with what it last
contributed (`Contribution`) and adds the difference to the `Tally` rows of every unit above it,
on the tree of the submission and on today's tree. People are counted through `Participation`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangkien.orgs.enums import Block
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.enums import Dim, TargetKind, Tree


class Tally(models.Model):
    """How many initiatives (and how much declared benefit) one unit's subtree holds for one
    programme, phase (0: outside any phase), tree and value of one dimension."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    tree = models.CharField(max_length=1, choices=Tree.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    phase = models.PositiveSmallIntegerField()
    dim = models.CharField(max_length=16, choices=Dim.choices)
    key = models.CharField(max_length=64)
    n = models.BigIntegerField(default=0)
    benefit = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "tree", "unit", "phase", "dim", "key"], name="tally_key_uniq"
            ),
        ]
        indexes = [
            # Rankings and the evening bulletin: one day or quarter across many units.
            models.Index(fields=["program", "tree", "dim", "key"], name="tally_dim_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.tree}/p{self.phase} {self.dim}={self.key}: {self.n}"


class Contribution(models.Model):
    """What one initiative was last folded as: the difference with its present state is what the
    next fold adds to the tallies."""

    initiative_id = models.BigIntegerField(primary_key=True)
    program_id = models.BigIntegerField()
    phase = models.PositiveSmallIntegerField()
    unit_id = models.BigIntegerField()
    unit_path = models.CharField(max_length=255)
    today_path = models.CharField(max_length=255)
    day = models.DateField()
    status = models.CharField(max_length=16)
    kind = models.CharField(max_length=64)
    target_group = models.CharField(max_length=64)
    block = models.CharField(max_length=64)
    benefit = models.BigIntegerField()
    persons = models.TextField()  # the authors' person keys, space-separated

    def __str__(self) -> str:
        return f"{self.initiative_id}"


class Participation(models.Model):
    """How many counted initiatives one person has, per phase, at one grassroots position (the
    unit's path) of one tree: a person starts or stops counting when a number crosses zero."""

    program_id = models.BigIntegerField()
    tree = models.CharField(max_length=1, choices=Tree.choices)
    path = models.CharField(max_length=255)
    person = models.CharField(max_length=80)
    phases = models.JSONField(default=dict)  # {"<phase number>": initiatives}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program_id", "tree", "path", "person"], name="participation_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.person}"


class Dirty(models.Model):
    """An initiative changed since the last fold (written in the changing transaction)."""

    initiative_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.initiative_id}"


class StatsState(models.Model):
    """One row: the day whose tree the "today" tallies are counted on, and the last fold."""

    tree_on = models.DateField()
    folded_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tree of {self.tree_on}"


class TreeChange(models.Model):
    """A restructuring committed since today's tree was last recounted. With the numbers worker
    (settings.STATS_FOLD = "worker") the request that restructured only leaves this row; the
    worker claims the rows and recounts today's tree, which takes minutes at national size."""

    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"tree changed at {self.at}"


class Allocation(models.Model):
    """One row of a parent's target allocation table (seed 004): a named child unit, or a group of
    its children (those of one block, or all the others), with a target of one kind.

    `total` is for the whole programme; `phase_values` {"1": 400, "2": 300} per phase. A row with
    only a total is split evenly over the phases (targets.phase_share).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="allocations")
    parent = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="allocations")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("tên đơn vị, nhóm đơn vị"), max_length=255)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="allocated"
    )
    block = models.CharField(_("khối"), max_length=16, choices=Block.choices, blank=True)
    kind = models.CharField(_("cách tính"), max_length=16, choices=TargetKind.choices)
    total = models.DecimalField(
        _("tổng số"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    phase_values = models.JSONField(_("theo giai đoạn"), default=dict, blank=True)
    participation_percent = models.DecimalField(
        _("tỷ lệ đoàn viên tham gia (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phân bổ chỉ tiêu")
        verbose_name_plural = _("phân bổ chỉ tiêu")
        ordering = ["program", "parent", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "parent", "unit"],
                condition=Q(unit__isnull=False),
                name="allocation_unit_uniq",
            ),
            models.UniqueConstraint(
                fields=["program", "parent", "block"],
                condition=Q(unit__isnull=True),
                name="allocation_group_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ExportJob(models.Model):
    """A large export made in the background; its file is downloaded by its owner only."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    fmt = models.CharField(max_length=8)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} {self.fmt} {self.status}"
