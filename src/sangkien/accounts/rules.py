"""Who may: named predicates over the viewer's roles on the subtree that contains an object.

Every office page and API endpoint asks these and nothing else. A unit the viewer may not see
is answered with 404, exactly like a unit that does not exist.
"""

from datetime import date

from django.http import Http404

from sangkien.accounts.enums import RoleKind
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import anchor_path

MANAGING = {RoleKind.UNIT_ADMIN, RoleKind.NATIONAL_ADMIN}


def scopes(officer) -> list[tuple[str, str]]:
    """(role kind, subtree path) for each role of the officer, computed once per request."""
    if not getattr(officer, "is_authenticated", False) or not officer.is_active:
        return []
    cached = getattr(officer, "_sangkien_scopes", None)
    if cached is not None:
        return cached
    result: list[tuple[str, str]] = []
    for role in officer.roles.select_related("unit"):
        path = anchor_path(role.unit)
        if path:
            result.append((role.kind, path))
    officer._sangkien_scopes = result
    return result


def is_national_admin(officer) -> bool:
    return any(
        kind == RoleKind.NATIONAL_ADMIN and path.count("/") == 2 for kind, path in scopes(officer)
    )


def is_officer(officer) -> bool:
    return bool(scopes(officer))


def _covers(officer, path: str | None, kinds) -> bool:
    if path is None:
        return False
    return any(kind in kinds and path.startswith(scope) for kind, scope in scopes(officer))


def can_view_unit(officer, unit: Unit, on: date | None = None) -> bool:
    return _covers(officer, anchor_path(unit, on), set(RoleKind.values))


def can_manage_unit(officer, unit: Unit, on: date | None = None) -> bool:
    return _covers(officer, anchor_path(unit, on), MANAGING)


def can_import_tree(officer) -> bool:
    return any(kind in MANAGING for kind, _path in scopes(officer))


def can_edit_programs(officer) -> bool:
    return is_national_admin(officer)


def _outermost(paths: set[str]) -> list[str]:
    roots: list[str] = []
    for path in sorted(paths, key=lambda path: (len(path), path)):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def visible_roots(officer) -> list[str]:
    """The paths of the subtrees the officer sees, without those nested in another."""
    return _outermost({path for _kind, path in scopes(officer)})


def managed_roots(officer) -> list[str]:
    return _outermost({path for kind, path in scopes(officer) if kind in MANAGING})


def unit_for(officer, code: str, *, manage: bool = False, on: date | None = None) -> Unit:
    """The unit with `code` if the officer may see it (or manage it), else 404."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    allowed = can_manage_unit(officer, unit, on) if manage else can_view_unit(officer, unit, on)
    if not allowed:
        raise Http404
    return unit


__all__ = [
    "can_edit_programs",
    "can_import_tree",
    "can_manage_unit",
    "can_view_unit",
    "is_national_admin",
    "is_officer",
    "managed_roots",
    "unit_for",
    "visible_roots",
]
