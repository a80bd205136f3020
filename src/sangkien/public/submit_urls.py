"""Public URLs of the submission form, its receipt and the edit page."""

from django.urls import path

from sangkien.public import submit

urlpatterns = [
    path("chuong-trinh/<slug:code>/nop/", submit.submit_view, name="submit"),
    path("noi-cong-tac/", submit.unit_picker, name="unit_picker"),
    path("bien-nhan/<str:receipt>/", submit.receipt_view, name="receipt"),
    path("sua/<str:receipt>/", submit.edit_view, name="edit"),
]
