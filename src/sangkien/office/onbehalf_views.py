"""Nộp hộ: an officer submits for a member of their subtree through the members' own form."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from sangkien.accounts import rules
from sangkien.initiatives.queries import by_receipt
from sangkien.programs import windows
from sangkien.programs.queries import published_programs
from sangkien.public import picker
from sangkien.public.submit import form_page


def _officer_roots(request) -> list[str]:
    roots = rules.visible_roots(request.user)
    if not roots:
        raise Http404
    return roots


@login_required
def on_behalf_programs(request):
    _officer_roots(request)
    now = timezone.now()
    programs = [(program, windows.is_open(program, now)) for program in published_programs()]
    return render(request, "office/on_behalf_programs.html", {"programs": programs})


@login_required
def on_behalf_form(request, code: str):
    roots = _officer_roots(request)
    program = published_programs().filter(code=code).first()
    if program is None:
        raise Http404
    return form_page(
        request,
        program,
        officer=request.user,
        within=roots,
        receipt_url_name="office:on_behalf_receipt",
        extra={"picker_url": reverse("office:on_behalf_picker")},
    )


@login_required
@require_GET
def on_behalf_picker(request):
    pick = picker.build(
        query=request.GET.get("q", ""),
        browse_code=request.GET.get("browse", ""),
        chosen_code=request.GET.get("unit", ""),
        within=_officer_roots(request),
    )
    return render(request, "public/_picker.html", {"picker": pick})


@login_required
def on_behalf_receipt(request, receipt: str):
    """The receipt of an initiative in the officer's subtree (to read out or print for the member)."""
    initiative = by_receipt(receipt)
    roots = _officer_roots(request)
    if initiative is None or not any(initiative.unit_path.startswith(r) for r in roots):
        raise Http404
    return render(request, "office/on_behalf_receipt.html", {"initiative": initiative})
