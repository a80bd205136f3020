"""The states of an initiative, how it arrived, who recognised it, the kinds of ID number, and
the reasons an initiative does not count."""

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


class Exclusion(models.TextChoices):
    """Why an initiative does not count (seed 003 §I.2–3, SPEC §5)."""

    OUTSIDE_WINDOW = "outside_window", _("Đưa vào áp dụng ngoài thời gian của chương trình")
    NOT_RECOGNISED = "not_recognised", _("Chưa được cấp có thẩm quyền công nhận")
    PUBLIC_ORDER = "public_order", _("Nội dung trái với trật tự công cộng hoặc đạo đức xã hội")
    IP_PROTECTED = "ip_protected", _("Đang được bảo hộ quyền sở hữu trí tuệ")
    NOT_NEW = "not_new", _("Không có tính mới trong phạm vi cơ quan, đơn vị, doanh nghiệp")
    NOT_APPLIED = "not_applied", _("Chưa được áp dụng hoặc không xác định được lợi ích")
    RESEARCH_UNCONFIRMED = (
        "research_unconfirmed",
        _("Đề tài chưa được nghiệm thu, ứng dụng hoặc xác nhận hiệu quả"),
    )
    DUPLICATE = "duplicate", _("Trùng với sáng kiến đã nộp")
    OTHER = "other", _("Lý do khác")
