"""The API app."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sangkien.api"
    label = "api"
    verbose_name = "API"
