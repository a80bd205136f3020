"""Targets of rows that give only some phases, and of programmes without phases; today's tree
moving to a new day on the next fold."""

from datetime import timedelta
from decimal import Decimal

from sangkien.targets import services as numbers
from sangkien.targets.allocation import row_target, targets_for
from sangkien.targets.models import Allocation, StatsState


def test_a_row_with_a_total_and_one_phase_gives_the_rest_to_the_other(national, open_program):
    stanley = national["T01-D018-C001"]
    row = Allocation(kind="absolute", total=Decimal(700), phase_values={"1": 400})

    assert row_target(row, stanley, [1, 2]) == {1: 400, 2: 300}
    assert row_target(Allocation(kind="absolute", phase_values={"1": 400}), stanley, [1, 2]) == {
        1: 400,
        2: None,
    }


def test_a_programme_without_phases_has_the_programme_total_and_split_rows(national, programs):
    program = next(iter(programs.values()))
    program.total_target = 1000
    federation, stanley = national["TLD"], national["T01-D018-C001"]
    Allocation.objects.create(
        program=program,
        parent=national["T01-D018"],
        label="Stanley",
        unit=stanley,
        kind="absolute",
        total=Decimal(700),
    )

    found = targets_for(program, [federation, stanley], phases=[])

    assert found[federation.pk].by_phase == {0: 1000}
    assert found[stanley.pk].by_phase == {0: 700}
    assert found[stanley.pk].total == 700


def test_the_next_fold_moves_todays_tree_to_today(national, open_program, submit_many):
    submit_many(national["T01-D018-C001"], 1)
    yesterday = StatsState.objects.get(pk=1).tree_on - timedelta(days=1)
    StatsState.objects.filter(pk=1).update(tree_on=yesterday)

    numbers.fold()

    assert StatsState.objects.get(pk=1).tree_on == yesterday + timedelta(days=1)
