"""What both rules share: the clusters and their members, the ranking, the leaders, the outcome."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from sangkien.orgs.enums import Level
from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from sangkien.targets.recognition.results import Row


def _overlapping(first: date, last: date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to) shares at least one day with [first, last]."""
    return Q(**{f"{prefix}valid_from__lte": last, f"{prefix}valid_to__gt": first})


def _clusters_and_members(first: date, last: date) -> list[tuple[Cluster, list[Unit]]]:
    """The federation's clusters (cụm, khối thi đua thuộc Tổng Liên đoàn) with the units that
    were their members, and existed, on at least one day of [first, last]: two queries."""
    clusters = list(Cluster.objects.filter(organiser__level=Level.FEDERATION).order_by("code"))
    members: dict[int, dict[int, Unit]] = {cluster.pk: {} for cluster in clusters}
    memberships = (
        ClusterMembership.objects.filter(_overlapping(first, last), cluster__in=clusters)
        .filter(_overlapping(first, last, "unit__"))
        .select_related("unit")
        .order_by("unit__code")
    )
    for membership in memberships:
        members[membership.cluster_id][membership.unit_id] = membership.unit
    return [(cluster, list(members[cluster.pk].values())) for cluster in clusters]


def _rank(rows: list[Row]) -> list[Row]:
    """Most initiatives first (then by code); tied rows share the better rank."""
    rows.sort(key=lambda row: (-row.count, row.unit.code))
    for position, row in enumerate(rows):
        tied = position and rows[position - 1].count == row.count
        row.rank = rows[position - 1].rank if tied else position + 1
    return rows


def _leaders(rows: list[Row], nothing: str) -> list[Row]:
    """Mark the rows with the most initiatives of a ranked, non-empty cluster as its leaders and
    give every other row the reason it is behind (`nothing` when it has no initiative); answer
    the leaders, none when no row has any initiative (each row then gives `nothing`)."""
    best = rows[0].count
    if best == 0:
        for row in rows:
            row.reason = nothing
        return []
    leaders = []
    for row in rows:
        if row.count == best:
            row.leader = True
            leaders.append(row)
        else:
            row.reason = (
                _("Ít sáng kiến hơn đơn vị dẫn đầu cụm (%(count)s so với %(best)s).")
                % {"count": row.count, "best": best}
                if row.count
                else nothing
            )
    return leaders


def _names(rows: list[Row]) -> str:
    return ", ".join(row.unit.name for row in rows)


def _outcome(leaders: list[Row]) -> str:
    """ "Ghi nhận: A." / "Không ghi nhận đơn vị nào: A — why." (and, on a tie, both parts)."""
    won = [row for row in leaders if row.recognised]
    lost = [row for row in leaders if not row.recognised]
    parts = []
    if won:
        parts.append(_("Được ghi nhận: %(units)s.") % {"units": _names(won)})
    if lost:
        why = "; ".join(
            _("%(unit)s — %(reason)s") % {"unit": row.unit.name, "reason": row.reason}
            for row in lost
        )
        if won:
            parts.append(_("Không ghi nhận: %(why)s") % {"why": why})
        else:
            parts.append(_("Không ghi nhận đơn vị nào: %(why)s") % {"why": why})
    return " ".join(parts)
