"""A unit's dashboard (thống kê): its figures against its targets by phase and quarter, the daily
curve, breakdowns, participation, benefit, and its child units — read from the maintained tallies
in the same few queries whatever the number of children — and the charts of those figures.

Children on the two trees:
- today's tree (`Tree.TODAY`): the units under the unit on the day today's tallies are counted on
  (`StatsState.tree_on`); their figures add up to the unit's.
- the tree as it was (`Tree.HISTORICAL`): every unit that hung directly under the unit at some
  time during the programme's submission window (up to today), whether or not it still does. A
  child's figures are its own tallies on that tree: all it received during the programme. A child
  that also hung under another parent during the window is flagged `moved`: part of its figures
  were counted under that other parent, so the children's figures no longer add up exactly.
Targets always come from today's allocation tables (targets.allocation); member counts are
today's.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from django.core.cache import cache
from django.db.models import Q
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sangkien.accounts import rules
from sangkien.common.timewindows import vn_date
from sangkien.initiatives.enums import Status
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.programs.enums import OptionList
from sangkien.programs.models import Phase, Program
from sangkien.targets import charts
from sangkien.targets.allocation import (
    Target,
    quarter_bounds,
    quarter_target,
    quarters_of,
    targets_for,
)
from sangkien.targets.enums import COUNTED, Tree
from sangkien.targets.models import StatsState, TreeChange
from sangkien.targets.queries import Figures, as_of, figures, figures_many, rate
from sangkien.targets.services import DASHBOARD_GENERATION

# The children drawn in the chart (the table lists them all).
CHART_CHILDREN = 20
# How long a rendered dashboard is kept at most (kept_key): a change the services announce
# (targets.services.dashboards_changed) and every fold make a new key at once; this bounds an
# edit that does not announce itself (the admin site).
KEEP_SECONDS = 60


@dataclass(frozen=True)
class Line:
    """One row of a table: what it counts, how many, and the target where one was set."""

    key: str
    label: str
    count: int
    target: int | None = None

    @property
    def percent(self) -> Decimal | None:
        return rate(self.count, self.target) if self.target else None


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    cumulative: int


@dataclass
class Child:
    """A child unit with its figures and its target for the phase shown."""

    unit: Unit
    figures: Figures
    target: int | None
    linked: bool = True  # the viewer may open its own dashboard
    moved: bool = False  # historical tree: also under another parent during the programme

    @property
    def percent(self) -> Decimal | None:
        return rate(self.figures.total, self.target) if self.target else None


@dataclass
class Dashboard:
    program: Program
    unit: Unit
    which: str
    phase: Phase | None
    phases: list[Phase]
    figures: Figures
    target: Target
    by_phase: list[Line]
    by_quarter: list[Line]
    by_status: list[Line]
    by_kind: list[Line]
    by_target_group: list[Line]
    by_block: list[Line]
    days: list[Day]
    children: list[Child]
    crumbs: list[tuple[Unit, bool]] = field(default_factory=list)  # root first; linked or not
    folded_at: datetime | None = None
    tree_on: date | None = None
    # Today's tree after a restructuring, until the numbers worker has recounted it.
    recounting: bool = False

    @property
    def phase_number(self) -> int | None:
        return self.phase.number if self.phase else None

    @property
    def target_count(self) -> int | None:
        return self.target.of(self.phase_number)

    @property
    def progress(self) -> Decimal | None:
        return rate(self.figures.total, self.target_count) if self.target_count else None

    @property
    def participation_target(self) -> Decimal | None:
        return self.target.participation_percent

    @property
    def with_initiatives(self) -> list[Child]:
        return [child for child in self.children if child.figures.total]

    @property
    def without_initiatives(self) -> list[Child]:
        """Khối chưa có sáng kiến: children with no counted initiative in the phase shown."""
        return [child for child in self.children if not child.figures.total]

    @property
    def tree_label(self) -> str:
        return str(Tree(self.which).label)

    @property
    def scope_label(self) -> str:
        return self.phase.name if self.phase else _("Cả chương trình")


def counted_statuses() -> set[str]:
    return {str(status) for status in COUNTED}


def quarter_label(key: str) -> str:
    """ "2026-Q1" → "Quý 1/2026"."""
    return _("Quý %(quarter)s/%(year)s") % {"quarter": key[-1], "year": key[:4]}


def _window(program: Program, phase: Phase | None) -> tuple[date, date]:
    source = phase or program
    closes = source.submission_closes_at - timedelta(microseconds=1)
    return vn_date(source.submission_opens_at), vn_date(closes)


def _lines(found: dict[str, int], labels: list[tuple[str, str]]) -> list[Line]:
    """The configured options in their order (zeros too), then any other key found."""
    known = {code for code, _label in labels}
    lines = [Line(code, label, found.get(code, 0)) for code, label in labels]
    lines += [Line(key, key, n) for key, n in sorted(found.items()) if key not in known]
    return lines


def _by_phase(found: Figures, phases: list[Phase], target: Target) -> list[Line]:
    lines = [
        Line(str(p.number), p.name, found.by_phase.get(p.number, 0), target.by_phase.get(p.number))
        for p in phases
    ]
    if found.by_phase.get(0):
        lines.append(Line("0", _("Ngoài các giai đoạn"), found.by_phase[0]))
    return lines


def _by_quarter(
    program: Program, phase: Phase | None, phases: list[Phase], found: Figures, target: Target
) -> list[Line]:
    keys = quarters_of(program)
    if phase is not None:
        first, last = _window(program, phase)
        keys = [k for k in keys if quarter_bounds(k)[0] <= last and quarter_bounds(k)[1] >= first]
    keys += sorted(set(found.by_quarter) - set(keys))
    chosen = [phase] if phase is not None else phases
    return [
        Line(
            key,
            quarter_label(key),
            found.by_quarter.get(key, 0),
            quarter_target(target, chosen, key),
        )
        for key in sorted(keys)
    ]


def _days(program: Program, phase: Phase | None, found: Figures, on: date) -> list[Day]:
    """Every day from the window's opening to today (or its closing), and any day with data."""
    first, last = _window(program, phase)
    last = min(last, on)
    if found.by_day:
        first, last = min(first, min(found.by_day)), max(last, max(found.by_day))
    days, running, day = [], 0, first
    while day <= last:
        count = found.by_day.get(day, 0)
        running += count
        days.append(Day(day, count, running))
        day += timedelta(days=1)
    return days


def _children(
    program: Program, unit: Unit, which: str, on: date, roots: list[str]
) -> list[tuple[Unit, bool, bool]]:
    """(child, linked, moved) in tree order, in one query. `on`: the day of today's tree."""
    if which == Tree.TODAY:
        return [(kid, True, False) for kid in tree.children(unit, on)]
    first, last = _window(program, None)
    last = max(first, min(last, on))
    during = Q(valid_from__lte=last, valid_to__gt=first)
    under = UnitPlacement.objects.filter(during, parent=unit).values("unit_id")
    rows = UnitPlacement.objects.filter(during | tree.valid_on(on), unit_id__in=under)
    kids: dict[int, Unit] = {}
    parents: dict[int, set[int | None]] = {}
    today_paths: dict[int, str] = {}
    for row in rows.select_related("unit"):
        if row.valid_from <= on < row.valid_to:
            today_paths[row.unit_id] = row.path
        if row.valid_from <= last and row.valid_to > first:
            kids[row.unit_id] = row.unit
            parents.setdefault(row.unit_id, set()).add(row.parent_id)
    ordered = sorted(kids.values(), key=lambda kid: (kid.level, kid.code))
    return [
        (
            kid,
            any(today_paths.get(kid.pk, "\0").startswith(root) for root in roots),
            parents[kid.pk] != {unit.pk},
        )
        for kid in ordered
    ]


def _crumbs(unit: Unit, on: date, roots: list[str]) -> list[tuple[Unit, bool]]:
    """The chain from the root down to the unit; only the units the viewer sees are linked."""
    placement = tree.placement_on(unit, on) or tree.last_placement(unit)
    if placement is None:
        return [(unit, False)]
    crumbs = []
    for ancestor in tree.ancestors(placement):
        end = placement.path.index(f"/{ancestor.pk}/") + len(f"/{ancestor.pk}/")
        prefix = placement.path[:end]
        crumbs.append((ancestor, any(prefix.startswith(root) for root in roots)))
    return crumbs


def generation() -> str:
    """The current generation of kept dashboards (a new one after every announced change)."""
    value = cache.get(DASHBOARD_GENERATION)
    if value is None:
        cache.add(DASHBOARD_GENERATION, secrets.token_hex(8), None)
        value = cache.get(DASHBOARD_GENERATION)
    return value or "-"


def kept_key(
    program: Program, unit: Unit, which: str, phase: Phase | None, viewer, state: StatsState | None
) -> str:
    """The cache key of the rendered dashboard: everything the page's figures and links depend
    on. The numbers' fold time and today's tree, today's date (the curve runs to today), the
    generation of targets, tree and programmes, the language, and the viewer's subtrees (which
    children and ancestors are linked). Officers of the same subtrees share the kept page.
    `state`: targets.queries.as_of(), read once by the caller for the key and the board."""
    roots = hashlib.sha256("|".join(rules.visible_roots(viewer)).encode()).hexdigest()[:24]
    parts = [
        "dashboard",
        generation(),
        get_language() or "",
        str(program.pk),
        str(unit.pk),
        str(phase.number) if phase else "-",
        which,
        state.folded_at.isoformat() if state and state.folded_at else "-",
        state.tree_on.isoformat() if state and state.tree_on else "-",
        tree.today().isoformat(),
        roots,
    ]
    return ":".join(parts)


def dashboard(
    program: Program,
    unit: Unit,
    which: str,
    phase: Phase | None,
    viewer,
    *,
    state: StatsState | Literal[False] | None = False,
) -> Dashboard:
    """Everything the dashboard of `unit` shows. The caller has checked that `viewer` may see
    `unit` (accounts.rules.unit_for); `viewer` decides which children and ancestors are linked.
    `state`: as_of() if the caller has read it already."""
    if state is False:
        state = as_of()
    on = state.tree_on if state is not None else tree.today()
    roots = rules.visible_roots(viewer)
    phases = list(program.phases.all())
    number = phase.number if phase else None
    found = figures(program, unit, which, number)
    # Today's tree is the one the tallies were counted on; the tree as it was runs up to today.
    kids = _children(program, unit, which, on if which == Tree.TODAY else tree.today(), roots)
    kid_units = [kid for kid, _linked, _moved in kids]
    their = figures_many(program, kid_units, which, number) if kid_units else {}
    targets = targets_for(program, [unit, *kid_units], phases, on=on)
    target = targets[unit.pk]
    labels: dict[str, list[tuple[str, str]]] = {name: [] for name in OptionList.values}
    for option in program.options.all():
        labels[option.list].append((option.code, option.name))
    return Dashboard(
        program=program,
        unit=unit,
        which=which,
        phase=phase,
        phases=phases,
        figures=found,
        target=target,
        by_phase=_by_phase(found, phases, target),
        by_quarter=_by_quarter(program, phase, phases, found, target),
        by_status=[
            Line(str(status.value), str(status.label), found.by_status.get(status.value, 0))
            for status in Status
        ],
        by_kind=_lines(found.by_kind, labels[OptionList.KIND]),
        by_target_group=_lines(found.by_target_group, labels[OptionList.TARGET_GROUP]),
        by_block=_lines(found.by_block, labels[OptionList.BLOCK]),
        days=_days(program, phase, found, tree.today()),
        children=[
            Child(kid, their[kid.pk], targets[kid.pk].of(number), linked=linked, moved=moved)
            for kid, linked, moved in kids
        ],
        crumbs=_crumbs(unit, on, roots),
        folded_at=state.folded_at if state else None,
        tree_on=state.tree_on if state else None,
        recounting=which == Tree.TODAY and TreeChange.objects.exists(),
    )


# -- charts ---------------------------------------------------------------------------------------


def _count_words(lines: list[Line]) -> str:
    parts = []
    for line in lines:
        if line.target is None:
            parts.append(_("%(label)s: %(count)s") % {"label": line.label, "count": line.count})
        else:
            parts.append(
                _("%(label)s: %(count)s/%(target)s")
                % {"label": line.label, "count": line.count, "target": line.target}
            )
    return "; ".join(parts) + "."


@dataclass(frozen=True)
class Chart:
    heading: str  # shown above it; its <title> adds the unit and the phase
    svg: SafeString


def _columns(ident: str, title: str, lines: list[Line]) -> SafeString:
    return charts.columns(
        ident,
        title,
        _count_words(lines) if lines else _("Chưa có số liệu."),
        [charts.Bar(line.label, line.count, line.target) for line in lines],
        value_name=_("Số sáng kiến"),
        target_name=_("Chỉ tiêu"),
    )


def _breakdown(ident: str, title: str, lines: list[Line]) -> SafeString:
    return charts.bars(
        ident, title, _count_words(lines), [charts.Bar(line.label, line.count) for line in lines]
    )


def _curve_words(board: Dashboard) -> tuple[str, str]:
    if not board.days or not board.days[-1].cumulative:
        return _("Chưa có số liệu."), _("Chưa có số liệu.")
    busiest = max(board.days, key=lambda day: day.count)
    return (
        _("Từ %(first)s đến %(last)s: %(total)s sáng kiến.")
        % {
            "first": board.days[0].day.strftime("%d/%m/%Y"),
            "last": board.days[-1].day.strftime("%d/%m/%Y"),
            "total": board.days[-1].cumulative,
        },
        _("Nhiều nhất %(count)s sáng kiến, ngày %(day)s.")
        % {"count": busiest.count, "day": busiest.day.strftime("%d/%m/%Y")},
    )


def charts_of(board: Dashboard) -> dict[str, Chart]:
    """Every chart of the page, by name."""
    where = _(" — %(unit)s, %(scope)s") % {"unit": board.unit.name, "scope": board.scope_label}
    top = sorted(board.with_initiatives, key=lambda child: -child.figures.total)[:CHART_CHILDREN]
    cumulative_words, daily_words = _curve_words(board)
    headings = {
        "phases": _("Theo giai đoạn"),
        "quarters": _("Theo quý"),
        "cumulative": _("Cộng dồn theo ngày"),
        "daily": _("Sáng kiến mới mỗi ngày"),
        "status": _("Theo trạng thái"),
        "kind": _("Theo loại giải pháp"),
        "target_group": _("Theo đối tượng"),
        "block": _("Theo khối"),
        "children": _("Đơn vị trực thuộc nhiều sáng kiến nhất"),
    }
    title = {name: heading + where for name, heading in headings.items()}
    svgs = {
        "phases": _columns("chart-phases", title["phases"], board.by_phase),
        "quarters": _columns("chart-quarters", title["quarters"], board.by_quarter),
        "cumulative": charts.curve(
            "chart-cumulative",
            title["cumulative"],
            cumulative_words,
            [(day.day, day.cumulative) for day in board.days],
            cumulative=True,
            target=board.target_count,
            target_name=_("Chỉ tiêu"),
        ),
        "daily": charts.curve(
            "chart-daily",
            title["daily"],
            daily_words,
            [(day.day, day.count) for day in board.days],
            cumulative=False,
        ),
        "status": _breakdown("chart-status", title["status"], board.by_status),
        "kind": _breakdown("chart-kind", title["kind"], board.by_kind),
        "target_group": _breakdown(
            "chart-target-group", title["target_group"], board.by_target_group
        ),
        "block": _breakdown("chart-block", title["block"], board.by_block),
        "children": _breakdown(
            "chart-children",
            title["children"],
            [Line(c.unit.code, c.unit.name, c.figures.total) for c in top],
        ),
    }
    return {name: Chart(headings[name], svg) for name, svg in svgs.items()}
