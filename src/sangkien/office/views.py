"""Office views: thin — parse, check who is asking (accounts.rules), call a query or service, render."""

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangkien.accounts import rules
from sangkien.accounts.models import ApiToken, TOTPDevice
from sangkien.accounts.services import (
    sign_in,
    token_issue,
    token_revoke,
    tokens_of,
    totp_confirm,
    totp_start,
    totp_uri,
)
from sangkien.common.http import client_ip
from sangkien.office.forms import (
    DateForm,
    LoginForm,
    RestructureForm,
    TokenForm,
    TotpForm,
    TreeImportForm,
)
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement, UnitSuccession
from sangkien.orgs.services import TreeError, unit_dissolve, unit_move, units_merge
from sangkien.orgs.tree_io import export_rows, import_tree, to_csv, to_xlsx
from sangkien.programs import windows
from sangkien.programs.queries import published_programs

CHILDREN_PER_PAGE = 100


def _bound(request) -> tuple:
    """Form data for a POST (even an empty one, which must show "required"), nothing for a GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def login_view(request):
    form = LoginForm(*_bound(request)[:1])
    needs_otp = False
    if request.method == "POST" and form.is_valid():
        result = sign_in(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            otp=form.cleaned_data["otp"],
            ip=client_ip(request),
            request=request,
        )
        if result.officer is not None:
            login(request, result.officer)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = ""
            return redirect(target or "office:home")
        needs_otp = result.needs_otp
        form.add_error("otp" if needs_otp else None, result.error)
    return render(request, "office/login.html", {"form": form, "needs_otp": needs_otp}, status=200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("public:home")


@login_required
def home(request):
    roles = list(request.user.roles.select_related("unit").order_by("unit__level", "unit__code"))
    return render(
        request,
        "office/home.html",
        {"roles": roles, "is_national_admin": rules.is_national_admin(request.user)},
    )


def _on(request):
    form = DateForm(request.GET)
    return (form.cleaned_data.get("on") if form.is_valid() else None) or tree.today()


@login_required
def unit_detail(request, code: str):
    on = _on(request)
    unit = rules.unit_for(request.user, code, on=on)
    placement = tree.placement_on(unit, on)
    ancestors = tree.ancestors(placement) if placement else [unit]
    # Officers see the chain above their own subtree for orientation, but link only inside it.
    roots = rules.visible_roots(request.user)
    crumbs = []
    for ancestor in ancestors:
        prefix = (
            placement.path[: placement.path.index(f"/{ancestor.pk}/") + len(f"/{ancestor.pk}/")]
            if placement
            else ""
        )
        crumbs.append((ancestor, any(prefix.startswith(root) for root in roots)))
    page = Paginator(tree.children(unit, on), CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    history = (
        UnitPlacement.objects.filter(unit=unit).select_related("parent").order_by("valid_from")
    )
    successors = UnitSuccession.objects.filter(predecessor=unit).select_related("successor")
    predecessors = UnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    context = {
        "unit": unit,
        "on": on,
        "placement": placement,
        "crumbs": crumbs,
        "page": page,
        "history": history,
        "successors": successors,
        "predecessors": predecessors,
        "can_manage": rules.can_manage_unit(request.user, unit, on),
    }
    return render(request, "office/unit_detail.html", context)


@login_required
def unit_search(request):
    text = request.GET.get("q", "").strip()[:100]
    results = []
    if text:
        for root in rules.visible_roots(request.user):
            results.extend(tree.search(text, within=root, limit=50))
    return render(request, "office/unit_search.html", {"q": text, "results": results[:50]})


@login_required
def unit_export(request, code: str, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    on = _on(request)
    unit = rules.unit_for(request.user, code, on=on)
    placement = tree.placement_on(unit, on)
    if placement is None:
        raise Http404
    rows = export_rows(within=placement.path, on=on)
    filename = f"cay-to-chuc-{unit.code}-{on:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def unit_import(request, code: str):
    unit = rules.unit_for(request.user, code, manage=True)
    placement = tree.placement_on(unit)
    if placement is None:
        raise Http404
    form = TreeImportForm(*_bound(request))
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        within = None if rules.is_national_admin(request.user) else placement.path
        result = import_tree(
            upload.read(),
            filename=upload.name,
            actor=request.user,
            effective_on=form.cleaned_data.get("effective_on"),
            within=within,
        )
        if result.ok:
            messages.success(
                request,
                _(
                    "Đã nhập: %(created)s đơn vị mới, %(updated)s cập nhật, %(moved)s chuyển đơn vị cấp trên, %(unchanged)s không đổi."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "moved": result.moved,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("office:unit", code=unit.code)
    status = 422 if result is not None and not result.ok else 200
    return render(
        request,
        "office/unit_import.html",
        {"unit": unit, "form": form, "result": result},
        status=status,
    )


@login_required
def program_list(request):
    if not rules.is_officer(request.user):
        raise Http404
    now = timezone.now()
    programs = list(published_programs())
    for program in programs:
        program.open_now = windows.is_open(program, now)
    return render(
        request,
        "office/programs.html",
        {"programs": programs, "can_edit": rules.can_edit_programs(request.user)},
    )


@login_required
def tokens(request):
    form = TokenForm(*_bound(request)[:1])
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = token_issue(officer=request.user, name=form.cleaned_data["name"])
    return render(
        request,
        "office/tokens.html",
        {"form": form, "tokens": tokens_of(request.user), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, officer=request.user).first()
    if token is None:
        raise Http404
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("office:tokens")


@login_required
def totp_setup(request):
    device = TOTPDevice.objects.filter(officer=request.user).first()
    if device is not None and device.confirmed:
        return render(request, "office/totp.html", {"enabled": True})
    form = TotpForm(*_bound(request)[:1])
    if request.method == "POST" and form.is_valid():
        if totp_confirm(officer=request.user, code=form.cleaned_data["code"]):
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("office:home")
        form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
    device = totp_start(officer=request.user) if device is None else device
    uri = totp_uri(device)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("Mã QR xác thực hai bước"))
    return render(
        request, "office/totp.html", {"form": form, "secret": device.secret, "qr_svg": qr_svg}
    )


@login_required
def unit_restructure(request, code: str):
    """Chuyển, sáp nhập, giải thể: the officer must manage the unit and the other unit named."""
    unit = rules.unit_for(request.user, code, manage=True)
    form = RestructureForm(*_bound(request)[:1])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = None
        if data["target"]:
            target = Unit.objects.filter(code=data["target"]).first()
            if target is None or not rules.can_manage_unit(request.user, target):
                form.add_error(
                    "target",
                    _("Không có đơn vị mã %(code)s trong phạm vi bạn quản lý.")
                    % {"code": data["target"]},
                )
        if form.is_valid():
            try:
                if data["operation"] == "move":
                    unit_move(
                        unit=unit,
                        new_parent=target,
                        effective_on=data["effective_on"],
                        actor=request.user,
                    )
                elif data["operation"] == "merge":
                    units_merge(
                        units=[unit],
                        into=target,
                        effective_on=data["effective_on"],
                        actor=request.user,
                    )
                else:
                    unit_dissolve(
                        unit=unit,
                        successor=target,
                        effective_on=data["effective_on"],
                        actor=request.user,
                    )
            except TreeError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Đã ghi thay đổi, có hiệu lực từ %(day)s.")
                    % {"day": data["effective_on"].strftime("%d/%m/%Y")},
                )
                return redirect("office:unit", code=unit.code)
    status = 422 if form.errors else 200
    return render(
        request, "office/unit_restructure.html", {"unit": unit, "form": form}, status=status
    )
