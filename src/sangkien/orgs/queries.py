"""Reads of the tree: placements on a day, subtrees, children, ancestors, successors, search."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from sangkien.common.text import fold
from sangkien.orgs.models import Unit, UnitPlacement, UnitSuccession


def today() -> date:
    """Today in Vietnam (settings.TIME_ZONE), whatever the server clock's zone."""
    return timezone.localdate()


def valid_on(on: date, prefix: str = "") -> Q:
    """Filter for rows whose [valid_from, valid_to) contains `on`; `prefix` reaches a relation."""
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_to__gt": on})


def placement_on(unit: Unit | int, on: date | None = None) -> UnitPlacement | None:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        UnitPlacement.objects.filter(valid_on(on or today()), unit_id=unit_id)
        .select_related("parent")
        .first()
    )


def last_placement(unit: Unit) -> UnitPlacement | None:
    return UnitPlacement.objects.filter(unit=unit).order_by("-valid_from").first()


def subtree(path: str, on: date | None = None) -> QuerySet[Unit]:
    """Every unit under (and including) the unit whose path is `path`, on day `on`.

    One query on the indexed `path` prefix; the caller already holds the anchor's path (it had to
    resolve the unit to check who may see it).
    """
    on = on or today()
    return Unit.objects.filter(
        placements__path__startswith=path,
        placements__valid_from__lte=on,
        placements__valid_to__gt=on,
    )


def subtree_placements(path: str, on: date | None = None) -> QuerySet[UnitPlacement]:
    return UnitPlacement.objects.filter(valid_on(on or today()), path__startswith=path)


def children(unit: Unit | None, on: date | None = None) -> QuerySet[Unit]:
    """The units directly under `unit` on day `on` (the roots when `unit` is None)."""
    on = on or today()
    if unit is None:
        return Unit.objects.filter(
            placements__parent__isnull=True,
            placements__valid_from__lte=on,
            placements__valid_to__gt=on,
        ).order_by("code")
    return Unit.objects.filter(
        placements__parent=unit,
        placements__valid_from__lte=on,
        placements__valid_to__gt=on,
    ).order_by("level", "code")


def children_with_parent_codes(unit: Unit | None, on: date | None = None) -> list[Unit]:
    """Children with `parent_code` set on each, in one query (for lists and the API)."""
    kids = list(children(unit, on))
    for kid in kids:
        kid.parent_code = unit.code if unit is not None else None
    return kids


def ancestors(placement: UnitPlacement) -> list[Unit]:
    """The chain from the root down to the placed unit itself, in one query."""
    ids = placement.ancestor_ids()
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def successors_on(unit: Unit, on: date | None = None) -> list[Unit]:
    """The units that carry `unit` on day `on`: itself if it still exists, else its successors,
    followed through as many restructurings as happened by then."""
    on = on or today()
    found: list[Unit] = []
    frontier = [unit]
    seen: set[int] = set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.exists_on(on):
            found.append(current)
            continue
        links = UnitSuccession.objects.filter(predecessor=current, effective_on__lte=on)
        frontier.extend(link.successor for link in links.select_related("successor"))
    return sorted(found, key=lambda u: u.code)


def anchor_path(unit: Unit, on: date | None = None) -> str | None:
    """The path that decides who may see `unit` on day `on`.

    A unit that exists has its own path. A unit that was merged or dissolved belongs to its
    successor's subtree (so the officers of the new province see the old provinces' history);
    failing that, to where it last stood.
    """
    on = on or today()
    placement = placement_on(unit, on)
    if placement is not None:
        return placement.path
    for successor in successors_on(unit, on):
        successor_placement = placement_on(successor, on)
        if successor_placement is not None:
            return successor_placement.path
    last = last_placement(unit)
    return last.path if last else None


def search(
    text: str,
    *,
    on: date | None = None,
    within: str | None = None,
    levels: Iterable[int] | None = None,
    limit: int = 20,
) -> QuerySet[Unit]:
    """Units whose name contains every word of `text`, accents and case ignored ("gia lam")."""
    on = on or today()
    placement = {"placements__valid_from__lte": on, "placements__valid_to__gt": on}
    if within:
        placement["placements__path__startswith"] = within
    qs = Unit.objects.filter(**placement)  # one filter() call: all on the same placement row
    for word in fold(text).split():
        qs = qs.filter(search_name__contains=word)
    if levels is not None:
        qs = qs.filter(level__in=list(levels))
    return qs.order_by("level", "name")[:limit]
