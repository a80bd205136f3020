"""Public URLs."""

from django.urls import path

from sangkien.public import views
from sangkien.public.submit_urls import urlpatterns as submit_urlpatterns

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chuong-trinh/<slug:code>/", views.program_detail, name="program"),
    *submit_urlpatterns,
]
