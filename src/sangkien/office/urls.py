"""Office URLs. Every view here resolves units through accounts.rules (404 outside the subtree)."""

from django.urls import path

from sangkien.office import bulk_views, onbehalf_views, views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("tim-don-vi/", views.unit_search, name="unit_search"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("don-vi/<str:code>/xuat.<str:fmt>", views.unit_export, name="unit_export"),
    path("don-vi/<str:code>/nhap/", views.unit_import, name="unit_import"),
    path("don-vi/<str:code>/to-chuc-lai/", views.unit_restructure, name="unit_restructure"),
    path("chuong-trinh/", views.program_list, name="programs"),
    path("tai-khoan/ma-api/", views.tokens, name="tokens"),
    path("tai-khoan/ma-api/<int:token_id>/thu-hoi/", views.token_revoke_view, name="token_revoke"),
    path("tai-khoan/xac-thuc-2-buoc/", views.totp_setup, name="totp"),
    path("nop-theo-danh-sach/", bulk_views.bulk_upload, name="bulk_upload"),
    path(
        "nop-theo-danh-sach/mau/<slug:program>.xlsx", bulk_views.bulk_template, name="bulk_template"
    ),
    path("nop-theo-danh-sach/<int:pk>/", bulk_views.bulk_job, name="bulk_job"),
    path("nop-theo-danh-sach/<int:pk>/trang-thai/", bulk_views.bulk_status, name="bulk_status"),
    path("nop-theo-danh-sach/<int:pk>/bao-cao.xlsx", bulk_views.bulk_report, name="bulk_report"),
    path("nop-ho/", onbehalf_views.on_behalf_programs, name="on_behalf_programs"),
    path("nop-ho/noi-cong-tac/", onbehalf_views.on_behalf_picker, name="on_behalf_picker"),
    path(
        "nop-ho/bien-nhan/<str:receipt>/",
        onbehalf_views.on_behalf_receipt,
        name="on_behalf_receipt",
    ),
    path("nop-ho/<slug:code>/", onbehalf_views.on_behalf_form, name="on_behalf"),
]
