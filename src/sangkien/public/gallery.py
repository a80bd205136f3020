"""Thư viện sáng kiến: the public gallery of awarded initiatives whose authors agreed to be shown,
and the submitter's consent to it from the lookup page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sangkien.awards import queries, services
from sangkien.awards.forms import GalleryConsentForm
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.receipts import parse_receipt
from sangkien.programs.models import Program
from sangkien.public.access import proved


def gallery(request):
    """Paged, newest award first, filtered by programme (`?chuong-trinh=<code>`)."""
    programs = list(Program.objects.filter(is_published=True).order_by("-submission_opens_at"))
    code = request.GET.get("chuong-trinh", "")
    program = next((p for p in programs if p.code == code), None)
    page = queries.gallery_page(program, request.GET.get("page"))
    context = {"programs": programs, "program": program, "page": page}
    return render(request, "public/gallery.html", context)


def gallery_consent(request, receipt: str):
    """Give or withdraw the consent, only in a browser that proved the receipt (else: the lookup,
    as for withdrawing an initiative). Giving needs the unticked box ticked."""
    code = parse_receipt(receipt)
    if not code or not proved(request, code):
        return redirect(reverse("public:lookup") + "?ma=" + (code or ""))
    initiative = Initiative.objects.filter(receipt=code).select_related("program").first()
    if initiative is None:
        return redirect(reverse("public:lookup") + "?ma=" + code)
    form = GalleryConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "give":
                services.gallery_consent_give(initiative=initiative)
                messages.success(request, _("Đã ghi nhận đồng ý công khai sáng kiến."))
            else:
                services.gallery_consent_withdraw(initiative=initiative)
                messages.success(
                    request, _("Đã rút lại đồng ý; sáng kiến không còn hiện trên Thư viện.")
                )
        except services.AwardRefused as refused:
            messages.error(request, refused.message)
        return redirect("public:lookup_detail", receipt=initiative.receipt)
    status = 422 if form.errors else 200
    context = {
        "initiative": initiative,
        "consent_form": form if form.is_bound else None,
    }
    return render(request, "public/gallery_consent.html", context, status=status)
