"""Fixtures of the orgs tests: units made through the services, and a counter of what changed."""

from datetime import date

import pytest

from sangkien.common.models import AuditEntry
from sangkien.orgs.enums import Block, Level, UnitKind
from sangkien.orgs.models import Unit, UnitPlacement, UnitSuccession
from sangkien.orgs.services import unit_create

# Well before anything a test restructures, well after the 2022 tree starts (1/1/1900).
LONG_AGO = date(2020, 1, 1)

_DEFAULT_KIND = {
    Level.DIRECT: UnitKind.PROVINCE_FEDERATION,
    Level.DIRECT_SUPERIOR: UnitKind.DISTRICT_FEDERATION,
    Level.GRASSROOTS: UnitKind.GRASSROOTS,
}


@pytest.fixture
def make_unit(db):
    """A unit one level under `parent`, created through `unit_create` (placement and audit row)."""

    def make(
        code: str,
        parent: Unit,
        *,
        name: str | None = None,
        block: str = Block.ENTERPRISE,
        member_count: int = 0,
        effective_on: date = LONG_AGO,
    ) -> Unit:
        level = parent.level + 1
        return unit_create(
            code=code,
            name=name or f"Đơn vị thử {code}",
            level=level,
            kind=_DEFAULT_KIND[level],
            block=block,
            parent=parent,
            member_count=member_count,
            effective_on=effective_on,
        )

    return make


@pytest.fixture
def tree_counts(db):
    """How many units, placements, successor links and audit rows there are right now."""

    def count() -> dict[str, int]:
        return {
            "units": Unit.objects.count(),
            "placements": UnitPlacement.objects.count(),
            "successions": UnitSuccession.objects.count(),
            "audit": AuditEntry.objects.count(),
        }

    return count
