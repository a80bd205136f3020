"""Office URLs. Every view here resolves units through accounts.rules (404 outside the subtree)."""

from django.urls import path, re_path

from sangkien.office import (
    bulk_views,
    forwarding_views,
    onbehalf_views,
    review_views,
    views,
)

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
    path("sang-kien/", review_views.queue_view, name="review_queue"),
    path("sang-kien/xu-ly/", review_views.queue_bulk, name="review_bulk"),
    path("sang-kien/<str:receipt>/", review_views.detail_view, name="review_detail"),
    path("sang-kien/<str:receipt>/tuong-tu/", review_views.similar_view, name="review_similar"),
    path("sang-kien/<str:receipt>/xac-minh/", review_views.decide_view, name="review_decide"),
    path("sang-kien/<str:receipt>/cham-diem/", review_views.score_view, name="review_score"),
    path(
        "sang-kien/<str:receipt>/thong-tin-ca-nhan/",
        review_views.personal_view,
        name="review_personal",
    ),
    path(
        "sang-kien/<str:receipt>/tep/<int:pk>/",
        review_views.attachment_view,
        name="review_attachment",
    ),
    path(
        "sang-kien/<str:receipt>/khieu-nai/",
        review_views.complaint_file_view,
        name="complaint_file",
    ),
    path(
        "khieu-nai/<int:pk>/giai-quyet/",
        review_views.complaint_resolve_view,
        name="complaint_resolve",
    ),
    path("de-cu/<str:code>/", forwarding_views.forward_view, name="forward"),
    path("de-cu/<str:code>/so-luong/", forwarding_views.quota_view, name="quotas"),
    path("de-nghi/<int:pk>/tra-lai/", forwarding_views.send_back_view, name="send_back"),
    path("dot-de-nghi/<int:pk>/", forwarding_views.forwarding_view, name="forwarding"),
    re_path(
        r"^dot-de-nghi/(?P<pk>[0-9]+)/(?P<name>to-trinh|bang-tong-hop)\.(?P<fmt>docx|pdf|xlsx)$",
        forwarding_views.forwarding_file,
        name="forwarding_file",
    ),
]

# Khen thưởng (awards): an award outside the officer's subtrees answers 404.
from sangkien.office import award_views  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("khen-thuong/", award_views.award_list, name="awards"),
    path("khen-thuong/ghi/", award_views.award_record, name="award_record"),
    path("khen-thuong/<int:pk>/", award_views.award_detail, name="award"),
    path(
        "khen-thuong/<int:pk>/giay-khen.pdf",
        award_views.award_certificate,
        name="award_certificate",
    ),
    path("khen-thuong/<int:pk>/thu-hoi/", award_views.award_revoke, name="award_revoke"),
]

# Xuất dữ liệu (large exports): a job and its file are its owner's only; the national CSV is for
# national administrators. Everybody else gets 404.
from sangkien.office import export_views  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("xuat-du-lieu/", export_views.export_list, name="exports"),
    path("xuat-du-lieu/toan-quoc.csv", export_views.export_national, name="export_national"),
    path("xuat-du-lieu/<int:pk>/", export_views.export_job, name="export_job"),
    path("xuat-du-lieu/<int:pk>/trang-thai/", export_views.export_status, name="export_status"),
    path("xuat-du-lieu/<int:pk>/tai-ve/", export_views.export_download, name="export_download"),
]

# Ghi nhận theo thể lệ (quarterly recognition, phase-1 candidates): national administrators only.
from sangkien.office import recognition_views  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("ghi-nhan/", recognition_views.recognition_page, name="recognition"),
    path(
        "ghi-nhan/xuat.<str:fmt>",
        recognition_views.recognition_export,
        name="recognition_export",
    ),
]

# Thống kê (a unit's dashboard and its files): a unit outside the officer's subtrees answers 404.
from sangkien.office import dashboard_views  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("thong-ke/", dashboard_views.dashboard_home, name="dashboard_home"),
    path("thong-ke/<str:code>/", dashboard_views.dashboard_view, name="dashboard"),
    re_path(
        r"^thong-ke/(?P<code>[^/]+)/bao-cao\.(?P<fmt>xlsx|csv|pdf)$",
        dashboard_views.dashboard_file,
        name="dashboard_file",
    ),
]

# Chỉ tiêu (targets): a unit outside the officer's subtrees answers 404; editing and importing
# the allocation table need can_manage_unit (404 otherwise).
from sangkien.office import target_views  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("chi-tieu/<str:code>/", target_views.targets_page, name="targets"),
    path("chi-tieu/<str:code>/sua/", target_views.targets_edit, name="targets_edit"),
    path("chi-tieu/<str:code>/nhap/", target_views.targets_import, name="targets_import"),
    path("chi-tieu/<str:code>/xuat.xlsx", target_views.targets_export, name="targets_export"),
]
