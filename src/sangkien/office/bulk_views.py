"""Office pages of nộp hộ theo danh sách: the template, the upload, a job's progress and report."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangkien.accounts import rules
from sangkien.initiatives import bulk
from sangkien.initiatives.bulk_models import BulkImport, BulkMode
from sangkien.initiatives.services import SubmissionRefused
from sangkien.programs import windows
from sangkien.programs.queries import published_programs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT = 20
REPORT_PER_PAGE = 200


class BulkUploadForm(forms.Form):
    program = forms.ChoiceField(
        label=gettext_lazy("Chương trình"),
        error_messages={
            "required": gettext_lazy("Chọn chương trình."),
            "invalid_choice": gettext_lazy("Chọn chương trình."),
        },
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách (.xlsx, theo mẫu)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={"required": gettext_lazy("Chọn tệp danh sách.")},
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Khi có dòng lỗi"),
        choices=[
            (
                BulkMode.ALL_OR_NOTHING,
                gettext_lazy(
                    "Tất cả hoặc không: chỉ ghi khi mọi dòng đều đúng; có dòng lỗi thì không ghi dòng nào."
                ),
            ),
            (
                BulkMode.ROW_BY_ROW,
                gettext_lazy(
                    "Từng dòng: ghi các dòng đúng, báo lỗi các dòng sai để sửa và nộp lại."
                ),
            ),
        ],
        initial=BulkMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn cách ghi.")},
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = {program.code: program for program in programs}
        self.fields["program"].choices = [("", _("— Chọn chương trình —"))] + [
            (program.code, program.short_name) for program in programs
        ]

    def clean_program(self):
        return self.programs[self.cleaned_data["program"]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = bulk.max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(mb)s MB); hãy chia thành nhiều tệp.")
                % {"mb": limit // 1048576}
            )
        return upload


def _officer_only(request) -> None:
    if not rules.is_officer(request.user):
        raise Http404


def _job_for(request, pk: int) -> BulkImport:
    """The job if the viewer uploaded it or is a national administrator; 404 otherwise."""
    job = BulkImport.objects.select_related("program").filter(pk=pk).first()
    if job is None:
        raise Http404
    if job.officer_id != request.user.pk and not rules.is_national_admin(request.user):
        raise Http404
    return job


@login_required
def bulk_upload(request):
    _officer_only(request)
    programs = list(published_programs())
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = BulkUploadForm(*bound, programs=programs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = bulk.bulk_upload(
                officer=request.user,
                program=form.cleaned_data["program"],
                mode=form.cleaned_data["mode"],
                content=upload.read(),
                original_name=upload.name,
            )
        except bulk.SheetError as error:
            form.add_error("file", error.message)
        except SubmissionRefused as refused:
            form.add_error("program", refused.message)
        else:
            return redirect("office:bulk_job", pk=job.pk)
    jobs = list(
        BulkImport.objects.filter(officer=request.user)
        .select_related("program")
        .defer("report")[:RECENT]
    )
    now = timezone.now()
    for program in programs:
        program.open_now = windows.is_open(program, now)
    return render(
        request,
        "office/bulk_upload.html",
        {"form": form, "programs": programs, "jobs": jobs, "max_rows": bulk.MAX_ROWS},
        status=422 if form.errors else 200,
    )


@login_required
def bulk_template(request, program: str):
    _officer_only(request)
    found = published_programs().filter(code=program).first()
    if found is None:
        raise Http404
    content = bulk.template_workbook(found, bulk.grassroots_for(request.user))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-nop-theo-danh-sach-{found.code}.xlsx"'
    )
    return response


def _progress_text(job: BulkImport) -> str:
    return _("Đã xử lý %(done)s/%(total)s dòng") % {"done": job.rows_done, "total": job.rows_total}


@login_required
def bulk_job(request, pk: int):
    job = _job_for(request, pk)
    page = Paginator(job.report, REPORT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "office/bulk_job.html",
        {"job": job, "page": page, "progress_text": _progress_text(job)},
    )


@login_required
def bulk_status(request, pk: int):
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "rows_total": job.rows_total,
            "rows_done": job.rows_done,
            "rows_stored": job.rows_stored,
            "rows_refused": job.rows_refused,
            "percent": job.percent,
            "text": _progress_text(job),
        }
    )


@login_required
def bulk_report(request, pk: int):
    job = _job_for(request, pk)
    if not job.is_finished or not job.file:
        raise Http404
    response = HttpResponse(bulk.report_workbook(job), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-nop-theo-danh-sach-{job.pk}.xlsx"'
    )
    return response
