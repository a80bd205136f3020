"""Reason codes of the reviewers' decisions, kinds of complaints, states of a nomination."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sangkien.initiatives.enums import Exclusion

__all__ = [
    "ComplaintKind",
    "ComplaintStatus",
    "Decision",
    "Exclusion",
    "FiledVia",
    "NominationState",
]


class Decision(models.TextChoices):
    """What a grassroots reviewer decides about a submitted initiative."""

    ELIGIBLE = "eligible", _("Hợp lệ")
    NEEDS_INFO = "needs_info", _("Cần bổ sung thông tin")
    NOT_ELIGIBLE = "not_eligible", _("Không hợp lệ")


class NominationState(models.TextChoices):
    ACTIVE = "active", _("Đang đề nghị")
    SENT_BACK = "sent_back", _("Bị trả lại")


class ComplaintKind(models.TextChoices):
    CONTENT = "content", _("Khiếu nại về nội dung, kết quả sáng kiến")
    AUTHORSHIP = "authorship", _("Tranh chấp quyền tác giả")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Đang giải quyết")
    UPHELD = "upheld", _("Khiếu nại có cơ sở")
    DISMISSED = "dismissed", _("Khiếu nại không có cơ sở")


class FiledVia(models.TextChoices):
    SUBMITTER = "submitter", _("Người nộp (bằng mã biên nhận)")
    OFFICER = "officer", _("Cán bộ công đoàn")
