"""Units for ranking tests: a grassroots union under any level-1 unit of the national tree, and a
small tree of its own (k provinces, k clusters) for query counts at 1 and at 3."""

from datetime import date

import pytest

from sangkien.orgs.models import Cluster, ClusterMembership, Unit
from sangkien.orgs.services import unit_create

LONG_AGO = date(2000, 1, 1)


def _grassroots_under(parent: Unit) -> Unit:
    district = unit_create(
        code=f"{parent.code}-D900",
        name=f"Liên đoàn Lao động thử của {parent.code}",
        level=2,
        kind="district_federation",
        block="administrative",
        parent=parent,
        effective_on=LONG_AGO,
    )
    return unit_create(
        code=f"{parent.code}-D900-C001",
        name=f"Công đoàn cơ sở thử của {parent.code}",
        level=3,
        kind="grassroots",
        block="enterprise",
        parent=district,
        effective_on=LONG_AGO,
    )


@pytest.fixture
def workplace(national):
    """workplace("T02") → a grassroots union under the level-1 unit T02 (through a new
    direct-superior union), existing since 2000 so that past submissions can name it."""
    made: dict[str, Unit] = {}

    def make(code: str) -> Unit:
        if code not in made:
            made[code] = _grassroots_under(national[code])
        return made[code]

    return make


@pytest.fixture
def small_tree(db):
    """small_tree(k) → k grassroots unions, one under each of k provinces of a federation of its
    own, each province alone in a competition cluster organised by the federation."""

    def make(k: int) -> list[Unit]:
        federation = unit_create(
            code="TLD",
            name="Tổng Liên đoàn Lao động Việt Nam",
            level=0,
            kind="federation",
            block="administrative",
            parent=None,
            effective_on=LONG_AGO,
        )
        unions = []
        for i in range(1, k + 1):
            province = unit_create(
                code=f"T{i:02d}",
                name=f"Liên đoàn Lao động tỉnh thử {i}",
                level=1,
                kind="province_federation",
                block="administrative",
                parent=federation,
                effective_on=LONG_AGO,
            )
            cluster = Cluster.objects.create(
                code=f"CUM-{i}", name=f"Cụm thi đua thử {i}", organiser=federation
            )
            ClusterMembership.objects.create(cluster=cluster, unit=province)
            unions.append(_grassroots_under(province))
        return unions

    return make
