"""Ghi nhận hàng quý: in each federation cluster, the leader of the quarter if above its target."""

from datetime import date, timedelta

from django.utils.translation import gettext as _

from sangkien.awards.enums import AwardKind
from sangkien.orgs.models import Unit
from sangkien.programs.models import Phase, Program
from sangkien.targets import allocation
from sangkien.targets.enums import Dim, Tree
from sangkien.targets.queries import counts_on
from sangkien.targets.recognition.periods import _last_day, _parse_quarter, quarter_label
from sangkien.targets.recognition.results import ClusterResult, Row
from sangkien.targets.recognition.rules import _clusters_and_members, _leaders, _outcome, _rank


def quarterly(program: Program, quarter_key: str) -> list[ClusterResult]:
    """Ghi nhận hàng quý for every cluster of the federation, in six queries whatever the number
    of clusters and units (two more for each other last day, when units ended in the quarter)."""
    _parse_quarter(quarter_key)
    first, last = allocation.quarter_bounds(quarter_key)
    period = quarter_label(quarter_key)
    phases = list(program.phases.all())
    clusters = _clusters_and_members(first, last)
    units = list({unit.pk: unit for _c, members in clusters for unit in members}.values())
    counts = counts_on(program, units, Dim.QUARTER, [quarter_key], Tree.HISTORICAL)
    targets = _targets(program, units, phases, first, max(min(last, _last_day(program)), first))
    results = []
    for cluster, members in clusters:
        rows = _rank(
            [
                Row(
                    unit=unit,
                    count=counts.get(unit.pk, 0),
                    target=allocation.quarter_target(targets[unit.pk], phases, quarter_key),
                )
                for unit in members
            ]
        )
        reason = _judge_quarter(rows)
        results.append(
            ClusterResult(
                cluster=cluster,
                rows=rows,
                reason=reason,
                kind=AwardKind.QUARTERLY,
                key=quarter_key,
                period=period,
                program=program,
            )
        )
    return results


def _targets(
    program: Program, units: list[Unit], phases: list[Phase], first: date, last: date
) -> dict[int, allocation.Target]:
    """Each unit's target, read on the tree of the last day of the quarter it existed (its
    parent's allocation table then): one call, two queries, unless a unit ended in the quarter."""
    by_day: dict[date, list[Unit]] = {}
    for unit in units:
        day = max(first, min(last, unit.valid_to - timedelta(days=1)))
        by_day.setdefault(day, []).append(unit)
    found: dict[int, allocation.Target] = {}
    for day, group in by_day.items():
        found.update(allocation.targets_for(program, group, phases, on=day))
    return found


def _judge_quarter(rows: list[Row]) -> str:
    """Mark the leaders and the recognised rows; answer the cluster's outcome."""
    if not rows:
        return _("Cụm không có đơn vị thành viên trong quý nên không có đơn vị được ghi nhận.")
    leaders = _leaders(rows, _("Không có sáng kiến được tính trong quý."))
    if not leaders:
        return _("Không đơn vị nào trong cụm có sáng kiến được tính trong quý.")
    tied = len(leaders) > 1
    for row in leaders:
        figures = {"count": row.count, "target": row.target}
        if row.target is None:
            row.reason = (
                _(
                    "Đồng dẫn đầu cụm với %(count)s sáng kiến nhưng chưa được giao chỉ tiêu cho "
                    "quý này nên không có chỉ tiêu để so sánh."
                )
                if tied
                else _(
                    "Dẫn đầu cụm với %(count)s sáng kiến nhưng chưa được giao chỉ tiêu cho quý "
                    "này nên không có chỉ tiêu để so sánh."
                )
            ) % figures
        elif row.count > row.target:
            row.recognised = True
            row.reason = (
                _("Đồng dẫn đầu cụm với %(count)s sáng kiến, cao hơn chỉ tiêu quý (%(target)s).")
                if tied
                else _("Dẫn đầu cụm với %(count)s sáng kiến, cao hơn chỉ tiêu quý (%(target)s).")
            ) % figures
        else:
            row.reason = (
                _(
                    "Đồng dẫn đầu cụm với %(count)s sáng kiến nhưng không cao hơn chỉ tiêu quý "
                    "(%(target)s)."
                )
                if tied
                else _(
                    "Dẫn đầu cụm với %(count)s sáng kiến nhưng không cao hơn chỉ tiêu quý "
                    "(%(target)s)."
                )
            ) % figures
    return _outcome(leaders)
