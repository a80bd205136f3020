"""Public URLs."""

from django.urls import path, re_path

from sangkien.public import complaints, views
from sangkien.public.submit_urls import urlpatterns as submit_urlpatterns

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("chuong-trinh/<slug:code>/", views.program_detail, name="program"),
    re_path(
        r"^chuong-trinh/(?P<code>[-a-zA-Z0-9_]+)/qr\.(?P<fmt>png|svg)$",
        views.program_qr,
        name="program_qr",
    ),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:receipt>/", views.lookup_detail, name="lookup_detail"),
    path("tra-cuu/<str:receipt>/rut/", views.withdraw, name="withdraw"),
    path("tra-cuu/<str:receipt>/khieu-nai/", complaints.complaint, name="complaint"),
    *submit_urlpatterns,
]

# Thư viện sáng kiến (awards): the public gallery and the submitter's consent to it.
from sangkien.public import gallery  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("thu-vien-sang-kien/", gallery.gallery, name="gallery"),
    path("tra-cuu/<str:receipt>/cong-khai/", gallery.gallery_consent, name="gallery_consent"),
]

# Vinh danh (targets.rankings): the public honour board.
from sangkien.public import honour  # noqa: E402 -- appended with its route, kept together

urlpatterns += [
    path("vinh-danh/", honour.honour, name="honour"),
]
