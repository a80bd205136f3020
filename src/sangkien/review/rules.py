"""Who may review, score, forward, send back and see personal data: named predicates.

An officer covers an initiative when one of their roles covers the grassroots union the
initiative was submitted under, on the tree as it was then (`unit_path`) or as it is today (a
union moved since). The queue filters with the same rule (`review.queries.covering`).
"""

from django.db.models import Q
from django.http import Http404

from sangkien.accounts.enums import RoleKind
from sangkien.accounts.rules import scopes
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.rules import is_author
from sangkien.orgs.queries import anchor_path, placement_on
from sangkien.review.queries import in_subtree

REVIEWING = set(RoleKind.values)


def initiative_scope(officer) -> Q | None:
    """The initiatives an officer covers, as a filter; None when they cover nothing."""
    paths = sorted({path for kind, path in scopes(officer) if kind in REVIEWING})
    if not paths:
        return None
    if any(path.count("/") == 2 for path in paths):
        return Q()  # the federation covers everything (and Q() | x would drop the Q())
    condition = Q(pk__in=[])
    for path in paths:
        condition |= in_subtree(path)
    return condition


def covers_initiative(officer, initiative: Initiative) -> bool:
    paths = [path for kind, path in scopes(officer) if kind in REVIEWING]
    if any(initiative.unit_path.startswith(path) for path in paths):
        return True
    today_path = anchor_path(initiative.unit)
    return today_path is not None and any(today_path.startswith(path) for path in paths)


def initiative_for(officer, receipt_code: str, queryset=None) -> Initiative:
    """The initiative with this (normalised) receipt if the officer covers it, else 404.
    `queryset`: what to read it with (by default everything its review page shows)."""
    from sangkien.initiatives.queries import with_details

    rows = with_details() if queryset is None else queryset
    initiative = rows.filter(receipt=receipt_code).first()
    if initiative is None or not covers_initiative(officer, initiative):
        raise Http404
    return initiative


def may_see_personal_data(officer, initiative: Initiative) -> bool:
    """Clear phone and ID numbers only for the officers of the grassroots union itself and of its
    direct superior (SPEC §9: access limited to those whose role needs it); every view is logged."""
    placement = placement_on(initiative.unit)
    own = {placement.path} if placement else {initiative.unit_path}
    if placement and placement.parent_id:
        own.add(placement.path.rsplit("/", 2)[0] + "/")
    return any(path in own for _kind, path in scopes(officer))


__all__ = [
    "covers_initiative",
    "initiative_for",
    "initiative_scope",
    "is_author",
    "may_see_personal_data",
]
