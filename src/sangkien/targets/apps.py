from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "sangkien.targets"
    verbose_name = _("Chỉ tiêu và số liệu")
