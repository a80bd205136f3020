"""Restructurings that end units: merge, split and dissolve, with successor links and audit."""

from datetime import date

import pytest

from sangkien.common.models import AuditEntry
from sangkien.orgs import queries
from sangkien.orgs.enums import Level, SuccessionKind
from sangkien.orgs.models import Unit, UnitPlacement, UnitSuccession
from sangkien.orgs.services import TreeError, unit_dissolve, unit_split, units_merge
from tests.orgs.helpers import audit_actions, codes

EVE, DAY = date(2023, 12, 31), date(2024, 1, 1)


def parent_code(unit: Unit, on: date) -> str | None:
    placement = queries.placement_on(unit, on)
    return placement.parent.code if placement and placement.parent else None


@pytest.fixture
def ha_giang(national, make_unit):
    """Two districts of Hà Giang since 2020, with grassroots unions, and a third from 1/1/2024."""
    province = national["T02"]
    a = make_unit("T02-D001", province)
    b = make_unit("T02-D002", province)
    return {
        "a": a,
        "b": b,
        "c": make_unit("T02-D003", province, effective_on=DAY),
        "a1": make_unit("T02-D001-C001", a),
        "a2": make_unit("T02-D001-C002", a),
        "a3": make_unit("T02-D001-C003", a),
        "b1": make_unit("T02-D002-C001", b),
    }


def test_units_merge_hands_children_and_history_to_the_successor(ha_giang):
    # given two districts of Hà Giang and a new one from 1/1/2024
    a, b, c = ha_giang["a"], ha_giang["b"], ha_giang["c"]

    # when both merge into the new one on that day
    units_merge(units=[a, b], into=c, effective_on=DAY)

    # then their children are under the new one from the day, and they end that day
    assert codes(queries.children(a, EVE)) == ["T02-D001-C001", "T02-D001-C002", "T02-D001-C003"]
    assert list(queries.children(a, DAY)) == []
    assert codes(queries.children(c, DAY)) == [
        "T02-D001-C001",
        "T02-D001-C002",
        "T02-D001-C003",
        "T02-D002-C001",
    ]
    for old in (a, b):
        old.refresh_from_db()
        assert old.valid_to == DAY
        assert queries.placement_on(old, EVE).valid_to == DAY
        assert queries.placement_on(old, DAY) is None
    links = UnitSuccession.objects.order_by("predecessor__code")
    assert [(s.predecessor.code, s.successor.code, s.kind, s.effective_on) for s in links] == [
        ("T02-D001", "T02-D003", SuccessionKind.MERGE, DAY),
        ("T02-D002", "T02-D003", SuccessionKind.MERGE, DAY),
    ]
    assert audit_actions(a) == ["unit.create", "unit.merge"]
    assert AuditEntry.objects.get(action="unit.merge", object_id=str(a.pk)).data == {
        "into": "T02-D003",
        "children": ["T02-D001-C001", "T02-D001-C002", "T02-D001-C003"],
        "effective_on": "2024-01-01",
    }


def test_units_merge_successors_and_anchor_follow_the_links(ha_giang, make_unit, national):
    # given A merged into C on 1/1/2024, then C into D on 1/1/2025
    a, c = ha_giang["a"], ha_giang["c"]
    units_merge(units=[a], into=c, effective_on=DAY)
    d = make_unit("T02-D004", national["T02"], effective_on=date(2025, 1, 1))
    units_merge(units=[c], into=d, effective_on=date(2025, 1, 1))
    a.refresh_from_db()
    c.refresh_from_db()

    # then the unit carrying A depends on the day
    assert codes(queries.successors_on(a, EVE)) == ["T02-D001"]
    assert codes(queries.successors_on(a, DAY)) == ["T02-D003"]
    assert codes(queries.successors_on(a, date(2025, 1, 1))) == ["T02-D004"]
    assert queries.anchor_path(a, EVE) == queries.placement_on(a, EVE).path
    assert queries.anchor_path(a, DAY) == queries.placement_on(c, DAY).path
    assert queries.anchor_path(a, date(2025, 6, 1)) == queries.placement_on(d).path


def test_units_merge_of_different_levels_is_refused(ha_giang, national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        units_merge(units=[ha_giang["a1"]], into=ha_giang["c"], effective_on=DAY)

    assert error.value.messages == [
        "Chỉ sáp nhập các đơn vị cùng cấp: T02-D001-C001 và T02-D003 khác cấp."
    ]
    assert tree_counts() == before


def test_unit_split_gives_each_child_to_one_successor(ha_giang, make_unit, national):
    # given district A with three grassroots unions, and two successors from 1/1/2024
    a = ha_giang["a"]
    north = make_unit("T02-D011", national["T02"], effective_on=DAY)
    south = make_unit("T02-D012", national["T02"], effective_on=DAY)

    # when A is split: two unions to the north, one to the south
    unit_split(
        unit=a,
        parts=[(north, [ha_giang["a1"], ha_giang["a2"]]), (south, [ha_giang["a3"]])],
        effective_on=DAY,
    )

    # then each child is under its successor from that day and A ends
    assert codes(queries.children(north, DAY)) == ["T02-D001-C001", "T02-D001-C002"]
    assert codes(queries.children(south, DAY)) == ["T02-D001-C003"]
    assert codes(queries.children(a, EVE)) == ["T02-D001-C001", "T02-D001-C002", "T02-D001-C003"]
    a.refresh_from_db()
    assert a.valid_to == DAY
    assert codes(queries.successors_on(a, DAY)) == ["T02-D011", "T02-D012"]
    assert [
        (s.successor.code, s.kind) for s in UnitSuccession.objects.order_by("successor__code")
    ] == [
        ("T02-D011", SuccessionKind.SPLIT),
        ("T02-D012", SuccessionKind.SPLIT),
    ]
    entry = AuditEntry.objects.get(action="unit.split")
    assert (entry.object_id, entry.data) == (
        str(a.pk),
        {"into": ["T02-D011", "T02-D012"], "effective_on": "2024-01-01"},
    )


@pytest.mark.parametrize("assign_twice", [False, True])
def test_unit_split_with_a_child_not_given_exactly_once_is_refused(
    ha_giang, make_unit, national, tree_counts, assign_twice
):
    north = make_unit("T02-D011", national["T02"], effective_on=DAY)
    south = make_unit("T02-D012", national["T02"], effective_on=DAY)
    south_kids = [ha_giang["a2"]] if assign_twice else []
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_split(
            unit=ha_giang["a"],
            effective_on=DAY,
            parts=[(north, [ha_giang["a1"], ha_giang["a2"]]), (south, south_kids)],
        )

    assert error.value.messages == [
        "Mỗi đơn vị trực thuộc của T02-D001 phải được giao cho đúng một đơn vị kế thừa."
    ]
    assert tree_counts() == before


def test_unit_split_into_one_successor_is_refused(ha_giang, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_split(unit=ha_giang["b"], parts=[(ha_giang["c"], [ha_giang["b1"]])], effective_on=DAY)

    assert error.value.messages == ["Chia tách cần ít nhất hai đơn vị kế thừa."]
    assert tree_counts() == before


def test_unit_dissolve_with_children_and_no_successor_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_dissolve(unit=national["T01-D018"], effective_on=DAY)

    assert error.value.messages == [
        "Đơn vị T01-D018 còn đơn vị trực thuộc: hãy chọn đơn vị tiếp nhận."
    ]
    assert tree_counts() == before


def test_unit_dissolve_hands_children_to_the_receiving_unit(national):
    # given Gia Lâm dissolved into Long Biên on 1/1/2024
    gia_lam, long_bien = national["T01-D018"], national["T01-D004"]

    unit_dissolve(unit=gia_lam, effective_on=DAY, successor=long_bien)

    # then its 29 grassroots unions are under Long Biên from that day
    assert len(queries.children(long_bien, DAY)) == 29
    assert len(queries.children(long_bien, EVE)) == 0
    assert parent_code(national["T01-D018-C001"], DAY) == "T01-D004"
    link = UnitSuccession.objects.get()
    assert (link.predecessor.code, link.successor.code, link.kind) == (
        "T01-D018",
        "T01-D004",
        SuccessionKind.DISSOLVE,
    )
    assert queries.anchor_path(gia_lam, DAY) == queries.placement_on(long_bien, DAY).path
    assert AuditEntry.objects.get(action="unit.dissolve").data == {
        "successor": "T01-D004",
        "effective_on": "2024-01-01",
    }


def test_unit_dissolve_of_a_leaf_needs_no_successor(national):
    stanley = national["T01-D018-C001"]

    unit_dissolve(unit=stanley, effective_on=DAY)

    stanley.refresh_from_db()
    assert stanley.valid_to == DAY
    assert queries.successors_on(stanley, DAY) == []
    assert "T01-D018-C001" not in codes(queries.children(national["T01-D018"], DAY))
    assert "T01-D018-C001" in codes(queries.children(national["T01-D018"], EVE))
    assert AuditEntry.objects.get(action="unit.dissolve").data == {
        "successor": None,
        "effective_on": "2024-01-01",
    }


def test_unit_dissolve_into_itself_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_dissolve(unit=national["T01-D018"], effective_on=DAY, successor=national["T01-D018"])

    assert error.value.messages == ["Đơn vị T01-D018 không thể là đơn vị kế thừa của chính nó."]
    assert tree_counts() == before


def test_unit_dissolve_into_a_unit_of_another_level_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_dissolve(unit=national["T01-D018"], effective_on=DAY, successor=national["T01"])

    assert error.value.messages == ["Đơn vị tiếp nhận T01 phải cùng cấp với T01-D018."]
    assert tree_counts() == before
    assert UnitPlacement.objects.filter(unit__level=Level.GRASSROOTS, valid_to=DAY).count() == 0
