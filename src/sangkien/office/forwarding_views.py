"""Selecting and forwarding initiatives within quotas, sending back, the dossier files, and the
quotas a unit sets for its children."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangkien.accounts import rules as account_rules
from sangkien.common.timewindows import vn_date
from sangkien.initiatives.models import Initiative
from sangkien.office.review_forms import LetterForm, QuotaForm, SendBackForm
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase
from sangkien.review import dossier, queries
from sangkien.review.documents import dossier_of
from sangkien.review.models import Nomination, Quota
from sangkien.review.services import Letter, ReviewRefused, forward, forwarding_closed, quota_set
from sangkien.review.services import send_back as send_back_service

MAX_CHILDREN = 1000


def _phases():
    return list(
        Phase.objects.filter(program__is_published=True)
        .select_related("program")
        .order_by("-program__submission_opens_at", "number")
    )


def _phase(request, phases: list[Phase]) -> Phase | None:
    asked = request.GET.get("phase") or request.POST.get("phase") or ""
    chosen = next((p for p in phases if str(p.pk) == asked), None)
    if chosen is not None:
        return chosen
    # By default the most recent phase that has opened (phases are newest programme first).
    now = timezone.now()
    opened = [p for p in phases if p.submission_opens_at <= now]
    if opened:
        newest = opened[0].program_id
        return [p for p in opened if p.program_id == newest][-1]
    return phases[0] if phases else None


def _forward_context(request, desk: Unit, phase: Phase | None, phases=None, **extra) -> dict:
    placement = tree.placement_on(desk)
    parent = placement.parent if placement else None
    context = {
        "desk": desk,
        "parent": parent,
        "phases": phases if phases is not None else _phases(),
        "phase": phase,
        "letter_form": extra.get("letter_form")
        or LetterForm(initial={"dated_on": vn_date(timezone.now()).strftime("%d/%m/%Y")}),
        "picked": extra.get("picked", {}),
        "send_back_forms": extra.get("send_back_forms", {}),
        "closed": "",
    }
    if phase is None:
        return context
    context.update(
        candidates=queries.candidates(desk, phase),
        received=list(queries.received(desk, phase)) if desk.level < 3 else [],
        sent=list(queries.sent(desk, phase)),
        quota=queries.quota_for(phase=phase, unit=desk, parent=parent) if parent else None,
        used=queries.quota_used(phase=phase, unit=desk),
        closed=forwarding_closed(phase.program, timezone.now()),
    )
    return context


@login_required
def forward_view(request, code: str):
    desk = account_rules.unit_for(request.user, code)
    phases = _phases()
    phase = _phase(request, phases)
    if request.method != "POST" or phase is None:
        return render(
            request, "office/forward.html", _forward_context(request, desk, phase, phases)
        )
    form = LetterForm(request.POST)
    picked = {}
    for value in request.POST.getlist("pick"):
        if value.isdigit():
            rank = request.POST.get(f"rank_{value}", "")
            picked[int(value)] = int(rank) if rank.isdigit() else 999
    order = sorted(picked, key=lambda pk: (picked[pk], pk))
    found = {
        i.pk: i
        for i in Initiative.objects.filter(pk__in=order)
        .select_related("program", "unit")
        .prefetch_related("authors")
    }
    chosen = [found[pk] for pk in order if pk in found]
    if form.is_valid():
        data = form.cleaned_data
        try:
            forwarding = forward(
                actor=request.user,
                from_unit=desk,
                phase=phase,
                initiatives=chosen,
                letter=Letter(
                    number=data["number"],
                    dated_on=data["dated_on"],
                    place=data["place"],
                    signer_title=data["signer_title"],
                    signer_name=data["signer_name"],
                ),
            )
        except ReviewRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã đề nghị %(n)s sáng kiến lên %(to)s.")
                % {"n": len(chosen), "to": forwarding.to_unit.name},
            )
            return redirect("office:forwarding", forwarding.pk)
    context = _forward_context(request, desk, phase, phases, letter_form=form, picked=picked)
    return render(request, "office/forward.html", context, status=422)


@require_POST
@login_required
def send_back_view(request, pk: int):
    nomination = get_object_or_404(Nomination.objects.select_related("to_unit", "phase"), pk=pk)
    desk = account_rules.unit_for(request.user, nomination.to_unit.code)
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            send_back_service(
                actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except ReviewRefused as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("Đã trả lại sáng kiến cho đơn vị đề nghị."))
            url = reverse("office:forward", args=[desk.code])
            return redirect(f"{url}?phase={nomination.phase_id}")
    context = _forward_context(
        request, desk, nomination.phase, send_back_forms={nomination.pk: form}
    )
    return render(request, "office/forward.html", context, status=422)


def _visible_forwarding(request, pk: int):
    forwarding = queries.forwarding_with_items(pk)
    if forwarding is None or not (
        account_rules.can_view_unit(request.user, forwarding.from_unit)
        or account_rules.can_view_unit(request.user, forwarding.to_unit)
    ):
        raise Http404
    return forwarding


@login_required
def forwarding_view(request, pk: int):
    forwarding = _visible_forwarding(request, pk)
    return render(request, "office/forwarding.html", {"forwarding": forwarding})


FILES = {
    ("to-trinh", "docx"): (
        dossier.cover_letter_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("to-trinh", "pdf"): (dossier.cover_letter_pdf, "application/pdf"),
    ("bang-tong-hop", "xlsx"): (
        dossier.summary_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("bang-tong-hop", "pdf"): (dossier.summary_pdf, "application/pdf"),
}


@login_required
def forwarding_file(request, pk: int, name: str, fmt: str):
    forwarding = _visible_forwarding(request, pk)
    make, content_type = FILES.get((name, fmt), (None, None))
    if make is None:
        raise Http404
    response = HttpResponse(make(dossier_of(forwarding)), content_type=content_type)
    filename = f"{name}-{forwarding.from_unit.code}-{forwarding.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def quota_view(request, code: str):
    """Số lượng đề cử: the parent's rule for all its children and exceptions for some."""
    parent = account_rules.unit_for(request.user, code, manage=True)
    phases = _phases()
    phase = _phase(request, phases)
    if phase is None:
        raise Http404
    children = list(tree.children(parent)[:MAX_CHILDREN])
    current = {q.child_id: q.max_count for q in Quota.objects.filter(phase=phase, parent=parent)}
    form = QuotaForm(request.POST or None, initial={"default": current.get(None)})
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        for child in children:
            value = request.POST.get(f"child_{child.pk}", "").strip()
            typed[child.pk] = value
            if value and (not value.isdigit() or int(value) > 10000):
                errors[child.pk] = _("Nhập một số nguyên từ 0 đến 10.000, hoặc để trống.")
        if form.is_valid() and not errors:
            quota_set(
                actor=request.user,
                phase=phase,
                parent=parent,
                max_count=form.cleaned_data["default"],
            )
            for child in children:
                value = typed[child.pk]
                wanted = int(value) if value else None
                if wanted != current.get(child.pk):
                    quota_set(
                        actor=request.user,
                        phase=phase,
                        parent=parent,
                        child=child,
                        max_count=wanted,
                    )
            messages.success(request, _("Đã lưu số lượng đề cử."))
            return redirect(f"{reverse('office:quotas', args=[parent.code])}?phase={phase.pk}")
    used = queries.quota_used_by_child(phase=phase, parent=parent)
    rows = [
        (
            child,
            typed.get(child.pk, current.get(child.pk, "")),
            errors.get(child.pk),
            used.get(child.pk, 0),
        )
        for child in children
    ]
    context = {"parent": parent, "phases": phases, "phase": phase, "form": form, "rows": rows}
    return render(
        request, "office/quotas.html", context, status=422 if errors or form.errors else 200
    )
