"""The organisation-tree app."""

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sangkien.orgs"
    label = "orgs"
    verbose_name = "Tổ chức công đoàn"
