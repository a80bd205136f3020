"""Khen thưởng in the office: the list, recording a decision, its page, its certificate, revoking.

An award the officer may not see (neither the deciding unit nor the recipient in their subtrees)
answers 404, the same as one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangkien.accounts import rules as account_rules
from sangkien.awards import queries, rules, services
from sangkien.awards.certificate import certificate_pdf
from sangkien.awards.forms import AwardFilterForm, AwardForm, RevokeForm
from sangkien.programs.models import Program


def _officer(request) -> None:
    if not account_rules.is_officer(request.user):
        raise Http404


def _programs():
    return Program.objects.filter(is_published=True).order_by("-submission_opens_at")


@login_required
def award_list(request):
    _officer(request)
    form = AwardFilterForm(request.GET, programs=_programs())
    chosen = form.cleaned_data if form.is_valid() else {}
    page = queries.award_page(
        request.user,
        program=chosen.get("program"),
        kind=chosen.get("kind", ""),
        page=request.GET.get("page"),
    )
    return render(request, "office/award_list.html", {"form": form, "page": page})


def _role_units(request) -> list:
    roles = request.user.roles.select_related("unit").order_by("unit__level", "unit__code")
    return sorted({role.unit for role in roles}, key=lambda unit: (unit.level, unit.code))


@login_required
def award_record(request):
    _officer(request)
    units = _role_units(request)
    initial = {"granting_unit": units[0].code} if len(units) == 1 else {}
    form = AwardForm(
        request.POST if request.method == "POST" else None, programs=_programs(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_record(actor=request.user, **form.service_kwargs())
        except services.AwardRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                _("Đã ghi khen thưởng theo quyết định số %(number)s.")
                % {"number": award.decision_number},
            )
            return redirect("office:award", pk=award.pk)
    status = 422 if form.errors else 200
    return render(request, "office/award_form.html", {"form": form, "units": units}, status=status)


def _visible(request, pk: int):
    award = queries.visible_award(request.user, pk)
    if award is None:
        raise Http404
    return award


def _detail(request, award, revoke_form=None, status=200):
    context = {
        "award": award,
        "can_revoke": rules.may_revoke(request.user, award),
        "revoke_form": revoke_form or RevokeForm(),
    }
    return render(request, "office/award_detail.html", context, status=status)


@login_required
def award_detail(request, pk: int):
    return _detail(request, _visible(request, pk))


@login_required
def award_certificate(request, pk: int):
    """The printable certificate: one page for a unit, one per author of an initiative."""
    award = _visible(request, pk)
    if award.is_revoked:
        raise Http404
    response = HttpResponse(
        certificate_pdf(queries.certificate_data(award)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="giay-khen-{award.serial}.pdf"'
    return response


@login_required
@require_POST
def award_revoke(request, pk: int):
    award = _visible(request, pk)
    if not rules.may_grant_for(request.user, award.granting_unit):
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.award_revoke(
                actor=request.user, award=award, reason=form.cleaned_data["reason"]
            )
        except services.AwardRefused as refused:
            if refused.field is None:
                messages.error(request, refused.message)
                return redirect("office:award", pk=award.pk)
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Đã thu hồi khen thưởng."))
            return redirect("office:award", pk=award.pk)
    return _detail(request, award, revoke_form=form, status=422)
