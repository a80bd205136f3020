from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "sangkien.review"
    verbose_name = _("Thẩm định và đề cử")
