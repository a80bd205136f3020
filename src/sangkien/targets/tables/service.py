"""allocation_replace: a parent's whole table replaced in one audited transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sangkien.accounts.rules import can_manage_unit
from sangkien.common.audit import audit
from sangkien.common.text import clean_line
from sangkien.orgs.models import Unit
from sangkien.programs.models import Program
from sangkien.targets.models import Allocation
from sangkien.targets.services import dashboards_change_on_commit
from sangkien.targets.tables.labels import BLOCK_WORDS
from sangkien.targets.tables.rules import (
    AllocationInput,
    AllocationRefused,
    Problem,
    _text_or_none,
    check_rows,
)


def _default_label(row: AllocationInput) -> str:
    if row.label:
        return clean_line(row.label)
    if row.unit is not None:
        return row.unit.name
    return BLOCK_WORDS[row.block]


def _json_number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else f"{value.normalize():f}"


def allocation_replace(
    *, actor, program: Program, parent: Unit, rows: list[AllocationInput]
) -> list[Allocation]:
    """Replace the parent's whole table for the programme (one transaction, audited)."""
    if actor is not None and not can_manage_unit(actor, parent):
        raise AllocationRefused(
            [Problem(-1, "", _("Bạn không có quyền phân bổ chỉ tiêu của đơn vị này."))]
        )
    phases = list(program.phases.order_by("number"))
    numbers = [phase.number for phase in phases]
    with transaction.atomic():
        # One table change at a time per parent: the second waits and replaces the first's.
        list(Unit.objects.select_for_update().filter(pk=parent.pk).values_list("pk", flat=True))
        problems = check_rows(program, parent, rows, phases=phases)
        if problems:
            raise AllocationRefused(problems)
        Allocation.objects.filter(program=program, parent=parent).delete()
        made = []
        for position, row in enumerate(rows):
            values = {n: v for n, v in row.phase_values.items() if v is not None}
            total = row.total
            if total is None and values and set(values) == set(numbers):
                total = sum(values.values(), Decimal(0))
            made.append(
                Allocation(
                    program=program,
                    parent=parent,
                    position=position,
                    label=_default_label(row),
                    unit=row.unit,
                    block="" if row.unit is not None else row.block,
                    kind=row.kind,
                    total=total,
                    phase_values={str(n): _json_number(v) for n, v in sorted(values.items())},
                    participation_percent=row.participation_percent,
                )
            )
        Allocation.objects.bulk_create(made)
        dashboards_change_on_commit()
        audit(
            actor=actor,
            action="targets.allocate",
            obj=parent,
            program=program.code,
            rows=[
                {
                    "label": row.label,
                    "unit": row.unit.code if row.unit else None,
                    "block": row.block,
                    "kind": row.kind,
                    "total": _text_or_none(row.total),
                    "phases": row.phase_values,
                    "participation": _text_or_none(row.participation_percent),
                }
                for row in made
            ],
        )
    return made
