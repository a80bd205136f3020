"""Units, their placement in the tree over time, successor links and competition clusters."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sangkien.common.timewindows import BEGINNING_OF_TIME, END_OF_TIME
from sangkien.orgs.enums import Block, Level, SuccessionKind, UnitKind


class Unit(models.Model):
    """Đơn vị công đoàn: a union unit with a stable code.

    Where it sits in the tree, and since when, is kept in `UnitPlacement`; the unit itself exists
    during [valid_from, valid_to). `member_count` is declared for a grassroots union and, for the
    levels above, the maintained total of today's subtree (see `services.refresh_member_totals`).
    """

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    block = models.CharField(_("khối"), max_length=16, choices=Block.choices)
    member_count = models.PositiveIntegerField(_("số đoàn viên"), default=0)
    valid_from = models.DateField(_("hiệu lực từ"), default=BEGINNING_OF_TIME)
    valid_to = models.DateField(_("hiệu lực đến (không gồm)"), default=END_OF_TIME)
    is_demo = models.BooleanField(_("dữ liệu minh hoạ"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=3), name="unit_level_0_3"),
            models.CheckConstraint(
                condition=Q(valid_from__lt=F("valid_to")), name="unit_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def exists_on(self, day) -> bool:
        return self.valid_from <= day < self.valid_to


class UnitPlacement(models.Model):
    """A unit's parent during [valid_from, valid_to), with the materialised path of ids.

    `path` is "/<root id>/…/<unit id>/": the subtree of a unit on a day is every placement valid
    that day whose path starts with the unit's path, one indexed prefix query.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements")
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_placements"
    )
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField()
    valid_to = models.DateField(default=END_OF_TIME)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=F("valid_to")), name="placement_valid_period"
            ),
            models.UniqueConstraint(fields=["unit", "valid_from"], name="placement_unit_from_uniq"),
        ]
        indexes = [
            models.Index(fields=["parent", "valid_to"], name="placement_parent_idx"),
            models.Index(fields=["unit", "valid_to"], name="placement_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.path} [{self.valid_from}, {self.valid_to})"

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")]


class UnitSuccession(models.Model):
    """Successor link: from `effective_on`, what belonged to `predecessor` belongs to `successor`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    kind = models.CharField(max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_pair_uniq"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.effective_on})"


class Cluster(models.Model):
    """Cụm, khối thi đua: units of one level that compete with each other."""

    code = models.CharField(_("mã cụm"), max_length=32, unique=True)
    name = models.CharField(_("tên cụm, khối thi đua"), max_length=255)
    organiser = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="organised_clusters",
        verbose_name=_("đơn vị tổ chức"),
    )
    members = models.ManyToManyField(Unit, through="ClusterMembership", related_name="clusters")

    class Meta:
        verbose_name = _("cụm, khối thi đua")
        verbose_name_plural = _("cụm, khối thi đua")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ClusterMembership(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    valid_from = models.DateField(default=BEGINNING_OF_TIME)
    valid_to = models.DateField(default=END_OF_TIME)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "unit", "valid_from"], name="cluster_member_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.unit_id} [{self.valid_from}, {self.valid_to})"
