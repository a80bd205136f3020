"""The 1/7/2025 merger of the provinces (63 → 34), and member totals rolled up the tree."""

from collections import Counter
from datetime import date

import pytest

from sangkien.common.models import AuditEntry
from sangkien.common.timewindows import END_OF_TIME
from sangkien.orgs import queries
from sangkien.orgs.enums import SuccessionKind, UnitKind
from sangkien.orgs.models import ClusterMembership, Unit, UnitSuccession
from sangkien.orgs.national import apply_merger_2025, load_national_tree
from sangkien.orgs.services import refresh_member_totals, unit_update
from tests.orgs.helpers import codes

EVE, DAY = date(2025, 6, 30), date(2025, 7, 1)


@pytest.fixture
def merged(national, make_unit):
    """The 2022 tree with a district of Hà Giang (since 2020), after the 2025 merger."""
    district = make_unit("T02-D001", national["T02"], name="Liên đoàn Lao động huyện Đồng Văn")
    make_unit("T02-D001-C001", district)
    created = apply_merger_2025()
    return {"created": created, **{unit.code: unit for unit in Unit.objects.all()}}


def test_merger_leaves_83_direct_units_on_the_eve_and_54_on_the_day(merged):
    federation = merged["TLD"]

    eve = list(queries.children(federation, EVE))
    day = list(queries.children(federation, DAY))

    assert len(eve) == 83
    assert len(day) == 54
    assert Counter(unit.kind for unit in day) == {
        UnitKind.PROVINCE_FEDERATION: 34,
        UnitKind.SECTOR_UNION: 19,
        UnitKind.CORPORATION_UNION: 1,
    }
    assert codes(queries.children(federation)) == codes(day)


def test_merger_creates_23_new_provincial_federations_from_the_day(merged):
    created = merged["created"]

    assert len(created) == 23
    assert {(unit.valid_from, unit.valid_to) for unit in created} == {(DAY, END_OF_TIME)}
    assert merged["T25-08"].name == "Liên đoàn Lao động tỉnh Tuyên Quang"
    assert queries.placement_on(merged["T25-08"], EVE) is None
    assert queries.placement_on(merged["T25-08"], DAY).parent.code == "TLD"


def test_merger_makes_the_new_province_successor_of_the_old(merged):
    # given Hà Giang, merged with Tuyên Quang into the new Tuyên Quang
    ha_giang = merged["T02"]

    # then Hà Giang ends on the eve, its successor carries it from the day
    assert ha_giang.valid_to == DAY
    assert codes(queries.successors_on(ha_giang, EVE)) == ["T02"]
    assert codes(queries.successors_on(ha_giang, DAY)) == ["T25-08"]
    assert codes(queries.successors_on(ha_giang)) == ["T25-08"]
    links = UnitSuccession.objects.filter(successor=merged["T25-08"]).order_by("predecessor__code")
    assert [(s.predecessor.code, s.kind, s.effective_on) for s in links] == [
        ("T02", SuccessionKind.MERGE, DAY),
        ("T08", SuccessionKind.MERGE, DAY),
    ]
    assert queries.anchor_path(ha_giang) == queries.placement_on(merged["T25-08"]).path


def test_merger_keeps_hanoi_and_the_gia_lam_unions(merged):
    # given Hà Nội, whose territory did not change
    hanoi = merged["T01"]

    # then it is the same unit, with no successor, and Gia Lâm's unions are still below it
    assert hanoi.valid_to == END_OF_TIME
    assert not UnitSuccession.objects.filter(predecessor=hanoi).exists()
    assert "T25-01" not in merged
    hanoi_path = queries.placement_on(hanoi, DAY).path
    grassroots = [f"T01-D018-C{n:03d}" for n in range(1, 30)]
    assert codes(queries.subtree(hanoi_path, DAY)) == ["T01", "T01-D004", "T01-D018", *grassroots]
    stanley = queries.placement_on(merged["T01-D018-C001"], DAY)
    assert (stanley.parent.code, stanley.valid_from) == ("T01-D018", date(1900, 1, 1))


def test_merger_moves_a_district_with_its_province(merged):
    # given a district created under Hà Giang in 2020
    district = merged["T02-D001"]

    # then on the eve it is under Hà Giang, on the day under the new Tuyên Quang
    eve = queries.placement_on(district, EVE)
    day = queries.placement_on(district, DAY)
    assert (eve.parent.code, eve.valid_from, eve.valid_to) == ("T02", date(2020, 1, 1), DAY)
    assert eve.path == f"{queries.placement_on(merged['T02'], EVE).path}{district.pk}/"
    assert (day.parent.code, day.valid_from) == ("T25-08", DAY)
    assert day.path == f"{queries.placement_on(merged['T25-08'], DAY).path}{district.pk}/"
    grassroots = queries.placement_on(merged["T02-D001-C001"], DAY)
    assert (grassroots.parent.code, grassroots.path) == (
        "T02-D001",
        f"{day.path}{merged['T02-D001-C001'].pk}/",
    )
    assert codes(queries.children(merged["T25-08"], DAY)) == ["T02-D001"]
    assert codes(queries.children(merged["T02"], EVE)) == ["T02-D001"]


def test_merger_applied_twice_creates_nothing(merged, tree_counts):
    before = tree_counts()

    again = apply_merger_2025()

    assert again == []
    assert tree_counts() == before


def test_merger_writes_an_audit_row_for_each_change(merged):
    assert AuditEntry.objects.filter(action="unit.create").count() == 2 + 23
    assert AuditEntry.objects.filter(action="unit.merge").count() == 52
    entry = AuditEntry.objects.get(action="tree.merger_2025")
    assert len(entry.data["provinces"]) == 23
    merge_of_ha_giang = AuditEntry.objects.get(action="unit.merge", object_id=str(merged["T02"].pk))
    assert merge_of_ha_giang.data == {
        "into": "T25-08",
        "children": ["T02-D001"],
        "effective_on": "2025-07-01",
    }


def test_merger_puts_every_new_direct_unit_in_exactly_one_cluster(merged):
    # given the direct units of 1/7/2025
    direct = codes(queries.children(merged["TLD"], DAY))

    # when the clusters valid that day are counted per unit
    memberships = ClusterMembership.objects.filter(queries.valid_on(DAY))
    per_unit = Counter(memberships.values_list("unit__code", flat=True))

    # then each is in one cluster; a merger across regions takes its seat's (Kon Tum → Quảng Ngãi)
    assert {code: per_unit[code] for code in direct} == dict.fromkeys(direct, 1)
    assert sum(per_unit.values()) == 54
    assert memberships.get(unit__code="T25-51").cluster.code == "CUM-BTBDHMT"
    eve = ClusterMembership.objects.filter(queries.valid_on(EVE))
    assert eve.get(unit__code="T62").cluster.code == "CUM-TN"


def test_merger_then_national_load_again_changes_nothing(merged, tree_counts):
    # given the merger applied (the 2022 provinces that merged have ended)
    before = tree_counts()

    # when the 2022 tree is loaded again (as `make run` does on every start)
    result = load_national_tree()

    # then the file matches the tree of 2022 and nothing changes
    assert result.issues == []
    assert (result.created, result.updated, result.moved, result.unchanged) == (0, 0, 0, 116)
    assert tree_counts() == before


def test_refresh_member_totals_sums_grassroots_up_the_tree(national, make_unit):
    # given declared members in three of Gia Lâm's unions and in a union of the news agency
    for code, members in [("T01-D018-C001", 1200), ("T01-D018-C002", 800), ("T01-D018-C008", 35)]:
        unit_update(unit=national[code], member_count=members)
    make_unit("N03-X01-C001", national["N03-X01"], member_count=50)

    # when the totals are refreshed
    changed = refresh_member_totals()

    # then district, province, sector and federation hold the sums of their grassroots
    totals = dict(
        Unit.objects.filter(level__lt=3, member_count__gt=0).values_list("code", "member_count")
    )
    assert totals == {"T01-D018": 2035, "T01": 2035, "N03-X01": 50, "N03": 50, "TLD": 2085}
    assert changed == 5
    assert Unit.objects.get(code="T01-D004").member_count == 0
    assert refresh_member_totals() == 0


def test_refresh_member_totals_after_the_merger_counts_the_new_province(merged):
    unit_update(unit=merged["T02-D001-C001"], member_count=70)

    refresh_member_totals()

    assert Unit.objects.get(code="T25-08").member_count == 70
    assert Unit.objects.get(code="T02-D001").member_count == 70
    assert Unit.objects.get(code="TLD").member_count == 70
    # an ended province keeps the last total it had; today's tree no longer counts it
    assert Unit.objects.get(code="T02").member_count == 0
