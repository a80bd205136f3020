"""The office app."""

from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "sangkien.office"
    label = "office"
    verbose_name = "Văn phòng cán bộ"
