"""Levels, kinds and blocks of union units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    FEDERATION = 0, _("Tổng Liên đoàn")
    DIRECT = 1, _("Cấp tỉnh, ngành Trung ương")
    DIRECT_SUPERIOR = 2, _("Công đoàn cấp trên trực tiếp cơ sở")
    GRASSROOTS = 3, _("Công đoàn cơ sở")


class UnitKind(models.TextChoices):
    FEDERATION = "federation", _("Tổng Liên đoàn Lao động Việt Nam")
    PROVINCE_FEDERATION = "province_federation", _("Liên đoàn Lao động tỉnh, thành phố")
    SECTOR_UNION = "sector_union", _("Công đoàn ngành Trung ương và tương đương")
    CORPORATION_UNION = "corporation_union", _("Công đoàn Tổng công ty trực thuộc Tổng Liên đoàn")
    DISTRICT_FEDERATION = "district_federation", _("Liên đoàn Lao động quận, huyện, thị xã")
    LOCAL_SECTOR_UNION = "local_sector_union", _("Công đoàn ngành địa phương")
    INDUSTRIAL_ZONE_UNION = "industrial_zone_union", _("Công đoàn khu công nghiệp, khu kinh tế")
    OTHER_DIRECT_SUPERIOR = "other_direct_superior", _("Công đoàn cấp trên trực tiếp cơ sở khác")
    GRASSROOTS = "grassroots", _("Công đoàn cơ sở")


KINDS_BY_LEVEL: dict[int, set[str]] = {
    Level.FEDERATION: {UnitKind.FEDERATION},
    Level.DIRECT: {
        UnitKind.PROVINCE_FEDERATION,
        UnitKind.SECTOR_UNION,
        UnitKind.CORPORATION_UNION,
    },
    Level.DIRECT_SUPERIOR: {
        UnitKind.DISTRICT_FEDERATION,
        UnitKind.LOCAL_SECTOR_UNION,
        UnitKind.INDUSTRIAL_ZONE_UNION,
        UnitKind.OTHER_DIRECT_SUPERIOR,
    },
    Level.GRASSROOTS: {UnitKind.GRASSROOTS},
}


class Block(models.TextChoices):
    """Khối: the sector of a unit, used by targets and statistics."""

    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ADMINISTRATIVE = "administrative", _("Hành chính sự nghiệp, khối cơ quan")
    SCHOOL = "school", _("Trường học")
    COMMUNE = "commune", _("Xã, phường, thị trấn")


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVE = "dissolve", _("Giải thể, chuyển giao")
