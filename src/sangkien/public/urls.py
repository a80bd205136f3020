"""Public URLs."""

from django.urls import path

from sangkien.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chuong-trinh/<slug:code>/", views.program_detail, name="program"),
]
