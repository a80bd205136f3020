"""The two trees numbers are counted on, the dimensions of a tally, the kinds of target."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangkien.initiatives.enums import Status

# An initiative counts towards totals, targets, participants and benefit while it is in one of
# these states: submitted and not withdrawn, and not found ineligible (docs/ARCHITECTURE.md).
COUNTED = (Status.SUBMITTED, Status.NEEDS_INFO, Status.ELIGIBLE)


class Tree(models.TextChoices):
    HISTORICAL = "h", _("Cây đơn vị khi nộp")
    TODAY = "t", _("Cây đơn vị hiện nay")


class Dim(models.TextChoices):
    """What a tally counts. Every dimension but STATUS counts counted initiatives only."""

    STATUS = "status", _("Trạng thái")  # every initiative, key = status
    DAY = "day", _("Ngày")  # key = YYYY-MM-DD, the day of submission in Vietnam
    QUARTER = "quarter", _("Quý")  # key = YYYY-Qn
    KIND = "kind", _("Loại giải pháp")
    TARGET_GROUP = "target_group", _("Đối tượng")
    BLOCK = "block", _("Khối")
    # People with at least one counted initiative, each (grassroots position, person) once:
    # key "" per phase; key "*" in phase 0 for the whole programme.
    PEOPLE = "people", _("Người tham gia")


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Số sáng kiến của đơn vị")
    PER_UNIT = "per_unit", _("Số sáng kiến mỗi đơn vị")
    PER_MEMBER = "per_member", _("Số sáng kiến mỗi đoàn viên")
