"""Office pages of the large exports: request a unit's list of initiatives, follow the job, download
its file (owner only), and the national CSV streamed for national administrators."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.accounts import rules
from sangkien.initiatives.enums import Status
from sangkien.orgs.queries import today
from sangkien.programs.models import Program
from sangkien.programs.queries import published_programs
from sangkien.targets import exports
from sangkien.targets.models import ExportJob

JOBS_PER_PAGE = 20
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ExportRequestForm(forms.Form):
    unit = forms.CharField(
        label=gettext_lazy("Mã đơn vị"),
        max_length=32,
        help_text=gettext_lazy("Xuất sáng kiến của đơn vị này và mọi đơn vị trực thuộc."),
        error_messages={"required": gettext_lazy("Nhập mã đơn vị.")},
    )
    program = forms.ChoiceField(
        label=gettext_lazy("Chương trình"),
        error_messages={
            "required": gettext_lazy("Chọn chương trình."),
            "invalid_choice": gettext_lazy("Chọn chương trình."),
        },
    )
    phase = forms.ChoiceField(label=gettext_lazy("Giai đoạn"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Chọn trạng thái trong danh sách.")},
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[
            ("xlsx", gettext_lazy("Excel (.xlsx)")),
            ("csv", gettext_lazy("CSV (UTF-8, mở được bằng Excel)")),
        ],
        initial="xlsx",
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Chọn định dạng."),
            "invalid_choice": gettext_lazy("Chọn định dạng."),
        },
    )

    def __init__(self, *args, officer, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.programs = {program.code: program for program in programs}
        self.fields["program"].choices = [("", _("— Chọn chương trình —"))] + [
            (program.code, program.short_name) for program in programs
        ]
        numbers = sorted({phase.number for program in programs for phase in program.phases.all()})
        self.fields["phase"].choices = [("", _("Mọi giai đoạn"))] + [
            (str(number), _("Giai đoạn %(n)s") % {"n": number}) for number in numbers
        ]
        self.fields["phase"].error_messages["invalid_choice"] = _("Chọn giai đoạn trong danh sách.")
        self.fields["status"].choices = [("", _("Mọi trạng thái")), *Status.choices]

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        try:
            return rules.unit_for(self.officer, code)
        except Http404:
            raise forms.ValidationError(
                _("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
            ) from None

    def clean_program(self):
        return self.programs[self.cleaned_data["program"]]

    def clean(self):
        cleaned = super().clean()
        program, number = cleaned.get("program"), cleaned.get("phase")
        cleaned["phase"] = None
        if program is not None and number:
            phase = next((p for p in program.phases.all() if str(p.number) == number), None)
            if phase is None:
                self.add_error(
                    "phase",
                    _("Chương trình này không có giai đoạn %(n)s.") % {"n": number},
                )
            cleaned["phase"] = phase
        return cleaned


def _officer_only(request) -> None:
    if not rules.is_officer(request.user):
        raise Http404


def _own_job(request, pk: int) -> ExportJob:
    """The job if the viewer asked for it; anybody else gets 404, like a job that does not exist."""
    job = exports.jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _progress_text(job: ExportJob) -> str:
    return _("Đã ghi %(done)s/%(total)s dòng") % {"done": job.rows_done, "total": job.rows_total}


def _with_progress(job: ExportJob) -> ExportJob:
    job.percent = exports.percent(job)
    job.is_finished = exports.is_finished(job)
    job.progress_text = _progress_text(job)
    return job


def _own_units(officer) -> list:
    """The units the officer holds a role on: the suggestions of the unit field."""
    return sorted(
        {role.unit for role in officer.roles.select_related("unit")}, key=lambda u: u.code
    )


@login_required
def export_list(request):
    _officer_only(request)
    programs = list(published_programs())
    suggestions = _own_units(request.user)
    initial = {"unit": suggestions[0].code} if suggestions else {}
    bound = (request.POST,) if request.method == "POST" else ()
    form = ExportRequestForm(*bound, officer=request.user, programs=programs, initial=initial)
    if request.method == "POST" and form.is_valid():
        job = exports.export_request(
            actor=request.user,
            unit=form.cleaned_data["unit"],
            program=form.cleaned_data["program"],
            fmt=form.cleaned_data["fmt"],
            phase=form.cleaned_data["phase"],
            status=form.cleaned_data["status"] or None,
        )
        return redirect("office:export_job", pk=job.pk)
    page = Paginator(exports.jobs_of(request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    for job in page.object_list:
        _with_progress(job)
    return render(
        request,
        "office/exports.html",
        {
            "form": form,
            "page": page,
            "suggestions": suggestions,
            "programs": programs,
            "is_national_admin": rules.is_national_admin(request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
def export_job(request, pk: int):
    job = _with_progress(_own_job(request, pk))
    phase = job.params.get("phase")
    status = job.params.get("status")
    return render(
        request,
        "office/exports_job.html",
        {
            "job": job,
            "phase": phase,
            "status_label": Status(status).label if status in Status.values else "",
        },
    )


@login_required
def export_status(request, pk: int):
    job = _with_progress(_own_job(request, pk))
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "text": job.progress_text,
        }
    )


@login_required
def export_download(request, pk: int):
    job = _own_job(request, pk)
    handle = exports.export_open(actor=request.user, job=job)
    if handle is None:
        raise Http404
    return FileResponse(
        handle,
        as_attachment=True,
        filename=exports.download_name(job),
        content_type=CONTENT_TYPES[job.fmt],
    )


@login_required
def export_national(request):
    code = request.GET.get("program", "").strip()
    program = None
    if code:
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise Http404
    lines = exports.national_stream(actor=request.user, program=program)
    if lines is None:
        raise Http404
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES["csv"])
    name = f"sang-kien-toan-quoc-{program.code if program else 'moi-chuong-trinh'}"
    response["Content-Disposition"] = f'attachment; filename="{name}-{today():%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    return response
