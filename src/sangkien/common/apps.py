"""The common app."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sangkien.common"
    label = "common"
    verbose_name = "Chung"
