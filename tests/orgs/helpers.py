"""Small readers shared by the orgs tests."""

from collections.abc import Iterable

from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Unit


def codes(units: Iterable[Unit]) -> list[str]:
    """The codes of `units`, sorted (databases order accented names differently)."""
    return sorted(unit.code for unit in units)


def audit_actions(unit: Unit) -> list[str]:
    """The actions written about `unit`, oldest first."""
    entries = AuditEntry.objects.filter(object_type="orgs.unit", object_id=str(unit.pk))
    return [entry.action for entry in entries.order_by("id")]
