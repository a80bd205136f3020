"""Roles an officer can hold on a unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    REVIEWER = "reviewer", _("Cán bộ thẩm định")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    NATIONAL_ADMIN = "national_admin", _("Quản trị toàn quốc")
