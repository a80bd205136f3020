"""The public app."""

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sangkien.public"
    label = "public"
    verbose_name = "Trang công khai"
