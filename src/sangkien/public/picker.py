"""The workplace picker: find a grassroots union by typing part of a name, or walk down the tree
(province or sector → direct-superior union → grassroots union). Plain form fields and buttons,
so it works without JavaScript; the script only fetches the same fragment in place.
"""

from dataclasses import dataclass, field

from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement

MAX_RESULTS = 20
MAX_LISTED = 500


@dataclass
class Picker:
    query: str = ""
    chosen: Unit | None = None
    chosen_chain: str = ""
    browse: Unit | None = None
    browse_chain: list[Unit] = field(default_factory=list)
    options: list[Unit] = field(default_factory=list)
    options_are_grassroots: bool = False
    results: list[tuple[Unit, str]] = field(default_factory=list)
    searched: bool = False


def _chains(units: list[Unit], on) -> tuple[dict[int, str], dict[int, list[Unit]]]:
    """Each unit's path on `on`, and its ancestors (root and the unit itself excluded), in two
    queries."""
    placements = UnitPlacement.objects.filter(tree.valid_on(on), unit__in=units)
    paths = {p.unit_id: p.path for p in placements}
    ids = {i for p in placements for i in p.ancestor_ids()}
    by_id = Unit.objects.in_bulk(ids)
    chains = {
        p.unit_id: [by_id[i] for i in p.ancestor_ids()[1:-1] if i in by_id] for p in placements
    }
    return paths, chains


def _chain_text(chain: list[Unit]) -> str:
    return " › ".join(unit.name for unit in reversed(chain))


def _inside(path: str, within: list[str] | None) -> bool:
    return within is None or any(path.startswith(root) for root in within)


def build(
    *,
    query: str = "",
    browse_code: str = "",
    chosen_code: str = "",
    within: list[str] | None = None,
) -> Picker:
    """What the picker shows for what was typed, browsed or chosen; `within` limits it to the
    subtrees of an officer submitting on a member's behalf."""
    on = tree.today()
    picker = Picker(query=query.strip()[:100])
    if chosen_code:
        unit = Unit.objects.filter(code=chosen_code.strip().upper(), level=3).first()
        placement = tree.placement_on(unit, on) if unit else None
        if placement is not None and _inside(placement.path, within):
            picker.chosen = unit
            picker.chosen_chain = _chain_text(_chains([unit], on)[1].get(unit.pk, []))
            return picker
    browse = Unit.objects.filter(code=browse_code.strip().upper()).first() if browse_code else None
    browse_placement = tree.placement_on(browse, on) if browse else None
    if browse_placement is None or not (
        _inside(browse_placement.path, within)
        or (within and any(root.startswith(browse_placement.path) for root in within))
    ):
        browse, browse_placement = None, None
    if picker.query:
        picker.searched = True
        scope = browse_placement.path if browse_placement else None
        found = list(tree.search(picker.query, on=on, within=scope, limit=MAX_RESULTS * 3))
        placements, chains = _chains(found, on)
        picker.results = [
            (unit, _chain_text(chains.get(unit.pk, [])))
            for unit in found
            if unit.level >= 1 and _inside(placements.get(unit.pk, ""), within)
        ][:MAX_RESULTS]
    if browse is not None:
        picker.browse = browse
        picker.browse_chain = tree.ancestors(browse_placement)[1:]
        kids = list(tree.children(browse, on)[:MAX_LISTED])
        picker.options = [
            kid for kid in kids if within is None or _kid_inside(kid, browse_placement, within)
        ]
        picker.options_are_grassroots = bool(picker.options) and all(
            kid.level == 3 for kid in picker.options
        )
    else:
        roots = _roots(within, on)
        picker.options = roots
    return picker


def _kid_inside(kid: Unit, parent_placement: UnitPlacement, within: list[str]) -> bool:
    path = f"{parent_placement.path}{kid.pk}/"
    return _inside(path, within) or any(root.startswith(path) for root in within)


def _roots(within: list[str] | None, on) -> list[Unit]:
    """Where browsing starts: the provinces and sectors, or the officer's own subtrees."""
    if within is None:
        federation = tree.children(None, on).first()
        return list(tree.children(federation, on)) if federation else []
    ids = [int(path.strip("/").split("/")[-1]) for path in within]
    return list(Unit.objects.filter(pk__in=ids).order_by("level", "code"))
