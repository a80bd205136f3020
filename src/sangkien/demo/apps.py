"""The demo-data app."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sangkien.demo"
    label = "demo"
    verbose_name = "Dữ liệu minh hoạ"
