"""Who may record, see and revoke an award: predicates over the officer's subtrees."""

from sangkien.accounts import rules
from sangkien.awards.models import Award
from sangkien.initiatives.models import Initiative
from sangkien.initiatives.rules import is_author  # noqa: F401 -- awards.rules.is_author
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import anchor_path


def may_grant_for(officer, granting_unit: Unit) -> bool:
    """An officer whose role (reviewer or administrator) covers the deciding unit on today's tree
    records its awards: every level records its own (SPEC §8)."""
    return rules.can_view_unit(officer, granting_unit)


def unit_inside(unit: Unit, granting_path: str) -> bool:
    """The unit stands in the subtree whose path is `granting_path` on today's tree."""
    path = anchor_path(unit)
    return path is not None and path.startswith(granting_path)


def initiative_inside(initiative: Initiative, granting_path: str) -> bool:
    """The initiative was submitted inside that subtree, or its unit stands there today (after a
    restructuring the initiative keeps the path it was submitted under)."""
    return initiative.unit_path.startswith(granting_path) or unit_inside(
        initiative.unit, granting_path
    )


def may_see_award(officer, award: Award) -> bool:
    """The deciding unit or the recipient is inside one of the officer's subtrees."""
    return any(
        award.granting_path.startswith(root) or award.recipient_path.startswith(root)
        for root in rules.visible_roots(officer)
    )


def may_revoke(officer, award: Award) -> bool:
    """Who may record for the deciding unit may also revoke what it decided."""
    return not award.is_revoked and may_grant_for(officer, award.granting_unit)
