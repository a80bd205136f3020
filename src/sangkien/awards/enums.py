"""Kinds of award (hình thức khen thưởng) and the title each one prints on its certificate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    MERIT_CERTIFICATE = "bang_khen", _("Bằng khen")
    COMMENDATION = "giay_khen", _("Giấy khen")
    QUARTERLY = "quarterly", _("Biểu dương quý")
    PHASE = "phase", _("Khen thưởng sơ kết đợt")
    FINAL = "final", _("Khen thưởng tổng kết chương trình")
    OTHER = "other", _("Hình thức khác")


# The document a kind is printed as. A bằng khen and a giấy khen are named documents of the
# Law on Emulation and Commendation; every other recognition is printed as a certificate.
CERTIFICATE_TITLES = {
    AwardKind.MERIT_CERTIFICATE: _("Bằng khen"),
    AwardKind.COMMENDATION: _("Giấy khen"),
}
DEFAULT_CERTIFICATE_TITLE = _("Giấy chứng nhận")
