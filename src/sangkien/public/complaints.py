"""The submitter's complaint (khiếu nại, tranh chấp quyền tác giả), filed with the receipt from a
browser that has proved it (receipt + phone in the lookup)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangkien.office.review_forms import ComplaintForm
from sangkien.public.views import _proved_initiative, _to_lookup
from sangkien.review.services import ReviewRefused, complaint_file


def complaint(request, receipt: str):
    initiative = _proved_initiative(request, receipt)
    if initiative is None:
        return _to_lookup(receipt)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint_file(initiative=initiative, **form.cleaned_data)
        except ReviewRefused as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Đã gửi khiếu nại. Công đoàn sẽ giải quyết và báo kết quả cho bạn.")
            )
            return redirect("public:lookup_detail", receipt=initiative.receipt)
    status = 422 if form.errors else 200
    return render(
        request, "public/complaint.html", {"initiative": initiative, "form": form}, status=status
    )
