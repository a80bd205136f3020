"""Chỉ tiêu: a unit's own target and where it comes from, its children's targets and their sum
against it, the allocation table (edited in place, or uploaded, previewed and confirmed), and the
table as a spreadsheet."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sangkien.accounts import rules
from sangkien.office import target_forms
from sangkien.office.target_forms import (
    AllocationFormSet,
    AllocationUploadForm,
    applies_choices,
    row_initial,
)
from sangkien.orgs import queries as tree
from sangkien.programs import windows
from sangkien.programs.models import Program
from sangkien.targets import tables

PREFIX = "rows"
# Above this many rows the table is edited as a spreadsheet: each row posts ~8 fields and Django
# refuses a request of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000).
EDITOR_MAX_ROWS = 100
# The form's field for each field a table rule names (targets.tables.Problem.field).
FIELDS = {"unit": "applies_to", "block": "applies_to", "participation_percent": "participation"}


def _programs() -> list[Program]:
    return list(
        Program.objects.filter(is_published=True)
        .prefetch_related("phases")
        .order_by("-submission_opens_at", "pk")
    )


def _program(request, programs: list[Program]) -> Program | None:
    """The asked programme, else the most recent open one, else the most recent."""
    asked = request.GET.get("program") or request.POST.get("program") or ""
    chosen = next((p for p in programs if p.code == asked), None)
    if chosen is not None:
        return chosen
    now = timezone.now()
    return next((p for p in programs if windows.is_open(p, now)), programs[0] if programs else None)


def _phases(program: Program):
    return sorted(program.phases.all(), key=lambda phase: phase.number)


def _formset(cls, children, phases, data=None, initial=None):
    return cls(
        data,
        initial=initial,
        prefix=PREFIX,
        form_kwargs={
            "phases": phases,
            "children": children,
            "choices": applies_choices(children),
        },
    )


def _page(request, unit, programs, program, *, formset=None, table_errors=(), status=200):
    context = {"unit": unit, "programs": programs, "program": program}
    if program is None:
        return render(request, "office/targets.html", context, status=status)
    phases = _phases(program)
    view = tables.overview(program, unit, phases)
    can_edit = rules.can_manage_unit(request.user, unit)
    children = [line.unit for line in view.children]
    too_long = len(view.rows) > EDITOR_MAX_ROWS
    if can_edit and formset is None and not too_long:
        formset = _formset(
            AllocationFormSet,
            children,
            phases,
            initial=[row_initial(row) for row in tables.inputs_of(view.rows)],
        )
    context.update(
        view=view,
        phases=phases,
        can_edit=can_edit,
        parent_visible=view.parent is not None and rules.can_view_unit(request.user, view.parent),
        rows=[(row, tables.applies_to(row), tables.describe(row, phases)) for row in view.rows],
        formset=formset if can_edit else None,
        too_long=can_edit and too_long,
        editor_max=EDITOR_MAX_ROWS,
        table_errors=list(table_errors),
        children=children,
        many_children=len(children) > target_forms.SELECT_LIMIT,
        upload_form=AllocationUploadForm() if can_edit else None,
    )
    return render(request, "office/targets.html", context, status=status)


@login_required
def targets_page(request, code: str):
    unit = rules.unit_for(request.user, code)
    programs = _programs()
    return _page(request, unit, programs, _program(request, programs))


def _page_url(unit, program) -> str:
    return f"{reverse('office:targets', args=[unit.code])}?program={program.code}"


@login_required
def targets_edit(request, code: str):
    """Replace the table with the rows posted (the editor, or an import being confirmed)."""
    unit = rules.unit_for(request.user, code, manage=True)
    programs = _programs()
    program = _program(request, programs)
    if program is None:
        raise Http404
    if request.method != "POST":  # the editor lives on the page; who may not manage got 404
        return redirect(_page_url(unit, program))
    phases = _phases(program)
    children = list(tree.children(unit))
    formset = _formset(AllocationFormSet, children, phases, data=request.POST)
    table_errors: list[str] = []
    if formset.is_valid():
        initial = formset.initial_form_count()
        kept = [
            form
            for i, form in enumerate(formset.forms)
            if not form.cleaned_data.get("DELETE") and (i < initial or form.has_changed())
        ]
        try:
            tables.allocation_replace(
                actor=request.user,
                program=program,
                parent=unit,
                rows=[form.allocation for form in kept],
            )
        except tables.AllocationRefused as refused:
            for problem in refused.problems:
                form = kept[problem.index] if 0 <= problem.index < len(kept) else None
                name = FIELDS.get(problem.field, problem.field)
                if form is not None and name in form.fields:
                    form.add_error(name, problem.message)
                elif form is not None:
                    form.add_error(None, problem.message)
                else:
                    table_errors.append(problem.message)
        else:
            messages.success(
                request,
                _("Đã lưu bảng phân bổ chỉ tiêu của %(unit)s (%(n)s dòng).")
                % {"unit": unit.name, "n": len(kept)},
            )
            return redirect(_page_url(unit, program))
    # Errors are shown next to their fields with what was typed; nothing was saved.
    return _page(request, unit, programs, program, formset=formset, table_errors=table_errors)


STASH = "targets_import"  # the session key of an import between its preview and its confirmation


@login_required
def targets_import(request, code: str):
    """Upload → a preview with the row-by-row report → confirm. The rows read are kept in the
    session between the two steps (not posted back as fields: a table of a few hundred rows
    would pass Django's limit on the number of fields), and checked again when saved."""
    unit = rules.unit_for(request.user, code, manage=True)
    programs = _programs()
    program = _program(request, programs)
    if program is None:
        raise Http404
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request, unit, programs, program)
    form = AllocationUploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else (None, None))
    )
    result = None
    token = ""
    if request.method == "POST" and form.is_valid():
        result = tables.parse_allocation_xlsx(form.cleaned_data["file"], program, unit)
        if result.error:
            form.add_error("file", result.error)
            result = None
        elif result.rows:
            token = secrets.token_urlsafe(16)
            request.session[STASH] = {
                "token": token,
                "unit": unit.pk,
                "program": program.pk,
                "rows": tables.inputs_to_data(result.rows),
                "lines": [
                    line.row for line in result.report if line.outcome == tables.Outcome.IMPORTED
                ],
            }
    return _import_page(request, unit, programs, program, form=form, result=result, token=token)


def _import_page(request, unit, programs, program, *, form=None, result=None, token="", errors=()):
    context = {
        "unit": unit,
        "programs": programs,
        "program": program,
        "form": form or AllocationUploadForm(),
        "result": result,
        "confirm_token": token,
        "confirm_errors": list(errors),
        "outcome": tables.Outcome,
    }
    return render(request, "office/targets_import.html", context)


def _confirm_import(request, unit, programs, program):
    stash = request.session.get(STASH) or {}
    rows = tables.inputs_from_data(stash.get("rows", []))
    if (
        not stash
        or stash.get("token") != request.POST.get("confirm")
        or (stash.get("unit"), stash.get("program")) != (unit.pk, program.pk)
        or len(rows) != len(stash["rows"])
    ):
        message = _("Bản xem trước này không còn dùng được; hãy tải tệp lên lại.")
        return _import_page(request, unit, programs, program, errors=[message])
    try:
        tables.allocation_replace(actor=request.user, program=program, parent=unit, rows=rows)
    except tables.AllocationRefused as refused:
        # The tree or the officer's roles changed since the preview: say which rows, save nothing.
        lines = stash["lines"]
        errors = [
            _("Dòng %(row)s: %(message)s") % {"row": lines[p.index], "message": p.message}
            if 0 <= p.index < len(lines)
            else p.message
            for p in refused.problems
        ]
        return _import_page(request, unit, programs, program, errors=errors)
    del request.session[STASH]
    messages.success(
        request,
        _("Đã lưu bảng phân bổ chỉ tiêu của %(unit)s từ tệp (%(n)s dòng).")
        % {"unit": unit.name, "n": len(rows)},
    )
    return redirect(_page_url(unit, program))


@login_required
def targets_export(request, code: str):
    unit = rules.unit_for(request.user, code)
    programs = _programs()
    program = _program(request, programs)
    if program is None:
        raise Http404
    response = HttpResponse(
        tables.allocation_xlsx(program, unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"chi-tieu-{unit.code}-{program.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
