"""Ghi nhận và khen thưởng theo thể lệ: the quarterly recognition and the phase-1 candidates,
computed from the rules with their figures, exported, and recorded as one decision.

For national administrators only (the rules are the federation's, seed 003 §V.1); anyone else
gets 404, the same as a page that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sangkien.accounts import rules as account_rules
from sangkien.awards.models import Award
from sangkien.awards.recognition import recognition_record, result_fingerprint
from sangkien.awards.services import AwardRefused
from sangkien.office.recognition_forms import RecognitionChoiceForm, RecognitionRecordForm
from sangkien.orgs import queries as tree
from sangkien.programs.models import Program
from sangkien.targets import recognition
from sangkien.targets.queries import as_of

EXPORTS = {
    "xlsx": (
        recognition.recognition_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": (recognition.recognition_csv, "text/csv; charset=utf-8"),
}


def _national_admin(request) -> None:
    if not account_rules.is_national_admin(request.user):
        raise Http404


def _chosen(request):
    """(choice form, programme, period key, result); the result is None until both are valid."""
    programs = list(Program.objects.order_by("-submission_opens_at", "code"))
    form = RecognitionChoiceForm(request.GET or None, programs=programs)
    if not form.is_valid() or not form.cleaned_data["period"]:
        return form, form.cleaned_data.get("program") if form.is_bound else None, "", None
    program, period = form.cleaned_data["program"], form.cleaned_data["period"]
    try:
        result = recognition.recognition_for(program, period)
    except ValueError:  # "p1" of a programme without phases
        form.add_error("period", _("Chương trình này không có kỳ xét đã chọn."))
        return form, program, "", None
    return form, program, period, result


def _recorded(program, result) -> list[Award]:
    """Awards already recorded for this programme, kind and period (one query), so an officer
    sees a decision taken before instead of recording it again under another number."""
    if isinstance(result, recognition.PhaseResult):
        kind, key = result.kind, result.key
    elif result:
        kind, key = result[0].kind, result[0].key
    else:
        return []
    with translation.override("vi"):
        period = recognition.period_label(key)
    return list(
        Award.objects.filter(program=program, kind=kind, period=period, revoked_at__isnull=True)
        .select_related("recipient_unit")
        .order_by("decision_date", "decision_number", "recipient_unit__code")
    )


@login_required
def recognition_page(request):
    _national_admin(request)
    choice, program, period, result = _chosen(request)
    record = RecognitionRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if result is None:
            record.add_error(None, _("Chọn chương trình và kỳ xét trước khi ghi khen thưởng."))
        elif record.is_valid():
            data = record.cleaned_data
            try:
                awards = recognition_record(
                    actor=request.user,
                    program=program,
                    result=result,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    signer_title=data["signer_title"],
                    signer_name=data["signer_name"],
                    place=data["place"],
                    granting_unit=tree.children(None).first(),
                    expected=data["expected"],
                )
            except AwardRefused as refused:
                record.add_error(
                    refused.field if refused.field in record.fields else None, refused.message
                )
            else:
                messages.success(
                    request,
                    _("Đã ghi %(count)s khen thưởng theo quyết định số %(number)s.")
                    % {"count": len(awards), "number": awards[0].decision_number},
                )
                query = urlencode({"program": program.pk, "kind": awards[0].kind})
                return redirect(f"{reverse('office:awards')}?{query}")
    winners = recognition.recipients(result) if result is not None else []
    if result is not None and not record.is_bound:
        record = RecognitionRecordForm(initial={"expected": result_fingerprint(result)})
    elif result is not None:
        # The fingerprint follows what the page shows now, so a second try after a change of the
        # numbers records what the officer has just seen.
        data = request.POST.copy()
        data["expected"] = result_fingerprint(result)
        record.data = data
    context = {
        "choice": choice,
        "program": program,
        "period": period,
        "result": result,
        "is_phase": isinstance(result, recognition.PhaseResult),
        "clusters": (
            result.clusters if isinstance(result, recognition.PhaseResult) else result or []
        ),
        "winners": winners,
        "recorded": _recorded(program, result) if result is not None else [],
        "as_of": as_of() if result is not None else None,
        "record": record,
        "query": urlencode({"program": program.code, "period": period}) if result else "",
    }
    status = 422 if record.errors or (choice.is_bound and choice.errors) else 200
    return render(request, "office/recognition.html", context, status=status)


@login_required
def recognition_export(request, fmt: str):
    _national_admin(request)
    if fmt not in EXPORTS:
        raise Http404
    _choice, program, period, result = _chosen(request)
    if result is None:  # the page shows what is missing, next to the field
        return redirect(f"{reverse('office:recognition')}?{request.GET.urlencode()}")
    write, content_type = EXPORTS[fmt]
    response = HttpResponse(write(program, result), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="ghi-nhan-{program.code}-{period}.{fmt}"'
    )
    return response
