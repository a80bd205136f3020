"""Writes to the tree: create, update and move, each with its history and audit row."""

from datetime import date

import pytest

from sangkien.common.models import AuditEntry
from sangkien.common.timewindows import END_OF_TIME
from sangkien.orgs import queries
from sangkien.orgs.enums import Block, UnitKind
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.services import TreeError, unit_create, unit_move, unit_update

EVE, DAY = date(2023, 12, 31), date(2024, 1, 1)


def parent_code(unit: Unit, on: date) -> str | None:
    placement = queries.placement_on(unit, on)
    return placement.parent.code if placement and placement.parent else None


def test_unit_create_places_the_unit_and_writes_the_audit(national):
    # when a district is created under Hà Giang from 1/1/2024
    unit = unit_create(
        code="T02-D001",
        name="  Liên đoàn Lao động  huyện Mèo Vạc ",
        level=2,
        kind=UnitKind.DISTRICT_FEDERATION,
        block=Block.ADMINISTRATIVE,
        parent=national["T02"],
        effective_on=DAY,
    )

    # then it exists from that day under Hà Giang, with a cleaned name and an audit row
    placement = queries.placement_on(unit, DAY)
    assert unit.name == "Liên đoàn Lao động huyện Mèo Vạc"
    assert unit.search_name == "lien doan lao dong huyen meo vac"
    assert (unit.valid_from, unit.valid_to) == (DAY, END_OF_TIME)
    assert placement.path == f"/{national['TLD'].pk}/{national['T02'].pk}/{unit.pk}/"
    assert queries.placement_on(unit, EVE) is None
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.data == {"code": "T02-D001", "parent": "T02"}


def test_unit_create_with_a_code_in_use_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_create(
            code="T01-D018",
            name="Trùng mã",
            level=2,
            kind=UnitKind.DISTRICT_FEDERATION,
            block=Block.ADMINISTRATIVE,
            parent=national["T02"],
        )

    assert error.value.message_dict == {"code": ["Mã đơn vị T01-D018 đã có."]}
    assert tree_counts() == before


def test_unit_create_under_a_parent_of_the_wrong_level_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_create(
            code="T01-C999",
            name="Công đoàn cơ sở lạc cấp",
            level=3,
            kind=UnitKind.DISTRICT_FEDERATION,
            block=Block.ENTERPRISE,
            parent=national["T01"],
        )

    assert error.value.message_dict == {
        "kind": ["Loại đơn vị không hợp với cấp 3 (được dùng: grassroots)."],
        "parent": ["Đơn vị cấp trên T01 ở cấp 1, không phải cấp 2."],
    }
    assert tree_counts() == before


def test_unit_update_renames_and_refolds_the_search_name(national):
    unit = national["T01-D018-C001"]

    unit_update(unit=unit, name="Công đoàn Công ty TNHH Điện Stanley", member_count=1200)

    unit.refresh_from_db()
    assert (unit.name, unit.search_name, unit.member_count) == (
        "Công đoàn Công ty TNHH Điện Stanley",
        "cong doan cong ty tnhh dien stanley",
        1200,
    )
    entry = AuditEntry.objects.get(action="unit.update")
    assert entry.data == {
        "before": {"name": "Công đoàn Công ty TNHH điện Stanley Việt Nam", "member_count": 0},
        "after": {"name": "Công đoàn Công ty TNHH Điện Stanley", "member_count": 1200},
    }


def test_unit_move_takes_its_subtree_from_the_effective_day(national):
    # given Gia Lâm under Hà Nội since the beginning
    gia_lam, ha_giang = national["T01-D018"], national["T02"]
    old = queries.placement_on(gia_lam, EVE)

    # when it moves to Hà Giang on 1/1/2024
    unit_move(unit=gia_lam, new_parent=ha_giang, effective_on=DAY)

    # then the old placement ends that day and a new one starts, for it and for its grassroots
    old.refresh_from_db()
    assert old.valid_to == DAY
    new = queries.placement_on(gia_lam, DAY)
    assert (new.parent.code, new.valid_from, new.valid_to) == ("T02", DAY, END_OF_TIME)
    assert new.path == f"/{national['TLD'].pk}/{ha_giang.pk}/{gia_lam.pk}/"
    stanley = national["T01-D018-C001"]
    assert queries.placement_on(stanley, EVE).path == f"{old.path}{stanley.pk}/"
    assert queries.placement_on(stanley, DAY).path == f"{new.path}{stanley.pk}/"
    assert parent_code(stanley, DAY) == "T01-D018"
    assert (parent_code(gia_lam, EVE), parent_code(gia_lam, DAY)) == ("T01", "T02")
    entry = AuditEntry.objects.get(action="unit.move")
    assert (entry.object_id, entry.data) == (
        str(gia_lam.pk),
        {"old_parent": "T01", "new_parent": "T02", "effective_on": "2024-01-01"},
    )


def test_unit_move_to_its_current_parent_changes_nothing(national, tree_counts):
    before = tree_counts()

    unit_move(unit=national["T01-D018"], new_parent=national["T01"], effective_on=DAY)

    assert tree_counts() == before


def test_unit_move_into_its_own_subtree_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_move(unit=national["T01"], new_parent=national["T01-D018"], effective_on=DAY)

    assert error.value.messages == ["Không thể chuyển một đơn vị vào chính đơn vị trực thuộc nó."]
    assert tree_counts() == before


def test_unit_move_under_a_parent_of_the_wrong_level_is_refused(national, tree_counts):
    before = tree_counts()

    with pytest.raises(TreeError) as error:
        unit_move(unit=national["T01-D018-C001"], new_parent=national["T02"], effective_on=DAY)

    assert error.value.messages == ["Không thể chuyển T01-D018-C001 (cấp 3) về T02 (cấp 1)."]
    assert tree_counts() == before


def test_unit_move_before_a_later_change_of_its_subtree_is_refused(
    national, make_unit, tree_counts
):
    # given a grassroots union founded in Gia Lâm on 1/1/2024
    make_unit("T01-D018-C030", national["T01-D018"], effective_on=DAY)
    before = tree_counts()

    # when Gia Lâm is moved with an earlier date
    with pytest.raises(TreeError) as error:
        unit_move(
            unit=national["T01-D018"], new_parent=national["T04"], effective_on=date(2023, 6, 1)
        )

    # then the move is refused: the newer union has no place on the older tree
    assert error.value.messages == [
        "Đã có thay đổi sau ngày 01/06/2023 trong cây của T01-D018; hãy chọn ngày hiệu lực muộn hơn."
    ]
    assert tree_counts() == before


def test_unit_move_dated_before_an_earlier_move_keeps_one_placement_a_day(national):
    # given Gia Lâm moved to Hà Giang on 1/1/2024
    gia_lam = national["T01-D018"]
    unit_move(unit=gia_lam, new_parent=national["T02"], effective_on=DAY)

    # when a move to Cao Bằng on 1/6/2023 is recorded afterwards
    unit_move(unit=gia_lam, new_parent=national["T04"], effective_on=date(2023, 6, 1))

    # then each day has exactly one parent, for the district and for its grassroots
    days = [date(2023, 5, 31), date(2023, 6, 1), EVE, DAY]
    assert [parent_code(gia_lam, day) for day in days] == ["T01", "T04", "T04", "T02"]
    stanley = national["T01-D018-C001"]
    for day in days:
        assert UnitPlacement.objects.filter(queries.valid_on(day), unit=stanley).count() == 1
        assert queries.placement_on(stanley, day).path.startswith(
            queries.placement_on(gia_lam, day).path
        )
