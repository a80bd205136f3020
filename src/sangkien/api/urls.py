"""/api/v1/: units, programmes, tokens and initiatives (api/initiatives.py). OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError

from sangkien.accounts.services import sign_in, token_issue, token_revoke
from sangkien.api import initiatives
from sangkien.api.auth import BearerToken
from sangkien.api.schemas import (
    ErrorOut,
    MeOut,
    ProgramOut,
    TokenIn,
    TokenOut,
    UnitDetailOut,
    UnitOut,
)
from sangkien.common.timewindows import BEGINNING_OF_TIME, END_OF_TIME
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit
from sangkien.programs import windows
from sangkien.programs.queries import options_of, published_programs

api = NinjaAPI(
    title="Sáng kiến API",
    version="1",
    description="API của cổng Sáng kiến Công đoàn. Giờ theo ISO 8601, múi giờ +07:00.",
    urls_namespace="api",
)
bearer = BearerToken()


def _vn(instant):
    return timezone.localtime(instant) if instant else None


def _unit_out(unit: Unit, parent_code: str | None) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "block": unit.block,
        "member_count": unit.member_count,
        "parent": parent_code,
    }


class UnitFilter(Schema):
    parent: str | None = None
    on: date | None = None


@api.get(
    "/units",
    response={200: list[UnitOut], 404: ErrorOut},
    tags=["units"],
    summary="Đơn vị trực thuộc",
)
def list_units(request, filters: Query[UnitFilter]):
    """The children of `parent` on day `on` (today by default); the roots without `parent`.

    The union tree is public information: the member's form needs it to choose a workplace."""
    parent = None
    if filters.parent:
        parent = Unit.objects.filter(code=filters.parent.upper()).first()
        if parent is None:
            return Status(
                404, {"detail": _("Không có đơn vị mã %(code)s.") % {"code": filters.parent}}
            )
    kids = tree.children(parent, filters.on)
    return Status(200, [_unit_out(kid, parent.code if parent else None) for kid in kids])


@api.get(
    "/units/{code}",
    response={200: UnitDetailOut, 404: ErrorOut},
    tags=["units"],
    summary="Một đơn vị",
)
def get_unit(request, code: str, on: date | None = None):
    """One unit with its ancestors (root first) on day `on`, and its successors if it has ended."""
    unit = Unit.objects.filter(code=code.upper()).first()
    if unit is None:
        return Status(404, {"detail": _("Không có đơn vị mã %(code)s.") % {"code": code}})
    on = on or tree.today()
    placement = tree.placement_on(unit, on) or tree.last_placement(unit)
    chain = tree.ancestors(placement) if placement else [unit]
    above = chain[:-1]
    parent_codes = [None] + [u.code for u in chain[:-1]]
    return Status(
        200,
        {
            **_unit_out(unit, parent_codes[-1] if chain else None),
            "valid_from": None if unit.valid_from == BEGINNING_OF_TIME else unit.valid_from,
            "valid_to": None if unit.valid_to == END_OF_TIME else unit.valid_to,
            "ancestors": [_unit_out(a, parent_codes[i]) for i, a in enumerate(above)],
            "successors": [s.code for s in tree.successors_on(unit, on) if s.pk != unit.pk],
        },
    )


@api.get("/programs", response=list[ProgramOut], tags=["programs"], summary="Các chương trình")
def list_programs(request):
    """Every published programme with its rules; clients take the option codes from here."""
    now = timezone.now()
    out = []
    for program in published_programs():
        phases = sorted(program.phases.all(), key=lambda p: p.number)
        numbers = {phase.pk: phase.number for phase in phases}
        out.append(
            {
                "code": program.code,
                "name": program.name,
                "short_name": program.short_name,
                "is_open": windows.is_open(program, now),
                "submission_opens_at": _vn(program.submission_opens_at),
                "submission_closes_at": _vn(program.submission_closes_at),
                "eligible_from": program.eligible_from,
                "eligible_to": program.eligible_to,
                "description_max_chars": program.description_max_chars,
                "total_target": program.total_target,
                "participation_target_percent": float(program.participation_target_percent)
                if program.participation_target_percent is not None
                else None,
                "max_attachments": program.max_attachments,
                "max_attachment_mb": program.max_attachment_mb,
                "attachment_types": program.attachment_types,
                "allow_drive_link": program.allow_drive_link,
                "dossier_deadline": _vn(program.dossier_deadline),
                "phases": [
                    {
                        "number": p.number,
                        "name": p.name,
                        "submission_opens_at": _vn(p.submission_opens_at),
                        "submission_closes_at": _vn(p.submission_closes_at),
                        "eligible_from": p.eligible_from,
                        "eligible_to": p.eligible_to,
                        "target": p.target,
                    }
                    for p in phases
                ],
                "kinds": [{"code": o.code, "name": o.name} for o in options_of(program, "kind")],
                "target_groups": [
                    {"code": o.code, "name": o.name} for o in options_of(program, "target_group")
                ],
                "blocks": [{"code": o.code, "name": o.name} for o in options_of(program, "block")],
                "quotas": [
                    {
                        "phase": numbers.get(q.phase_id),
                        "child_level": q.child_level,
                        "max_per_unit": q.max_per_unit,
                    }
                    for q in program.quotas.all()
                ],
            }
        )
    return out


@api.post(
    "/auth/token", response={200: TokenOut, 401: ErrorOut}, tags=["auth"], summary="Lấy mã truy cập"
)
def issue_token(request, body: TokenIn):
    """Exchange an officer's username and password (and TOTP code, if enabled) for a bearer token."""
    result = sign_in(
        username=body.username,
        password=body.password,
        otp=body.otp,
        ip=request.META.get("REMOTE_ADDR"),
        request=request,
    )
    if result.officer is None:
        return Status(401, {"detail": result.error})
    _token, plain = token_issue(officer=result.officer, name="API")
    return Status(200, {"token": plain})


@api.delete(
    "/auth/token", response={204: None}, auth=bearer, tags=["auth"], summary="Thu hồi mã đang dùng"
)
def revoke_token(request):
    token_revoke(token=request.api_token, actor=request.auth)
    return Status(204, None)


@api.get("/auth/me", response=MeOut, auth=bearer, tags=["auth"], summary="Cán bộ đang dùng mã")
def me(request):
    officer = request.auth
    roles = officer.roles.select_related("unit").order_by("unit__code")
    return {
        "username": officer.username,
        "full_name": officer.full_name,
        "roles": [{"unit": r.unit.code, "kind": r.kind} for r in roles],
    }


api.add_router("/initiatives", initiatives.router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Cần mã truy cập hợp lệ: gửi header Authorization: Bearer <mã>.")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


__all__ = ["api"]

# /api/v1/stats (an officer's unit) and /api/v1/leaderboard (public), from targets.rankings.
from sangkien.api import stats  # noqa: E402 -- appended with its router, kept together

api.add_router("", stats.router)
