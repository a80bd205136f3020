"""The states of an initiative, how it arrived, who recognised it, and the kinds of ID number."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ xác minh")
    NEEDS_INFO = "needs_info", _("Cần bổ sung thông tin")
    ELIGIBLE = "eligible", _("Hợp lệ")
    NOT_ELIGIBLE = "not_eligible", _("Không hợp lệ")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Channel(models.TextChoices):
    WEB = "web", _("Tự nộp trên cổng")
    OFFICE = "office", _("Nộp hộ")
    BULK = "bulk", _("Nộp hộ theo danh sách")
    API = "api", _("Nộp hộ qua API")


class RecognizedBy(models.TextChoices):
    COUNCIL = "council", _("Hội đồng sáng kiến")
    HEAD = "head", _("Thủ trưởng cơ quan, đơn vị, doanh nghiệp")


class IdKind(models.TextChoices):
    CCCD = "cccd", _("Căn cước công dân (12 số)")
    CMND = "cmnd", _("Chứng minh nhân dân (9 số)")
