"""The option lists a programme configures, and the attachment types the portal understands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OptionList(models.TextChoices):
    KIND = "kind", _("Loại giải pháp")
    TARGET_GROUP = "target_group", _("Đối tượng")
    BLOCK = "block", _("Khối")


class AttachmentType(models.TextChoices):
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
