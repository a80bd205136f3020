"""The generator of clearly marked demo units, with a scale knob up to national size."""

from datetime import date

import pytest
from django.db.models import Sum

from sangkien.orgs import queries
from sangkien.orgs.enums import Level, UnitKind
from sangkien.orgs.models import Unit, UnitPlacement
from sangkien.orgs.national import apply_merger_2025, generate_demo_units

SCALE = 0.002


@pytest.fixture
def demo(national):
    """The national tree with demo units at scale 0.002 (83 superiors, 254 grassroots)."""
    return generate_demo_units(scale=SCALE)


def test_generate_demo_units_reports_what_it_made(demo):
    # at 0.002 the national 1,226 superiors would be 2: every direct unit still gets one
    assert demo == {"superiors": 83, "grassroots": 254}
    assert Unit.objects.filter(is_demo=True, level=Level.DIRECT_SUPERIOR).count() == 83
    assert Unit.objects.filter(is_demo=True, level=Level.GRASSROOTS).count() == 254


def test_generate_demo_units_marks_every_unit_as_demo(demo):
    demo_units = Unit.objects.filter(is_demo=True)

    assert {unit.code.startswith("DEMO-") for unit in demo_units} == {True}
    assert {unit.name.endswith("(minh hoạ)") for unit in demo_units} == {True}
    assert Unit.objects.filter(code__startswith="DEMO-", is_demo=False).count() == 0
    assert Unit.objects.filter(is_demo=False).count() == 116


def test_generate_demo_units_hangs_each_superior_under_a_direct_unit(demo, national):
    placement = queries.placement_on(Unit.objects.get(code="DEMO-T01-D001"))

    assert placement.parent.code == "T01"
    assert placement.parent.level == Level.DIRECT
    assert placement.unit.kind == UnitKind.DISTRICT_FEDERATION
    assert queries.placement_on(Unit.objects.get(code="DEMO-N03-D001")).unit.kind == (
        UnitKind.OTHER_DIRECT_SUPERIOR
    )
    direct_children = UnitPlacement.objects.filter(
        queries.valid_on(queries.today()), unit__is_demo=True, unit__level=Level.DIRECT_SUPERIOR
    ).values_list("parent__level", flat=True)
    assert set(direct_children) == {Level.DIRECT}


def test_generate_demo_units_puts_every_grassroots_under_a_demo_superior(demo):
    # when the parents of the demo grassroots unions are read
    placements = UnitPlacement.objects.filter(
        queries.valid_on(queries.today()), unit__is_demo=True, unit__level=Level.GRASSROOTS
    ).select_related("parent", "unit")

    # then each is a demo direct-superior union, and the path runs through it
    assert len(placements) == 254
    for placement in placements:
        assert (placement.parent.is_demo, placement.parent.level) == (True, Level.DIRECT_SUPERIOR)
        assert placement.unit.code.startswith(f"{placement.parent.code}-C")
        assert placement.path.endswith(f"/{placement.parent_id}/{placement.unit_id}/")
    assert {p.unit.member_count >= 5 for p in placements} == {True}


def test_generate_demo_units_refreshes_member_totals(demo, national):
    grassroots_total = Unit.objects.filter(level=Level.GRASSROOTS).aggregate(
        total=Sum("member_count")
    )
    hanoi_path = queries.placement_on(national["T01"]).path
    hanoi_grassroots = sum(
        unit.member_count for unit in queries.subtree(hanoi_path) if unit.level == Level.GRASSROOTS
    )

    assert Unit.objects.get(code="TLD").member_count == grassroots_total["total"]
    assert grassroots_total["total"] > 0
    assert Unit.objects.get(code="T01").member_count == hanoi_grassroots
    district = Unit.objects.get(code="DEMO-T01-D001")
    assert district.member_count == sum(kid.member_count for kid in queries.children(district))


def test_generate_demo_units_twice_adds_nothing(demo, tree_counts):
    before = tree_counts()
    totals = dict(Unit.objects.values_list("code", "member_count"))

    again = generate_demo_units(scale=SCALE)

    assert again == {"superiors": 0, "grassroots": 0}
    assert tree_counts() == before
    assert dict(Unit.objects.values_list("code", "member_count")) == totals


def test_generate_demo_units_draws_the_same_units_for_the_same_seed(national):
    # given demo units generated with seed 7, then removed
    generate_demo_units(scale=SCALE, seed=7)
    first = dict(Unit.objects.filter(is_demo=True).values_list("code", "member_count"))
    UnitPlacement.objects.filter(unit__is_demo=True).delete()
    Unit.objects.filter(is_demo=True).delete()

    # when they are generated again with the same seed
    generate_demo_units(scale=SCALE, seed=7)

    # then the same units with the same member counts come back
    assert dict(Unit.objects.filter(is_demo=True).values_list("code", "member_count")) == first


def test_generate_demo_units_after_the_merger_start_with_their_province(national):
    # given the 2025 merger applied before any demo unit exists
    apply_merger_2025()

    # when demo units are generated
    generate_demo_units(scale=SCALE)

    # then those under a province created on 1/7/2025 start that day, not before it
    superior = Unit.objects.get(code="DEMO-T25-08-D001")
    assert superior.valid_from == date(2025, 7, 1)
    assert queries.placement_on(superior, date(2025, 6, 30)) is None
    assert list(queries.children(Unit.objects.get(code="T25-08"), date(2025, 6, 30))) == []
    grassroots = UnitPlacement.objects.filter(parent=superior).select_related("unit")
    assert {p.valid_from for p in grassroots} == {date(2025, 7, 1)}
    assert {p.unit.valid_from for p in grassroots} == {date(2025, 7, 1)}


def test_generate_demo_units_needs_the_national_tree(db):
    with pytest.raises(ValueError, match="load the national tree first"):
        generate_demo_units(scale=SCALE)
