"""Writing audit rows from services."""

from typing import Any

from sangkien.common.models import AuditEntry


def audit(
    *, actor, action: str, obj=None, object_type: str = "", object_id: str = "", **data: Any
) -> AuditEntry:
    """Record `action` on `obj` (or on the named object) by `actor` (None for the system).

    Call it inside the service's transaction, so the row exists exactly when the change does.
    """
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=data,
    )
