"""Rankings (vinh danh): units ranked by initiatives or per 1,000 members over a programme, a phase
or a quarter; competition clusters; the evening bulletin; the leaders of each period.

Everything is read from the maintained tallies (`targets.queries`), a constant few queries
whatever the number of units: the honour board must answer in 50 ms at national scale.

Which tree. Rankings are counted on the tree of the submission (Tree.HISTORICAL): an initiative
counts for the province or sector it was submitted under, as the figures were when achieved, even
if that province has merged since. The units ranked are therefore the federation's direct units
that existed during the period (on some day between its first day and its last, or today while it
runs), not today's: a 2022 programme is ranked over the 63 provinces that competed in it, and the
provinces created by the 2025 merger appear only in periods that reach 1/7/2025, with what was
submitted under them. A period straddling a restructuring lists the old units (their part) and
the new ones (theirs). Tree.TODAY is the other view, offered by the API: today's units and
clusters, each with everything now under it (a new province carries its predecessors' numbers).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from sangkien.common.timewindows import vn_date
from sangkien.orgs import queries as tree
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Cluster, ClusterMembership, Unit, UnitPlacement
from sangkien.programs.models import Phase, Program
from sangkien.targets.allocation import Target, quarter_bounds, quarter_target, targets_for
from sangkien.targets.enums import Dim, Tree
from sangkien.targets.models import Tally
from sangkien.targets.queries import Figures, as_of, counts_on, figures_many, rate
from sangkien.targets.queries import add_rows as fold_rows  # the one definition of a figure

BY_COUNT = "count"
BY_PER_THOUSAND = "per_thousand"
ORDERS = (BY_COUNT, BY_PER_THOUSAND)
# The tallies a ranking reads: counted totals per phase (status), people, quarters.
RANKING_DIMS = (Dim.STATUS, Dim.PEOPLE, Dim.QUARTER)

_PHASE = re.compile(r"^p?(\d{1,3})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-?q([1-4])$", re.IGNORECASE)
_WHOLE = {"", "all", "p0"}


class RankingError(ValueError):
    """A parameter that names no period or order; `message` is for the person who typed it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# -- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The whole programme (key ""), a phase ("p1") or a quarter ("2026-Q4"), with its days in
    the programme's submission window."""

    key: str
    label: str
    first: date
    last: date
    phase: int | None = None
    quarter: str | None = None

    @property
    def kind(self) -> str:
        return "phase" if self.phase is not None else "quarter" if self.quarter else "all"

    def reference_day(self, today: date) -> date:
        """The day whose units the period ranks: today while it runs, else its nearest end."""
        return min(self.last, max(today, self.first))

    def started(self, today: date) -> bool:
        return self.first <= today


def _days(opens, closes) -> tuple[date, date]:
    return vn_date(opens), vn_date(closes - timedelta(microseconds=1))


def _phases(program: Program) -> list[Phase]:
    # Works with prefetch_related("phases") without a query.
    return sorted(program.phases.all(), key=lambda phase: phase.number)


def whole_period(program: Program) -> Period:
    first, last = _days(program.submission_opens_at, program.submission_closes_at)
    return Period(key="", label=_("Cả chương trình"), first=first, last=last)


def quarter_label(key: str) -> str:
    return _("Quý %(quarter)s/%(year)s") % {"quarter": key[-1], "year": key[:4]}


def periods_of(program: Program) -> list[Period]:
    """The whole programme, each phase, each quarter its window touches, in that order."""
    whole = whole_period(program)
    out = [whole]
    for phase in _phases(program):
        first, last = _days(phase.submission_opens_at, phase.submission_closes_at)
        out.append(Period(f"p{phase.number}", phase.name, first, last, phase=phase.number))
    year, quarter = whole.first.year, (whole.first.month - 1) // 3 + 1
    while (year, quarter) <= (whole.last.year, (whole.last.month - 1) // 3 + 1):
        key = f"{year}-Q{quarter}"
        first, last = quarter_bounds(key)
        out.append(
            Period(
                key,
                quarter_label(key),
                max(first, whole.first),
                min(last, whole.last),
                quarter=key,
            )
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def parse_period(program: Program, raw: str | Period | None) -> Period:
    """ "" or None: the whole programme; "p2" (or "2"): phase 2; "2026-Q4": a quarter. Anything
    else, or a phase or quarter outside the programme, raises RankingError in Vietnamese."""
    if isinstance(raw, Period):
        return raw
    text = (raw or "").strip()
    periods = periods_of(program)
    if text.lower() in _WHOLE:
        return periods[0]
    phase = _PHASE.match(text)
    if phase:
        wanted = int(phase.group(1))
        found = next((p for p in periods if p.phase == wanted), None)
        if found is None:
            raise RankingError(
                _("Chương trình “%(program)s” không có giai đoạn %(number)s.")
                % {"program": program.short_name, "number": wanted}
            )
        return found
    quarter = _QUARTER.match(text)
    if quarter:
        key = f"{quarter.group(1)}-Q{quarter.group(2)}"
        found = next((p for p in periods if p.quarter == key), None)
        if found is None:
            raise RankingError(
                _(
                    "Quý %(quarter)s/%(year)s nằm ngoài thời gian nộp sáng kiến của chương "
                    "trình “%(program)s”."
                )
                % {
                    "quarter": key[-1],
                    "year": key[:4],
                    "program": program.short_name,
                }
            )
        return found
    raise RankingError(
        _(
            "Kỳ “%(value)s” không hợp lệ: để trống (cả chương trình), ghi p và số giai đoạn "
            "(ví dụ p1) hoặc năm-Q và số quý (ví dụ 2026-Q4)."
        )
        % {"value": text[:40]}
    )


def parse_order(raw: str | None) -> str:
    text = (raw or "").strip().lower()
    if not text:
        return BY_COUNT
    if text in ORDERS:
        return text
    raise RankingError(
        _(
            "Cách xếp hạng “%(value)s” không hợp lệ: count (theo số sáng kiến) hoặc "
            "per_thousand (theo số sáng kiến trên 1.000 đoàn viên)."
        )
        % {"value": text[:40]}
    )


def parse_tree(raw: str | None) -> str:
    text = (raw or "").strip().lower()
    if not text:
        return Tree.HISTORICAL
    if text in Tree.values:
        return text
    raise RankingError(
        _(
            "Cây đơn vị “%(value)s” không hợp lệ: h (cây đơn vị khi nộp) hoặc t (cây đơn vị "
            "hiện nay)."
        )
        % {"value": text[:40]}
    )


# -- the units ranked ---------------------------------------------------------------------------


def _overlapping(first: date, last: date, prefix: str = "") -> dict:
    """Rows whose [valid_from, valid_to) meets the days first…last."""
    return {f"{prefix}valid_from__lte": last, f"{prefix}valid_to__gt": first}


def _level1_placements(first: date, last: date) -> list[UnitPlacement]:
    return list(
        UnitPlacement.objects.filter(
            unit__level=Level.DIRECT, **_overlapping(first, last)
        ).select_related("unit")
    )


def _distinct_units(rows, first: date, last: date) -> list[Unit]:
    """The units of placements or memberships that meet first…last, each once, by code."""
    found = {
        row.unit_id: row.unit for row in rows if row.valid_from <= last and row.valid_to > first
    }
    return sorted(found.values(), key=lambda unit: unit.code)


def _span(period: Period, which: str, today: date) -> tuple[date, date]:
    """The days whose units a period ranks: its days up to the reference day on the tree of the
    submission; today only on today's tree."""
    if which == Tree.TODAY:
        return today, today
    return period.first, period.reference_day(today)


def direct_units(on: date | None = None, *, since: date | None = None) -> list[Unit]:
    """The federation's direct units (level 1) on day `on` (today by default), or on some day of
    since…on; one query."""
    on = on or tree.today()
    first = since or on
    return _distinct_units(_level1_placements(first, on), first, on)


def cluster_members(cluster: Cluster, on: date | None = None, *, since: date | None = None):
    """The members of a competition cluster on day `on` (or on some day of since…on), by code;
    one query."""
    on = on or tree.today()
    first = since or on
    rows = ClusterMembership.objects.filter(cluster=cluster, **_overlapping(first, on))
    return _distinct_units(rows.select_related("unit"), first, on)


def _national_memberships(
    first: date, last: date, units: dict[int, Unit]
) -> list[ClusterMembership]:
    """The memberships of level-1 units in the federation's clusters meeting first…last, their
    units taken from `units` (the level-1 units already read)."""
    rows = list(
        ClusterMembership.objects.filter(
            cluster__organiser__level=Level.FEDERATION,
            unit_id__in=list(units),
            **_overlapping(first, last),
        ).select_related("cluster")
    )
    for row in rows:
        row.unit = units[row.unit_id]
    return rows


# -- ranking ------------------------------------------------------------------------------------


@dataclass
class Rank:
    """One unit's place in a ranking. `participants` is None for a quarter (people are counted
    per phase and for the whole programme only); `target` None where nobody set one."""

    rank: int
    unit: Unit
    count: int
    members: int
    per_thousand: Decimal | None
    participants: int | None
    participation_rate: Decimal | None
    target: int | None = None

    @property
    def target_rate(self) -> Decimal | None:
        """The count as a percentage of the target."""
        return rate(self.count, self.target) if self.target else None


def per_thousand(count: int, members: int) -> Decimal | None:
    if not members:
        return None
    return (Decimal(count) * 1000 / members).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _target_of(target: Target | None, period: Period, phases: list[Phase]) -> int | None:
    if target is None:
        return None
    if period.quarter:
        return quarter_target(target, phases, period.quarter)
    return target.of(period.phase)


def _sort_value(row: Rank, by: str):
    value = row.per_thousand if by == BY_PER_THOUSAND else row.count
    return Decimal(-1) if value is None else Decimal(value)


def rank_rows(
    units: list[Unit],
    figures: dict[int, Figures],
    period: Period,
    by: str = BY_COUNT,
    targets: dict[int, Target] | None = None,
    phases: list[Phase] | None = None,
) -> list[Rank]:
    """Rank `units` from figures already read (no query). Competition ranking: equal values
    share a rank and the next rank skips (1, 1, 3); equal units are listed by code. A unit
    without members has no figure per 1,000 members and comes last in that order."""
    rows = []
    for unit in units:
        found = figures.get(unit.pk) or Figures(unit=unit, phase=None)
        if period.phase is not None:
            count = found.by_phase.get(period.phase, 0)
            participants = found.participants_by_phase.get(period.phase, 0)
        elif period.quarter:
            count, participants = found.by_quarter.get(period.quarter, 0), None
        else:
            count, participants = found.total, found.participants
        members = unit.member_count
        rows.append(
            Rank(
                rank=0,
                unit=unit,
                count=count,
                members=members,
                per_thousand=per_thousand(count, members),
                participants=participants,
                participation_rate=rate(participants, members)
                if participants is not None
                else None,
                target=_target_of((targets or {}).get(unit.pk), period, phases or []),
            )
        )
    rows.sort(key=lambda row: (-_sort_value(row, by), row.unit.code))
    previous = None
    for position, row in enumerate(rows, start=1):
        value = _sort_value(row, by)
        if value != previous:
            row.rank, previous = position, value
        else:
            row.rank = rows[position - 2].rank
    return rows


def ranking(
    program: Program,
    units: list[Unit],
    *,
    period: str | Period | None = None,
    by: str = BY_COUNT,
    which: str = Tree.HISTORICAL,
    with_targets: bool = True,
    today: date | None = None,
) -> list[Rank]:
    """`units` ranked over `period` (None, "p<n>" or "YYYY-Qn"), by count or per 1,000 members:
    one query for the figures, two more for the targets. Raises RankingError for a bad period or
    order."""
    period = parse_period(program, period)
    by = parse_order(by)
    today = today or tree.today()
    phases = _phases(program)
    figures = figures_many(program, units, which, None, dims=RANKING_DIMS)
    targets = None
    if with_targets:
        on = today if which == Tree.TODAY else period.reference_day(today)
        targets = targets_for(program, units, phases, on)
    return rank_rows(units, figures, period, by, targets, phases)


def leading(rows: list[Rank], by: str = BY_COUNT) -> list[Rank]:
    """The first (all of them on a tie), when they have anything at all."""
    return [row for row in rows if row.rank == 1 and _sort_value(row, by) > 0]


# -- the evening bulletin -----------------------------------------------------------------------


@dataclass
class Bulletin:
    """Initiatives counted on one day per level-1 unit, most first, and the national total."""

    day: date
    total: int
    rows: list[tuple[Unit, int]]

    @property
    def active(self) -> list[tuple[Unit, int]]:
        return [(unit, n) for unit, n in self.rows if n]

    @property
    def quiet(self) -> int:
        return sum(1 for _unit, n in self.rows if not n)


def bulletin_of(
    program: Program, day: date, units: list[Unit], which: str = Tree.HISTORICAL
) -> Bulletin:
    counts = counts_on(program, units, Dim.DAY, [day.isoformat()], which)
    rows = sorted(((unit, counts[unit.pk]) for unit in units), key=lambda r: (-r[1], r[0].code))
    # Every grassroots union hangs under exactly one level-1 unit, so their sum is the nation's.
    return Bulletin(day=day, total=sum(counts.values()), rows=rows)


def bulletin(program: Program, day: date | None = None) -> Bulletin:
    """Bản tin cuối ngày: the day's new initiatives per level-1 unit of that day, in two queries."""
    day = day or tree.today()
    return bulletin_of(program, day, direct_units(day))


# -- leaders of each period ---------------------------------------------------------------------


@dataclass
class Leaders:
    period: Period
    ranks: list[Rank] = field(default_factory=list)


def _leaders_from(
    periods: list[Period],
    placements: list[UnitPlacement],
    figures: dict[int, Figures],
    by: str,
    which: str,
    today: date,
) -> list[Leaders]:
    out = []
    for period in periods:
        if period.kind == "all" or not period.started(today):
            continue
        first, last = _span(period, which, today)
        units = _distinct_units(placements, first, last)
        out.append(Leaders(period, leading(rank_rows(units, figures, period, by), by)))
    return out


def leaders(
    program: Program,
    *,
    by: str = BY_COUNT,
    which: str = Tree.HISTORICAL,
    today: date | None = None,
) -> list[Leaders]:
    """The leading level-1 unit(s) of each phase and each quarter begun so far, in two queries."""
    by = parse_order(by)
    today = today or tree.today()
    periods = periods_of(program)
    whole = periods[0]
    first, last = (today, today) if which == Tree.TODAY else (whole.first, min(whole.last, today))
    placements = _level1_placements(min(first, last), max(first, last))
    units = _distinct_units(placements, min(first, last), max(first, last))
    figures = figures_many(program, units, which, None, dims=RANKING_DIMS)
    return _leaders_from(periods, placements, figures, by, which, today)


# -- one unit, every phase (the stats API) ------------------------------------------------------


def unit_figures(
    program: Program, unit: Unit, which: str = Tree.HISTORICAL
) -> dict[int | None, Figures]:
    """`unit`'s figures for the whole programme (key None) and for each phase, in one query:
    each equals `queries.figures(program, unit, which, phase)` without its breakdowns."""
    rows = list(
        Tally.objects.filter(
            program=program, tree=which, unit=unit, dim__in=[Dim.STATUS, Dim.PEOPLE]
        ).values_list("phase", "dim", "key", "n", "benefit")
    )
    out: dict[int | None, Figures] = {}
    for number in [None, *(phase.number for phase in _phases(program))]:
        out[number] = Figures(unit=unit, phase=number)
        fold_rows(out[number], rows)
    return out


# -- the honour board ---------------------------------------------------------------------------


@dataclass
class ClusterRanking:
    cluster: Cluster
    ranks: list[Rank]


@dataclass
class HonourBoard:
    program: Program
    period: Period
    periods: list[Period]
    by: str
    which: str
    national: list[Rank]
    clusters: list[ClusterRanking]
    bulletin: Bulletin | None  # None when the programme does not take submissions today
    leaders: list[Leaders]
    folded_at: datetime | None = None  # when the numbers were last brought up to date

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.national)

    @property
    def has_participants(self) -> bool:
        return self.period.quarter is None


def honour_board(
    program: Program,
    *,
    period: str | Period | None = None,
    by: str = BY_COUNT,
    which: str = Tree.HISTORICAL,
    today: date | None = None,
) -> HonourBoard:
    """Everything the public honour board shows, in seven queries whatever the number of units,
    clusters and initiatives (the programme's phases must be prefetched)."""
    period = parse_period(program, period)
    by = parse_order(by)
    today = today or tree.today()
    periods = periods_of(program)
    whole = periods[0]
    phases = _phases(program)
    # 1. Every level-1 placement the board needs: the period's, each period's so far, today's.
    placements = _level1_placements(min(whole.first, today), max(whole.last, today))
    first, last = _span(period, which, today)
    national_units = _distinct_units(placements, first, last)
    everyone = {unit.pk: unit for unit in _distinct_units(placements, whole.first, today)}
    everyone.update({unit.pk: unit for unit in national_units})
    # 2. The federation's clusters in the period.
    by_cluster: dict[int, list[ClusterMembership]] = {}
    for membership in _national_memberships(first, last, everyone):
        by_cluster.setdefault(membership.cluster_id, []).append(membership)
    # 3. The figures of them all.
    figures = figures_many(program, list(everyone.values()), which, None, dims=RANKING_DIMS)
    # 4–5. The targets of the units ranked nationally (clusters rank the same units).
    on = today if which == Tree.TODAY else period.reference_day(today)
    targets = targets_for(program, list(everyone.values()), phases, on)
    national = rank_rows(national_units, figures, period, by, targets, phases)
    clusters = [
        ClusterRanking(
            rows[0].cluster,
            rank_rows(_distinct_units(rows, first, last), figures, period, by, targets, phases),
        )
        for rows in sorted(by_cluster.values(), key=lambda rows: rows[0].cluster.code)
    ]
    # 6. Today's bulletin, while the programme takes submissions.
    news = None
    if whole.first <= today <= whole.last:
        news = bulletin_of(program, today, _distinct_units(placements, today, today), which)
    # 7. When the numbers were last folded.
    state = as_of()
    return HonourBoard(
        program=program,
        period=period,
        periods=periods,
        by=by,
        which=which,
        national=national,
        clusters=clusters,
        bulletin=news,
        leaders=_leaders_from(periods, placements, figures, by, which, today),
        folded_at=state.folded_at if state else None,
    )


__all__ = [
    "BY_COUNT",
    "BY_PER_THOUSAND",
    "Bulletin",
    "ClusterRanking",
    "HonourBoard",
    "Leaders",
    "Period",
    "Rank",
    "RankingError",
    "bulletin",
    "cluster_members",
    "direct_units",
    "honour_board",
    "leaders",
    "leading",
    "parse_order",
    "parse_period",
    "parse_tree",
    "periods_of",
    "rank_rows",
    "ranking",
    "unit_figures",
]
