"""The office page that moves, merges or dissolves a unit from an effective date."""

from datetime import date

import pytest

from sangkien.common.models import AuditEntry
from sangkien.orgs import queries as tree
from sangkien.orgs.models import Unit, UnitPlacement


@pytest.fixture
def hanoi(national, make_officer, client_for):
    return client_for(make_officer("hanoi", "T01", "unit_admin"))


def test_move_takes_effect_on_the_date_and_keeps_history(hanoi, national):
    response = hanoi.post(
        "/office/don-vi/T01-D018-C001/to-chuc-lai/",
        {"operation": "move", "target": "t01-d004", "effective_on": "01/12/2026"},
    )

    assert response.status_code == 302
    stanley = national["T01-D018-C001"]
    assert tree.placement_on(stanley, date(2026, 11, 30)).parent.code == "T01-D018"
    assert tree.placement_on(stanley, date(2026, 12, 1)).parent.code == "T01-D004"
    assert AuditEntry.objects.filter(action="unit.move", object_id=str(stanley.pk)).count() == 1


def test_merge_links_the_successor(hanoi, national):
    hanoi.post(
        "/office/don-vi/T01-D018-C002/to-chuc-lai/",
        {"operation": "merge", "target": "T01-D018-C003", "effective_on": "01/01/2027"},
    )

    old = Unit.objects.get(code="T01-D018-C002")
    assert old.valid_to == date(2027, 1, 1)
    assert [u.code for u in tree.successors_on(old, date(2027, 1, 1))] == ["T01-D018-C003"]


def test_dissolving_a_unit_with_children_needs_a_receiver(hanoi):
    before = (UnitPlacement.objects.count(), AuditEntry.objects.count())

    response = hanoi.post(
        "/office/don-vi/T01-D018/to-chuc-lai/",
        {"operation": "dissolve", "target": "", "effective_on": "01/01/2027"},
    )

    assert response.status_code == 422
    assert (
        "Đơn vị T01-D018 còn đơn vị trực thuộc: hãy chọn đơn vị tiếp nhận."
        in response.content.decode()
    )
    assert 'value="01/01/2027"' in response.content.decode()
    assert (UnitPlacement.objects.count(), AuditEntry.objects.count()) == before


def test_target_outside_the_managed_subtree_is_refused(national, make_officer, client_for):
    client = client_for(make_officer("gialam", "T01-D018", "unit_admin"))
    before = UnitPlacement.objects.count()

    response = client.post(
        "/office/don-vi/T01-D018-C001/to-chuc-lai/",
        {"operation": "move", "target": "T01-D004", "effective_on": "01/12/2026"},
    )

    assert response.status_code == 422
    assert "Không có đơn vị mã T01-D004 trong phạm vi bạn quản lý." in response.content.decode()
    assert UnitPlacement.objects.count() == before


@pytest.mark.parametrize(
    "payload, field_message",
    [
        (
            {"operation": "move", "target": "", "effective_on": "01/12/2026"},
            "Nhập mã đơn vị cho thao tác này.",
        ),
        (
            {"operation": "move", "target": "T01-D004", "effective_on": "31/02/2026"},
            "Nhập một ngày hợp lệ.",
        ),
        (
            {"operation": "xoa", "target": "T01-D004", "effective_on": "01/12/2026"},
            "Hãy chọn một lựa chọn hợp lệ.",
        ),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(hanoi, payload, field_message):
    before = UnitPlacement.objects.count()

    response = hanoi.post("/office/don-vi/T01-D018-C001/to-chuc-lai/", payload)

    assert response.status_code == 422
    assert field_message in response.content.decode()
    assert UnitPlacement.objects.count() == before
