"""The programmes app."""

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "sangkien.programs"
    label = "programs"
    verbose_name = "Chương trình"
