"""The public submission form, its receipt and the edit page (being written)."""

from django.http import Http404


def submit_view(request, code: str):
    raise Http404


def unit_picker(request):
    raise Http404


def receipt_view(request, receipt: str):
    raise Http404


def edit_view(request, receipt: str):
    raise Http404
