"""/api/v1/stats (an officer's unit, its figures against its targets) and /api/v1/leaderboard
(the public honour board's ranking), both read from the maintained numbers."""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from sangkien.accounts import rules
from sangkien.api.auth import BearerToken
from sangkien.api.schemas import ErrorOut
from sangkien.common.dbrouting import reads_from_replica
from sangkien.initiatives.enums import Status as InitiativeStatus
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Cluster, Unit
from sangkien.orgs.queries import today as today_in_vietnam
from sangkien.programs.models import Program
from sangkien.targets import rankings
from sangkien.targets.allocation import targets_for
from sangkien.targets.enums import Tree
from sangkien.targets.queries import as_of, rate

router = Router(tags=["stats"])

LEADERBOARD_MAX_AGE = 60  # seconds, as the public honour board


class StatsUnitOut(Schema):
    code: str
    name: str
    level: int


class PhaseStatsOut(Schema):
    phase: int
    total: int
    target: int | None
    participants: int
    participation_rate: float | None
    benefit_vnd: int


class StatsOut(Schema):
    unit: StatsUnitOut
    program: str
    phase: int | None
    tree: str
    total: int
    target: int | None
    participants: int
    members: int
    participation_rate: float | None
    participation_target: float | None
    benefit_vnd: int
    by_phase: list[PhaseStatsOut]
    by_status: dict[str, int]
    as_of: datetime | None


class PeriodOut(Schema):
    key: str
    label: str
    first: date
    last: date


class ClusterOut(Schema):
    code: str
    name: str


class RankOut(Schema):
    rank: int
    code: str
    name: str
    level: int
    count: int
    members: int
    per_thousand: float | None
    participants: int | None
    participation_rate: float | None
    target: int | None


class LeaderboardOut(Schema):
    program: str
    period: PeriodOut
    cluster: ClusterOut | None
    by: str
    tree: str
    units: list[RankOut]
    as_of: datetime | None


def _float(value) -> float | None:
    return None if value is None else float(value)


def _missing(name: str) -> Status:
    return Status(400, {"detail": _("Thiếu tham số %(name)s.") % {"name": name}})


def _program(code: str) -> Program | None:
    return (
        Program.objects.filter(is_published=True, code=code.strip())
        .prefetch_related("phases")
        .first()
    )


def _no_program(code: str) -> Status:
    return Status(404, {"detail": _("Không có chương trình mã %(code)s.") % {"code": code[:64]}})


def _folded_at():
    state = as_of()
    return timezone.localtime(state.folded_at) if state and state.folded_at else None


@router.get(
    "/stats",
    auth=BearerToken(),
    response={200: StatsOut, 400: ErrorOut, 404: ErrorOut},
    summary="Số liệu của một đơn vị",
    url_name="stats",
)
@reads_from_replica
def stats(request, unit: str = "", program: str = "", phase: str = "", tree: str = Tree.HISTORICAL):
    """The figures of `unit`'s subtree in `program` (one `phase`, or the whole programme), with
    its targets, by phase and by status. `tree`: "h" counts each initiative on the tree of its
    submission (default), "t" on today's tree. A unit outside the officer's subtree answers 404,
    the same as a unit that does not exist."""
    if not unit.strip():
        return _missing("unit")
    if not program.strip():
        return _missing("program")
    try:
        which = rankings.parse_tree(tree)
    except rankings.RankingError as refused:
        return Status(400, {"detail": refused.message})
    found_program = _program(program)
    if found_program is None:
        return _no_program(program)
    phases = sorted(found_program.phases.all(), key=lambda p: p.number)
    number = None
    if phase.strip():
        text = phase.strip()
        number = int(text) if text.isdigit() and len(text) <= 3 else None
        if number is None or number not in {p.number for p in phases}:
            return Status(
                400,
                {
                    "detail": _("Chương trình “%(program)s” không có giai đoạn %(number)s.")
                    % {"program": found_program.short_name, "number": text[:20]}
                },
            )
    try:
        found_unit = rules.unit_for(request.auth, unit.strip().upper())
    except Http404:
        return Status(404, {"detail": _("Không có đơn vị mã %(code)s.") % {"code": unit[:64]}})
    figures = rankings.unit_figures(found_program, found_unit, which)
    target = targets_for(found_program, [found_unit], phases)[found_unit.pk]
    chosen = figures[number]
    members = found_unit.member_count
    return Status(
        200,
        {
            "unit": {"code": found_unit.code, "name": found_unit.name, "level": found_unit.level},
            "program": found_program.code,
            "phase": number,
            "tree": which,
            "total": chosen.total,
            "target": target.of(number),
            "participants": chosen.participants,
            "members": members,
            "participation_rate": _float(rate(chosen.participants, members)),
            "participation_target": _float(target.participation_percent),
            "benefit_vnd": chosen.benefit,
            "by_phase": [
                {
                    "phase": p.number,
                    "total": figures[p.number].total,
                    "target": target.of(p.number),
                    "participants": figures[p.number].participants,
                    "participation_rate": _float(rate(figures[p.number].participants, members)),
                    "benefit_vnd": figures[p.number].benefit,
                }
                for p in phases
            ],
            "by_status": {
                status: chosen.by_status.get(status, 0) for status in InitiativeStatus.values
            },
            "as_of": _folded_at(),
        },
    )


def _units(cluster: Cluster | None, period: rankings.Period, which: str) -> list[Unit]:
    today = today_in_vietnam()
    on = today if which == Tree.TODAY else period.reference_day(today)
    since = today if which == Tree.TODAY else period.first
    if cluster is None:
        return rankings.direct_units(on, since=since)
    return rankings.cluster_members(cluster, on, since=since)


@router.get(
    "/leaderboard",
    response={200: LeaderboardOut, 400: ErrorOut, 404: ErrorOut},
    summary="Bảng xếp hạng",
    url_name="leaderboard",
)
@reads_from_replica
def leaderboard(
    request,
    response: HttpResponse,
    program: str = "",
    cluster: str = "",
    period: str = "",
    by: str = rankings.BY_COUNT,
    tree: str = Tree.HISTORICAL,
):
    """The honour board's ranking, public: the federation's direct units (or the members of a
    competition `cluster`) ranked over `period` ("" the whole programme, "p1" a phase,
    "2026-Q4" a quarter) by `count` or `per_thousand` members. Equal values share a rank (1, 1,
    3). On the tree of submission ("h", default) the units are those that existed during the
    period, each with what was submitted under it; on today's tree ("t"), today's units."""
    if not program.strip():
        return _missing("program")
    found_program = _program(program)
    if found_program is None:
        return _no_program(program)
    try:
        chosen = rankings.parse_period(found_program, period)
        order = rankings.parse_order(by)
        which = rankings.parse_tree(tree)
    except rankings.RankingError as refused:
        return Status(400, {"detail": refused.message})
    found_cluster = None
    if cluster.strip():
        # Only the federation's clusters are public, as on the honour board.
        found_cluster = Cluster.objects.filter(
            code=cluster.strip().upper(), organiser__level=Level.FEDERATION
        ).first()
        if found_cluster is None:
            return Status(
                404,
                {"detail": _("Không có cụm, khối thi đua mã %(code)s.") % {"code": cluster[:64]}},
            )
    units = _units(found_cluster, chosen, which)
    ranks = rankings.ranking(found_program, units, period=chosen, by=order, which=which)
    patch_cache_control(response, public=True, max_age=LEADERBOARD_MAX_AGE)
    return Status(
        200,
        {
            "program": found_program.code,
            "period": {
                "key": chosen.key,
                "label": chosen.label,
                "first": chosen.first,
                "last": chosen.last,
            },
            "cluster": {"code": found_cluster.code, "name": found_cluster.name}
            if found_cluster
            else None,
            "by": order,
            "tree": which,
            "units": [
                {
                    "rank": row.rank,
                    "code": row.unit.code,
                    "name": row.unit.name,
                    "level": row.unit.level,
                    "count": row.count,
                    "members": row.members,
                    "per_thousand": _float(row.per_thousand),
                    "participants": row.participants,
                    "participation_rate": _float(row.participation_rate),
                    "target": row.target,
                }
                for row in ranks
            ],
            "as_of": _folded_at(),
        },
    )
