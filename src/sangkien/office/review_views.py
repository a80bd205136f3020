"""The officer's queue and one initiative under review: decisions, scores, similar initiatives,
complaints, personal data on demand. Thin: parse, ask review.rules, call a service or a query."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangkien.accounts import rules as account_rules
from sangkien.common.audit import audit
from sangkien.common.models import AuditEntry
from sangkien.initiatives import similarity
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.receipts import parse_receipt
from sangkien.office.review_forms import (
    BulkDecisionForm,
    ComplaintForm,
    DecisionForm,
    QueueForm,
    ResolveForm,
    ScoreForm,
)
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import anchor_path
from sangkien.programs.models import Phase, Program, ProgramOption
from sangkien.review import queries, rules
from sangkien.review.enums import Exclusion
from sangkien.review.models import Complaint, Criterion, Score
from sangkien.review.services import (
    ReviewRefused,
    complaint_file,
    complaint_resolve,
    decide,
    decide_many,
    score,
)


def _roles(request) -> list:
    roles = getattr(request, "_review_roles", None)
    if roles is None:
        roles = list(
            request.user.roles.select_related("unit").order_by("unit__level", "unit__name")
        )
        request._review_roles = roles
    return roles


def desk_of(request, code: str = "") -> tuple[Unit, str]:
    """The unit the officer works at on this page (`?desk=`), by default their outermost role
    unit; 404 for a unit outside their subtrees."""
    code = code or request.GET.get("desk") or request.POST.get("desk") or ""
    if code:
        unit = account_rules.unit_for(request.user, code)
        path = anchor_path(unit)
        if path is None:
            raise Http404
        return unit, path
    roots = account_rules.visible_roots(request.user)
    if not roots:
        raise Http404
    # A placement path ends with its unit's id: the outermost root names the desk.
    path = roots[0]
    unit_id = int(path.rstrip("/").rsplit("/", 1)[-1])
    unit = next((r.unit for r in _roles(request) if r.unit_id == unit_id), None)
    return unit or get_object_or_404(Unit, pk=unit_id), path


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}) and target.startswith("/"):
        return target
    return default


def _queue_form(request) -> QueueForm:
    programs = list(Program.objects.filter(is_published=True).order_by("-submission_opens_at"))
    ids = [p.pk for p in programs]
    phases = list(Phase.objects.filter(program_id__in=ids).select_related("program"))
    options = list(ProgramOption.objects.filter(program_id__in=ids))
    return QueueForm(request.GET, programs=programs, phases=phases, options=options)


@login_required
def queue_view(request):
    desk, desk_path = desk_of(request)
    form = _queue_form(request)
    data = form.cleaned()
    unit_path = ""
    if data.get("unit"):
        unit = Unit.objects.filter(code=data["unit"].strip().upper()).first()
        path = anchor_path(unit) if unit else None
        if path is None or not path.startswith(desk_path):
            form.add_error("unit", _("Không có đơn vị mã này trong phạm vi của bạn."))
        else:
            unit_path = path
    f = queries.QueueFilter(
        program=data.get("program"),
        phase=data.get("phase"),
        status=data.get("status") or "",
        unit_path=unit_path,
        kind=data.get("kind") or "",
        target_group=data.get("target_group") or "",
        block=data.get("block") or "",
        q=(data.get("q") or "").strip(),
        sort=data["sort"],
        flags=set(data.get("flag") or []),
    )
    rows, counts, rows_at_most = queries.queue(desk, desk_path, f)
    paginator = Paginator(rows, queries.PAGE_SIZE)
    paginator.count = rows_at_most  # known already: no second count over the whole selection
    page = paginator.get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    status_keep = keep.copy()
    status_keep.pop("status", None)
    context = {
        "desk": desk,
        "form": form,
        "page": page,
        "counts": [
            (value, label, counts.get(value, 0))
            for value, label in form.fields["status"].choices[1:]
        ],
        "total": sum(counts.values()),
        "current_status": f.status,
        "query": keep.urlencode(),
        "status_query": status_keep.urlencode(),
        "decision_form": DecisionForm(),
        "roles": _roles(request),
    }
    template = (
        "office/_queue_rows.html"
        if request.headers.get("X-Partial") == "queue"
        else "office/queue.html"
    )
    return render(request, template, context)


@require_POST
@login_required
def queue_bulk(request):
    scope = rules.initiative_scope(request.user)
    if scope is None:
        raise Http404
    asked = [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:500]
    allowed = list(
        Initiative.objects.filter(scope, pk__in=asked)
        .select_related("program", "unit")
        .prefetch_related("authors")
    )
    # Ids outside the officer's subtree are dropped unseen, as if they did not exist.
    data = request.POST.copy()
    data.setlist("ids", [str(i.pk) for i in allowed])
    form = BulkDecisionForm(data, allowed_ids=[i.pk for i in allowed])
    back = _back(request, reverse("office:review_queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        done, refused = decide_many(
            actor=request.user,
            initiatives=allowed,
            decision=form.cleaned_data["decision"],
            reason_code=form.cleaned_data["reason_code"],
            message=form.cleaned_data["message"],
        )
    except ReviewRefused as error:
        messages.error(request, error.message)
        return redirect(back)
    if done:
        messages.success(request, _("Đã ghi quyết định cho %(n)s sáng kiến.") % {"n": len(done)})
    for initiative, reason in refused:
        messages.warning(request, f"{initiative.receipt_display}: {reason}")
    return redirect(back)


def _initiative(request, receipt: str, queryset=None) -> Initiative:
    code = parse_receipt(receipt)
    if not code:
        raise Http404
    return rules.initiative_for(request.user, code, queryset)


def _score_levels(request, initiative: Initiative) -> list[Unit]:
    """The levels at which this officer may score the initiative: where it is before a unit they
    cover (its own grassroots union, or a unit it was forwarded to)."""
    units = [
        initiative.unit,
        *(n.to_unit for n in queries.history_of(initiative) if n.state == "active"),
    ]
    return [u for u in dict.fromkeys(units) if account_rules.can_view_unit(request.user, u)]


def _detail_context(request, initiative: Initiative, **forms) -> dict:
    criteria = list(Criterion.objects.filter(program_id=initiative.program_id))
    levels = _score_levels(request, initiative)
    mine = {
        s.unit_id: s for s in Score.objects.filter(initiative=initiative, reviewer=request.user)
    }
    score_forms = forms.pop("score_forms", {})
    scoring = [
        (
            unit,
            score_forms.get(unit.pk)
            or ScoreForm(
                criteria=criteria, initial_points=getattr(mine.get(unit.pk), "points", None)
            ),
            queries.score_summary(initiative, unit),
        )
        for unit in levels
    ]
    in_unit, national = similarity.similar(initiative)
    entries = AuditEntry.objects.filter(
        object_type=initiative._meta.label_lower, object_id=str(initiative.pk)
    ).select_related("actor")
    # A refused form is far down the page: a summary at the top links to each error.
    refused = []
    for name, anchor in (
        ("decision_form", "xac-minh"),
        ("complaint_form", "khieu-nai"),
        ("resolve_form", "khieu-nai"),
    ):
        form = forms.get(name)
        if form is not None:
            refused += [(anchor, error) for errors in form.errors.values() for error in errors]
    for form in score_forms.values():
        refused += [("cham-diem", error) for errors in form.errors.values() for error in errors]
    return {
        "refused": refused,
        "initiative": initiative,
        "is_author": rules.is_author(request.user, initiative),
        "may_see_personal": rules.may_see_personal_data(request.user, initiative),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "complaint_form": forms.get("complaint_form") or ComplaintForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "resolve_blank": ResolveForm(),
        "resolve_for": forms.get("resolve_for"),
        "criteria": criteria,
        "scoring": scoring,
        "scores": queries.scores_of(initiative),
        "similar_in_unit": in_unit,
        "similar_national": national,
        "nominations": queries.history_of(initiative),
        "complaints": queries.complaints_of(initiative),
        "entries": entries[:100],
        "exclusions": Exclusion,
        "show_personal": forms.get("show_personal", False),
    }


@login_required
def detail_view(request, receipt: str):
    initiative = _initiative(request, receipt)
    return render(request, "office/review_detail.html", _detail_context(request, initiative))


@require_GET
@login_required
def similar_view(request, receipt: str):
    """The similar initiatives of the detail page as JSON (the same fields the page shows), for
    a page that loads them apart and for the benchmark; 404 outside the officer's subtree."""
    initiative = _initiative(request, receipt, Initiative.objects.select_related("unit"))
    in_unit, national = similarity.similar(initiative)

    def rows(matches, with_unit: bool) -> list[dict]:
        return [
            {
                "receipt": m.initiative.receipt_display,
                "title": m.initiative.title,
                "score": round(m.score, 2),
                **({"unit": m.initiative.unit.name} if with_unit else {}),
            }
            for m in matches
        ]

    return JsonResponse({"in_unit": rows(in_unit, False), "national": rows(national, True)})


def _refused_on(form, error: ReviewRefused) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_POST
@login_required
def decide_view(request, receipt: str):
    initiative = _initiative(request, receipt)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ReviewRefused as error:
            _refused_on(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định xác minh."))
            return redirect(
                _back(request, reverse("office:review_detail", args=[initiative.receipt]))
            )
    context = _detail_context(request, initiative, decision_form=form)
    return render(request, "office/review_detail.html", context, status=422)


@require_POST
@login_required
def score_view(request, receipt: str):
    initiative = _initiative(request, receipt)
    unit = account_rules.unit_for(request.user, request.POST.get("unit", ""))
    criteria = list(Criterion.objects.filter(program_id=initiative.program_id))
    form = ScoreForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            score(
                actor=request.user,
                initiative=initiative,
                unit=unit,
                points=form.points(),
                comment=form.cleaned_data["comment"],
            )
        except ReviewRefused as error:
            _refused_on(form, error)
        else:
            messages.success(request, _("Đã lưu phiếu chấm."))
            return redirect("office:review_detail", initiative.receipt)
    context = _detail_context(request, initiative, score_forms={unit.pk: form})
    return render(request, "office/review_detail.html", context, status=422)


@require_POST
@login_required
def personal_view(request, receipt: str):
    """Clear phone and ID numbers, for the grassroots union and its direct superior only; the
    view is written to the audit log before anything is shown."""
    initiative = _initiative(request, receipt)
    if not rules.may_see_personal_data(request.user, initiative):
        raise Http404
    audit(actor=request.user, action="personal.view", obj=initiative)
    context = _detail_context(request, initiative, show_personal=True)
    response = render(request, "office/review_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def attachment_view(request, receipt: str, pk: int):
    initiative = _initiative(request, receipt)
    attachment = next((a for a in initiative.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@require_POST
@login_required
def complaint_file_view(request, receipt: str):
    initiative = _initiative(request, receipt)
    form = ComplaintForm(request.POST)
    if form.is_valid():
        try:
            complaint_file(initiative=initiative, actor=request.user, **form.cleaned_data)
        except ReviewRefused as error:
            _refused_on(form, error)
        else:
            messages.success(request, _("Đã ghi nhận khiếu nại; sáng kiến tạm dừng xét chọn."))
            return redirect("office:review_detail", initiative.receipt)
    context = _detail_context(request, initiative, complaint_form=form)
    return render(request, "office/review_detail.html", context, status=422)


@require_POST
@login_required
def complaint_resolve_view(request, pk: int):
    complaint = get_object_or_404(Complaint.objects.select_related("initiative"), pk=pk)
    initiative = rules.initiative_for(request.user, complaint.initiative.receipt)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            complaint_resolve(actor=request.user, complaint=complaint, **form.cleaned_data)
        except ReviewRefused as error:
            _refused_on(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả giải quyết khiếu nại."))
            return redirect("office:review_detail", initiative.receipt)
    context = _detail_context(request, initiative, resolve_form=form, resolve_for=complaint.pk)
    return render(request, "office/review_detail.html", context, status=422)
